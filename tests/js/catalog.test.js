// The catalog helpers (core/catalog.js): the tree-wide interval rule the server applies,
// and the scheduler's span that starter values and proposed milestones are made from.
import assert from "node:assert/strict";
import { test } from "node:test";

import { intervalChoices, makeCatalog, requestSpec, resolvedInterval, schedulerSpan, treeStepUnit } from "../../backend/lrscope/web/static/js/core/catalog.js";

const composite = (name) => ({ name, step_unit: "epoch", params: [{ name: "schedulers", type: "schedulers" }, { name: "milestones", type: "integer_list" }] });
const catalog = makeCatalog({
  torch_version: "2.13.0",
  schedulers: [
    { name: "LinearLR", step_unit: "epoch", params: [] },
    { name: "OneCycleLR", step_unit: "step", params: [] },
    { name: "ReduceLROnPlateau", step_unit: "epoch", needs_metric: true, params: [] },
    composite("SequentialLR"),
    composite("ChainedScheduler"),
  ],
  optimizers: [{ name: "SGD", params: [] }],
  defaults: { epochs: 100, steps_per_epoch: 1, optimizer: { type: "SGD", lr: 0.1 } },
  training: { tasks: { spirals: {}, moons: {} }, fields: { "regularization.dropout": { type: "number", default: 0, minimum: 0, exclusive_maximum: 1 } } },
});

const sequential = { type: "SequentialLR", milestones: [5], schedulers: [{ type: "LinearLR" }, { type: "OneCycleLR" }] };

test("a per-batch scheduler anywhere in the tree makes the whole run step per batch", () => {
  assert.equal(treeStepUnit(catalog, sequential), "step");
  const deeper = { type: "ChainedScheduler", schedulers: [{ type: "LinearLR" }, { type: "SequentialLR", schedulers: [{ type: "LinearLR" }, { type: "OneCycleLR" }] }] };
  assert.equal(treeStepUnit(catalog, deeper), "step");
  assert.equal(treeStepUnit(catalog, { type: "SequentialLR", schedulers: [{ type: "LinearLR" }, { type: "LinearLR" }] }), "epoch");
  assert.equal(treeStepUnit(catalog, { type: "NoSuchLR" }), "epoch");
});

test("SequentialLR[LinearLR, OneCycleLR] over 10 epochs of 100 steps steps 1,000 times", () => {
  const run = { scheduler: sequential, epochs: 10, steps_per_epoch: 100 };
  assert.equal(resolvedInterval(catalog, run), "step");
  assert.equal(schedulerSpan(catalog, run), 1000);
  assert.equal(schedulerSpan(catalog, { ...run, interval: "epoch" }), 10); // the run's own choice wins
  assert.equal(schedulerSpan(catalog, run, "epoch"), 10); // and so does the server's word
});

test("the catalog lists the server's tasks and field limits", () => {
  assert.deepEqual(catalog.tasks, ["spirals", "moons"]);
  assert.equal(catalog.trainingFields["regularization.dropout"].exclusive_maximum, 1);
  assert.deepEqual(catalog.metricFields, {});
});

test("a metric is sent only to a scheduler that steps on one", () => {
  const spec = { scheduler: { type: "LinearLR" }, metric: { values: [1] } };
  assert.equal("metric" in requestSpec(catalog, spec), false);
  assert.deepEqual(requestSpec(catalog, { ...spec, scheduler: { type: "ReduceLROnPlateau" } }).metric, { values: [1] });
});

test("the interval choices come from the catalog entry (fractional only where the server says)", () => {
  const cat = makeCatalog({
    torch_version: "2.13.0",
    schedulers: [
      { name: "StepLR", step_unit: "epoch", params: [], intervals: ["epoch", "step"] },
      { name: "CosineAnnealingWarmRestarts", step_unit: "epoch", params: [], intervals: ["epoch", "step", "fractional"] },
    ],
    optimizers: [{ name: "SGD", params: [] }],
    defaults: { epochs: 100, steps_per_epoch: 1, optimizer: { type: "SGD", lr: 0.1 } },
    training: { tasks: {}, fields: {} },
  });
  assert.deepEqual(intervalChoices(cat, { type: "CosineAnnealingWarmRestarts" }), ["epoch", "step", "fractional"]);
  assert.deepEqual(intervalChoices(cat, { type: "StepLR" }), ["epoch", "step"]);
  assert.deepEqual(intervalChoices(cat, { type: "NoSuchLR" }), ["epoch", "step"]);
});
