// Zoomed windows (core/zoom.js) and the value-at-step field (wiring/readout-view.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { relayoutRange, stepWindow, withWindow } from "../../backend/lrscope/web/static/js/core/zoom.js";
import { typedStep } from "../../backend/lrscope/web/static/js/wiring/readout-view.js";

test("the issue's zoom asks for the steps in view, clamped to the run", () => {
  const run = { axis: "step", stepsPerEpoch: 1, numSteps: 300000 };
  assert.deepEqual(stepWindow([36990, 37010], run), { start: 36990, stop: 37011 });
  assert.deepEqual(stepWindow([36990.4, 37009.6], run), { start: 36990, stop: 37011 });
  assert.deepEqual(stepWindow([-50, 10], run), { start: 0, stop: 11 });
  assert.deepEqual(stepWindow([299990, 400000], run), { start: 299990, stop: 300000 });
  assert.equal(stepWindow([-1, 300001], run), null); // the whole run: nothing to add
  assert.equal(stepWindow([400000, 500000], run), null); // past the end
  assert.equal(stepWindow(null, run), null);
});

test("an epoch axis is turned into steps", () => {
  const run = { axis: "epoch", stepsPerEpoch: 391, numSteps: 391 * 90 };
  assert.deepEqual(stepWindow([10, 11], run), { start: 3910, stop: 4302 });
});

test("plotly's relayout events: a zoom, a zoom out, or nothing about x", () => {
  assert.deepEqual(relayoutRange({ "xaxis.range[0]": 3, "xaxis.range[1]": 9 }), [3, 9]);
  assert.deepEqual(relayoutRange({ "xaxis.range": [3, 9] }), [3, 9]);
  assert.equal(relayoutRange({ "xaxis.autorange": true, "yaxis.autorange": true }), "auto");
  assert.equal(relayoutRange({ "yaxis.range[0]": 0, "yaxis.range[1]": 1 }), null);
  assert.equal(relayoutRange({ dragmode: "pan" }), null);
});

test("a window's exact points replace the decimated ones inside it", () => {
  const full = {
    x: [0, 40, 50, 99], epoch: [0, 40, 50, 99], decimated: true, num_steps: 100, metric: null,
    groups: [{ lr: [1, 0.6, 0.5, 0.01], momentum: null }],
  };
  const part = {
    x: [45, 46, 47], epoch: [45, 46, 47], decimated: false, metric: null,
    groups: [{ lr: [0.55, 0.54, 0.53], momentum: null }],
  };
  const out = withWindow(full, part);
  assert.deepEqual(out.x, [0, 40, 45, 46, 47, 50, 99]);
  assert.deepEqual(out.groups[0].lr, [1, 0.6, 0.55, 0.54, 0.53, 0.5, 0.01]);
  assert.equal(out.groups[0].momentum, null);
  assert.deepEqual(out.windowed, { start: 45, stop: 48, decimated: false });
  assert.equal(withWindow(full, { ...part, x: [] }), full);
});

test("the step typed: whole numbers only", () => {
  assert.equal(typedStep(" 37000 "), 37000);
  assert.equal(typedStep("0"), 0);
  for (const bad of ["", "-1", "1.5", "1e3", "abc", "99999999999999999999"]) assert.equal(typedStep(bad), null);
});
