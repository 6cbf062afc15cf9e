// Recipe presets that follow the run length (core/follow.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { makeCatalog } from "../../backend/lrscope/web/static/js/core/catalog.js";
import { followHfCall, followRun } from "../../backend/lrscope/web/static/js/core/follow.js";
import { presetById } from "../../backend/lrscope/web/static/js/core/presets.js";

const catalog = makeCatalog({
  schedulers: [
    ...["SequentialLR", "LinearLR", "CosineAnnealingLR", "ConstantLR", "MultiStepLR", "CosineAnnealingWarmRestarts"].map((name) => ({
      name, step_unit: "epoch", params: name === "SequentialLR" ? [{ name: "schedulers", type: "schedulers" }] : [],
    })),
    { name: "OneCycleLR", step_unit: "step", params: [] },
  ],
  optimizers: [{ name: "SGD", params: [] }, { name: "AdamW", params: [] }],
  defaults: {},
  limits: {},
});

test("warmup + cosine keeps 5% warmup and a cosine to the end of a longer run", () => {
  const preset = presetById("warmup-cosine").spec;
  const out = followRun(catalog, preset, { epochs: 200, steps_per_epoch: 1 });
  assert.deepEqual(out.scheduler.milestones, [10]);
  assert.equal(out.scheduler.schedulers[0].total_iters, 10);
  assert.equal(out.scheduler.schedulers[1].T_max, 190);
  assert.equal(out.epochs, 200);
});

test("stepped per batch, the lengths count optimizer steps", () => {
  const preset = presetById("warmup-cosine").spec;
  const out = followRun(catalog, preset, { epochs: 90, steps_per_epoch: 391, interval: "step" });
  const total = 90 * 391;
  const [warm, cos] = out.scheduler.schedulers;
  assert.equal(warm.total_iters, Math.round(total * 0.05));
  assert.equal(out.scheduler.milestones[0], warm.total_iters);
  assert.equal(warm.total_iters + cos.T_max, total); // the cosine ends with the run
  // More batches per epoch with per-epoch stepping change nothing.
  assert.deepEqual(followRun(catalog, preset, { epochs: 100, steps_per_epoch: 50 }).scheduler, preset.scheduler);
});

test("warmup-stable-decay keeps its three phases; ResNet steps keep their thirds", () => {
  const wsd = followRun(catalog, presetById("wsd").spec, { epochs: 300, steps_per_epoch: 1 }).scheduler;
  assert.deepEqual(wsd.milestones, [30, 240]);
  assert.deepEqual(wsd.schedulers.map((s) => s.total_iters), [30, 210, 60]);
  const resnet = followRun(catalog, presetById("resnet").spec, { epochs: 50, steps_per_epoch: 1 }).scheduler;
  assert.deepEqual(resnet.milestones, [15, 30, 45]);
  // A very short run keeps the milestones increasing.
  assert.deepEqual(followRun(catalog, presetById("resnet").spec, { epochs: 2, steps_per_epoch: 1 }).scheduler.milestones, [1, 2, 3]);
});

test("an HF preset's call follows the run in the preset's proportions", () => {
  const call = { name: "warmup_stable_decay", num_warmup_steps: 100, num_training_steps: 1000, scheduler_specific_kwargs: { num_decay_steps: 200 } };
  const out = followHfCall(catalog, call, { epochs: 40, steps_per_epoch: 100, interval: "step", scheduler: { type: "LambdaLR" } });
  assert.deepEqual(out, { name: "warmup_stable_decay", num_warmup_steps: 400, num_training_steps: 4000, scheduler_specific_kwargs: { num_decay_steps: 800 } });
  const constant = followHfCall(catalog, { name: "constant", num_warmup_steps: null, num_training_steps: 1000, scheduler_specific_kwargs: {} }, { epochs: 3, steps_per_epoch: 100, interval: "step" });
  assert.equal(constant.num_warmup_steps, null);
});
