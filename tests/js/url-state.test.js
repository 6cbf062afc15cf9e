// The share link round trip (url-state.js), run under node --test: no browser needed.
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeHash, encodeState } from "../../backend/lrscope/web/static/js/core/url-state.js";

const catalog = {
  scheduler: (name) =>
    ({
      StepLR: { params: [] },
      SequentialLR: { params: [{ name: "schedulers", type: "schedulers" }] },
    })[name],
  optimizer: (name) => (name === "SGD" ? { params: [] } : undefined),
};

const spec = {
  scheduler: {
    type: "SequentialLR",
    milestones: [5],
    schedulers: [{ type: "StepLR", step_size: 2 }, { type: "StepLR", step_size: 3 }],
  },
  optimizer: { type: "SGD", lr: 0.1 },
  epochs: 20,
};

test("a link reproduces the curves, the selection and the view", () => {
  const state = {
    curves: [
      { id: 1, name: "warmup 学习率", color: "#1f77b4", visible: true, autoName: false, spec },
      { id: 2, name: "StepLR", color: "#d62728", visible: false, autoName: true, spec },
    ],
    selected: 2,
    view: { x: "step", y: "log", lang: "zh", classroom: { hide: ["editor"] } },
  };
  const decoded = decodeHash("#" + encodeState(state), catalog);
  assert.equal(decoded.ok, true);
  assert.deepEqual(decoded.value.curves[0], {
    name: "warmup 学习率", color: "#1f77b4", visible: true, spec, autoName: false,
  });
  assert.equal(decoded.value.curves[1].visible, false);
  assert.equal(decoded.value.selectedIndex, 1);
  assert.deepEqual(decoded.value.view, {
    x: "step", y: "log", lang: "zh", classroom: { hide: ["editor"] },
  });
});

test("a corrupt link, another version or an unknown scheduler is refused, never thrown", () => {
  assert.deepEqual(decodeHash("#s=%%%", catalog), { ok: false, reason: "corrupt" });
  assert.deepEqual(decodeHash("#nope", catalog), { ok: false, reason: "corrupt" });
  const other = Buffer.from(JSON.stringify({ v: 99, c: [] })).toString("base64url");
  assert.deepEqual(decodeHash("#s=" + other, catalog), { ok: false, reason: "version" });
  const unknown = Buffer.from(
    JSON.stringify({ v: 1, c: [{ s: { scheduler: { type: "NoSuchLR" } } }] }),
  ).toString("base64url");
  assert.deepEqual(decodeHash("#s=" + unknown, catalog), { ok: false, reason: "unknown" });
  assert.deepEqual(decodeHash("", catalog), { ok: true, empty: true });
});
