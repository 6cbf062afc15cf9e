// The language layer (i18n/): one t(), one table per language, under node --test.
import assert from "node:assert/strict";
import { test } from "node:test";

import { EN } from "../../backend/lrscope/web/static/js/i18n/en.js";
import { currentLanguage, fill, ownText, setLanguage, t, text } from "../../backend/lrscope/web/static/js/i18n/i18n.js";
import { ZH } from "../../backend/lrscope/web/static/js/i18n/zh.js";

test("t() words a key in the current language and fills its placeholders", () => {
  setLanguage("zh");
  assert.equal(currentLanguage(), "zh");
  assert.equal(t("train.stopLabel", { name: "a" }), "停止“a”");
  setLanguage("en");
  assert.equal(t("train.stopLabel", { name: "a" }), "Stop “a”");
});

test("an unknown language is English; a missing key falls back to English, then to the key", () => {
  setLanguage("fr");
  assert.equal(currentLanguage(), "en");
  setLanguage("zh");
  assert.equal(t("no.such.key"), "no.such.key");
  assert.equal(text("no.such.key"), null);
  setLanguage("en");
});

test("ownText() has no English fallback: English shows the catalog's docstrings instead", () => {
  setLanguage("en");
  assert.equal(ownText("param.StepLR.gamma"), null);
  setLanguage("zh");
  assert.match(ownText("param.StepLR.gamma"), /乘法因子/);
  setLanguage("en");
});

test("fill() joins list parameters and leaves unknown placeholders alone", () => {
  assert.equal(fill("{a} and {b}", { a: ["x", "y"] }), "x, y and {b}");
});

test("every English key has a Chinese text, with the same placeholders", () => {
  for (const [key, english] of Object.entries(EN)) {
    assert.ok(key in ZH, key);
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(names(ZH[key]), names(english), key);
  }
});
