// Presets (core/presets.js) and the page's opening state (core/initial-state.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { makeCatalog } from "../../backend/lrscope/web/static/js/core/catalog.js";
import { initialState, missingShortLink } from "../../backend/lrscope/web/static/js/core/initial-state.js";
import { PRESETS, availablePresets, hfVersion, presetById, serverPresets } from "../../backend/lrscope/web/static/js/core/presets.js";
import { encodeState } from "../../backend/lrscope/web/static/js/core/url-state.js";
import { EN } from "../../backend/lrscope/web/static/js/i18n/en.js";
import { ZH } from "../../backend/lrscope/web/static/js/i18n/zh.js";

const names = (spec) => {
  const out = [spec.type];
  // A Loop's entries hold their scheduler under "scheduler".
  for (const child of spec.schedulers ?? []) out.push(...names(child.scheduler ?? child));
  return out;
};
const everyScheduler = [...new Set(PRESETS.flatMap((p) => names(p.spec.scheduler)))];
const catalogWith = (schedulers) => makeCatalog({
  schedulers: schedulers.map((name) => ({ name, step_unit: "epoch", params: [{ name: "schedulers", type: "schedulers" }] })),
  optimizers: [...new Set(PRESETS.map((p) => p.spec.optimizer.type))].map((name) => ({ name, params: [] })),
  defaults: { epochs: 100, steps_per_epoch: 1, optimizer: { type: "SGD", lr: 0.1, momentum: 0.9 } },
});

test("every preset has a unique id and a name in both languages", () => {
  assert.equal(new Set(PRESETS.map((p) => p.id)).size, PRESETS.length);
  for (const preset of PRESETS) {
    assert.ok(EN[`preset.${preset.id}`], preset.id);
    assert.ok(ZH[`preset.${preset.id}`], preset.id);
    assert.equal(presetById(preset.id), preset);
  }
  assert.equal(presetById("nope"), null);
});

test("a preset whose scheduler this torch lacks is not offered", () => {
  assert.equal(availablePresets(catalogWith(everyScheduler)).length, PRESETS.length);
  const without = availablePresets(catalogWith(everyScheduler.filter((n) => n !== "OneCycleLR")));
  assert.ok(without.length < PRESETS.length);
  assert.ok(without.every((p) => !names(p.spec.scheduler).includes("OneCycleLR")));
});

test("the page opens a good link as it is, else the default view in the reader's language", () => {
  const catalog = catalogWith(["StepLR", ...everyScheduler]);
  const fresh = initialState(catalog, "", "zh-CN");
  assert.equal(fresh.notice, null);
  assert.equal(fresh.value.view.lang, "zh");
  assert.equal(fresh.value.curves[0].spec.scheduler.type, "StepLR");
  assert.equal(initialState(catalog, "#s=garbage", "en-GB").notice, "notice.corrupt");
  const spec = { scheduler: { type: "StepLR", step_size: 2 }, epochs: 5 };
  const hash = encodeState({ curves: [{ id: "a", name: "mine", color: "#1f77b4", visible: true, autoName: false, spec }], selected: "a", view: { x: "step", y: "log", lang: "en", classroom: null } });
  const opened = initialState(catalog, `#${hash}`, "zh");
  assert.equal(opened.notice, null);
  assert.deepEqual(opened.value.curves[0].spec, spec);
  assert.equal(opened.value.view.x, "step");
});

test("the HF presets come from the server's catalog, none without it", () => {
  const raw = { hf_presets: { transformers_version: "5.24", presets: [{ id: "hf-linear", name: "linear", call: { name: "linear" }, spec: { scheduler: { type: "LambdaLR" } }, warnings: [], warning_details: [] }] } };
  const catalog = { raw };
  assert.equal(hfVersion(catalog), "5.24");
  assert.deepEqual(serverPresets(catalog).map((p) => [p.id, p.group]), [["hf-linear", "hf"]]);
  assert.equal(presetById("hf-linear", catalog).name, "linear");
  assert.deepEqual(serverPresets({ raw: {} }), []);
  assert.equal(presetById("hf-linear"), null);
});

test("a short link the server does not have is named once, and dropped from the address", () => {
  assert.deepEqual(missingShortLink(""), { id: null, search: "" });
  assert.deepEqual(missingShortLink("?missing_link=nope2222x"), { id: "nope2222x", search: "" });
  const kept = missingShortLink("?run=abc:one&missing_link=a%26b&xlog=1");
  assert.deepEqual(kept, { id: "a&b", search: "?run=abc%3Aone&xlog=1" });
  assert.equal(missingShortLink(`?missing_link=${"x".repeat(500)}`).id.length, 64);
});
