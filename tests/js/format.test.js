// formatNumber writes numbers exactly as the server (Python repr) does. The fixture holds
// Python's own output for a few hundred floats (tests/js/fixtures/python-float-repr.json).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { formatNumber, formatValue } from "../../backend/lrscope/web/static/js/i18n/format.js";

const { cases } = JSON.parse(readFileSync(new URL("./fixtures/python-float-repr.json", import.meta.url), "utf8"));

test("every float reads as Python writes it (integral ones without .0)", () => {
  assert.ok(cases.length > 200);
  const wrong = cases.filter(([repr, text]) => formatNumber(Number(repr)) !== text);
  assert.deepEqual(wrong, []);
});

test("the examples of the issue", () => {
  assert.equal(formatNumber(-0.00001), "-1e-05");
  assert.equal(formatNumber(3e-4), "0.0003");
  assert.equal(formatNumber(1e16), "1e+16");
  assert.equal(formatNumber(3), "3");
});

test("lists and other values", () => {
  assert.equal(formatValue([0.9, 1e-8]), "0.9, 1e-08");
  assert.equal(formatValue(null), "");
  assert.equal(formatValue("cos"), "cos");
  assert.equal(formatNumber(Infinity), "inf");
});
