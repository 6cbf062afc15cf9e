// The paste panel's pure parts (ui/import-panel.js): what a field's text is sent as, and
// which 422 items become fields (open names at ["body", "values", NAME]).
import assert from "node:assert/strict";
import { test } from "node:test";

import { fieldValue, splitIssues } from "../../backend/lrscope/web/static/js/ui/import-panel.js";

test("numbers are sent as numbers, true/false as booleans, the rest as text", () => {
  assert.equal(fieldValue(" 391 "), 391);
  assert.equal(fieldValue("3e-4"), 3e-4);
  assert.equal(fieldValue("-.5"), -0.5);
  assert.equal(fieldValue("true"), true);
  assert.equal(fieldValue("cosine"), "cosine");
  assert.equal(fieldValue("1.2.3"), "1.2.3");
});

test("open names become fields; a wrong value stays with its field; the rest are listed", () => {
  const open = { loc: ["body", "values", "len(train_loader)"], code: "import_open_name", msg: "open" };
  const wrong = { loc: ["body", "values", "num_epochs"], code: "import_value_kind", msg: "kind" };
  const line = { loc: ["body", "text"], code: "import_unreadable", msg: "line 3" };
  const { named, other } = splitIssues([open, wrong, line]);
  assert.deepEqual([...named.keys()], ["len(train_loader)", "num_epochs"]);
  assert.equal(named.get("len(train_loader)"), null);
  assert.equal(named.get("num_epochs"), wrong);
  assert.deepEqual(other, [line]);
});
