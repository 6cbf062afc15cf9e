// A run is named by what sets it apart (train/run-name.js): curve · task · remedies.
import assert from "node:assert/strict";
import { test } from "node:test";

import { setLanguage } from "../../backend/lrscope/web/static/js/i18n/i18n.js";
import { remedyParts, runName } from "../../backend/lrscope/web/static/js/train/run-name.js";

test("a run without remedies keeps its curve and task; each remedy is named in a fixed order", () => {
  setLanguage("en");
  assert.equal(runName("StepLR · over-fitting", { regularization: {} }), "StepLR · over-fitting");
  const spec = { regularization: { dropout: 0.5, weight_decay: 0.003, l1: undefined, input_noise: 0.2, early_stopping: { patience: 10 } } };
  assert.equal(runName("StepLR · over-fitting", spec), "StepLR · over-fitting · L2 0.003 · dropout 0.5 · noise 0.2 · early stop 10");
});

test("a zero remedy is no remedy; the names follow the language", () => {
  assert.deepEqual(remedyParts({ regularization: { dropout: 0, early_stopping: null } }), []);
  setLanguage("zh");
  assert.deepEqual(remedyParts({ regularization: { input_noise: 0.1, early_stopping: { patience: 5 } } }), ["噪声 0.1", "提前停止 5"]);
  setLanguage("en");
});
