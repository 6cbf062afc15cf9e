// The LR range test's pure parts (core/range-test.js): folding events, the job spec made
// from the train form's, where "use this LR" writes, rounding.

import assert from "node:assert/strict";
import { test } from "node:test";

import { applySweepEvents, lrTarget, newSweep, rangeTestSpec, roundedRate, usableSuggestions } from "../../backend/lrscope/web/static/js/core/range-test.js";

test("events fold into the swept points and the suggestions", () => {
  const sweep = newSweep({ id: "a", curveId: "c1" });
  applySweepEvents(sweep, [
    { seq: 0, type: "start", num_steps: 3, range_test: { diverge_factor: 4 } },
    { seq: 1, type: "step", step: 0, lr: [1e-3, 1e-3], train_loss: 0.7, smoothed_loss: 0.7 },
    { seq: 2, type: "step", step: 1, lr: [1e-2, 1e-2], train_loss: null, smoothed_loss: null },
  ]);
  assert.deepEqual(sweep.lr, [1e-3, 1e-2]);
  assert.deepEqual(sweep.smoothed, [0.7, null]);
  assert.equal(sweep.status, "running");
  applySweepEvents(sweep, [{
    seq: 3, type: "done", status: "completed", reason: "diverged",
    suggestions: [{ name: "steepest", lr: 0.004 }, { name: "valley", lr: null }, { name: "minimum", lr: 0.0005 }],
  }]);
  assert.equal(sweep.lastSeq, 3);
  assert.equal(sweep.status, "completed");
  assert.deepEqual(usableSuggestions(sweep).map((s) => s.name), ["steepest", "minimum"]);
});

test("the job spec keeps the form's task and remedies and drops what only a schedule uses", () => {
  const train = {
    scheduler: { type: "StepLR", step_size: 30 }, optimizer: { type: "SGD", lr: 0.1 }, interval: "epoch",
    resume: { at_step: 3, how: "rebuild" }, epochs: 100, task: { name: "overfit" }, batch_size: 16,
    regularization: { dropout: 0.5, early_stopping: { patience: 10 } }, seed: 2, steps_per_second: 7,
  };
  const spec = rangeTestSpec(train, { min_lr: 1e-5, mode: "exp" }, 9);
  assert.deepEqual(spec, {
    kind: "lr_range_test", range_test: { min_lr: 1e-5, mode: "exp" }, optimizer: { type: "SGD", lr: 0.1 },
    task: { name: "overfit" }, batch_size: 16, regularization: { dropout: 0.5, early_stopping: null }, seed: 2, steps_per_second: 9,
  });
  assert.equal("steps_per_second" in rangeTestSpec(train, {}, undefined), false); // full speed
  assert.equal(train.regularization.early_stopping.patience, 10); // the form's spec is untouched
});

test("use this LR writes OneCycleLR's max_lr, else the optimizer's lr", () => {
  assert.deepEqual(lrTarget({ scheduler: { type: "OneCycleLR", max_lr: 0.1 } }).path, ["scheduler", "max_lr"]);
  assert.deepEqual(lrTarget({ scheduler: { type: "StepLR" } }).path, ["optimizer", "lr"]);
  assert.deepEqual(lrTarget({ scheduler: { type: "SequentialLR", schedulers: [{ type: "OneCycleLR" }] } }).name, "lr");
});

test("a suggested rate is rounded to three significant digits", () => {
  assert.equal(roundedRate(0.0084975343), 0.0085);
  assert.equal(roundedRate(1.8723), 1.87);
  assert.equal(roundedRate(3.14159e-5), 0.0000314);
});
