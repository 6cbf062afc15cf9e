// A run is named by what sets it apart (train/run-name.js): curve · lr · task · remedies,
// then what else differs between runs that would share a name.
import assert from "node:assert/strict";
import { test } from "node:test";

import { setLanguage } from "../../backend/lrscope/web/static/js/i18n/i18n.js";
import { distinctNames, remedyParts, runName } from "../../backend/lrscope/web/static/js/train/run-name.js";

const OVERFIT = { task: { name: "overfit" }, optimizer: { type: "SGD", lr: 0.1 } };

test("a run without remedies keeps its curve, lr and task; each remedy is named in a fixed order", () => {
  setLanguage("en");
  assert.equal(runName("StepLR", { ...OVERFIT, regularization: {} }), "StepLR · lr 0.1 · over-fitting");
  const spec = { ...OVERFIT, regularization: { dropout: 0.5, weight_decay: 0.003, l1: undefined, input_noise: 0.2, early_stopping: { patience: 10 } } };
  assert.equal(runName("StepLR", spec), "StepLR · lr 0.1 · over-fitting · L2 0.003 · dropout 0.5 · noise 0.2 · early stop 10");
});

test("a spec without an optimizer takes the default lr; without one known there is no lr part", () => {
  assert.equal(runName("warmup", { task: { name: "moons" } }, { defaultLr: 0.05 }), "warmup · lr 0.05 · moons");
  assert.equal(runName("warmup", { task: { name: "moons" } }), "warmup · moons");
  assert.equal(runName("x", { task: { name: "new-task" } }, { defaultLr: 1e-5 }), "x · lr 1e-05 · new-task");
});

test("a zero remedy is no remedy; the names follow the language", () => {
  assert.deepEqual(remedyParts({ regularization: { dropout: 0, early_stopping: null } }), []);
  setLanguage("zh");
  assert.deepEqual(remedyParts({ regularization: { input_noise: 0.1, early_stopping: { patience: 5 } } }), ["噪声 0.1", "提前停止 5"]);
  assert.equal(runName("StepLR", OVERFIT), "StepLR · 学习率 0.1 · 过拟合");
  setLanguage("en");
});

test("runs that differ only in the seed or the epochs are named by it; distinct names are kept", () => {
  const base = "StepLR · lr 0.1 · over-fitting";
  const names = distinctNames([
    { name: base, spec: { ...OVERFIT, seed: 1 } },
    { name: base, spec: { ...OVERFIT } },
    { name: "other", spec: { ...OVERFIT, seed: 5 } },
  ], { seed: 0 });
  assert.deepEqual(names, [`${base} · seed 1`, `${base} · seed 0`, "other"]);
  assert.deepEqual(distinctNames([
    { name: base, spec: { ...OVERFIT, epochs: 50, batch_size: 8 } },
    { name: base, spec: { ...OVERFIT, epochs: 100, batch_size: 8 } },
  ]), [`${base} · 50 epochs`, `${base} · 100 epochs`]);
});

test("a scheduler argument that differs is named; a field one spec leaves out counts as its default", () => {
  const a = { ...OVERFIT, scheduler: { type: "StepLR", step_size: 30 }, seed: 0 };
  const b = { ...OVERFIT, scheduler: { type: "StepLR", step_size: 20 } };
  assert.deepEqual(distinctNames([{ name: "s", spec: a }, { name: "s", spec: b }], { seed: 0 }), ["s · step_size 30", "s · step_size 20"]);
  // A saved run's spec has every default written out; a fresh one leaves them out: not a difference.
  const saved = { ...OVERFIT, seed: 0, model: { width: null, activation: "relu" }, steps_per_second: 13 };
  assert.deepEqual(distinctNames([{ name: "s", spec: saved }, { name: "s", spec: OVERFIT }], { seed: 0, "model.activation": "relu" }), ["s", "s #2"]);
});

test("identical runs are numbered; a run still loading (no spec) keeps its name", () => {
  assert.deepEqual(distinctNames([
    { name: "s", spec: OVERFIT }, { name: "s", spec: OVERFIT }, { name: "s", spec: OVERFIT }, { name: "id-1", spec: null },
  ]), ["s", "s #2", "s #3", "id-1"]);
  setLanguage("zh");
  assert.deepEqual(distinctNames([{ name: "s", spec: { seed: 2 } }, { name: "s", spec: { seed: 3 } }]), ["s · 种子 2", "s · 种子 3"]);
  setLanguage("en");
});
