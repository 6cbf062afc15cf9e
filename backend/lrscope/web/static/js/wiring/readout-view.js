// "Value at step": the user types an optimizer step and sees each shown curve's exact
// learning rate (and momentum) there, asked of the server as a one-step `range`.

import { requestSpec } from "../core/catalog.js";
import * as store from "../core/state.js";
import { formatNumber } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";
import { evaluateSchedule } from "../net/api.js";
import { h } from "../ui/dom.js";

const $ = (id) => document.getElementById(id);

/** The step typed, or null when the field is empty or not a whole number >= 0. */
export function typedStep(text) {
  const trimmed = String(text).trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const step = Number(trimmed);
  return Number.isSafeInteger(step) ? step : null;
}

/** `statusOf` is the evaluator's. Returns `refresh()`, to call when answers change. */
export function wireReadout({ catalog, statusOf, evaluate = evaluateSchedule }) {
  const input = $("readout-step");
  const list = $("readout-values");
  const answers = new Map(); // curve id -> {base, step, result | null, error}

  function line(curve, entry) {
    const name = curve.name;
    if (entry.tooFar) return [h("li", { class: "info" }, `${name}: ${t("readout.beyond", { steps: entry.base.num_steps })}`)];
    if (entry.error) return [h("li", { class: "error" }, `${name}: ${entry.error}`)];
    if (!entry.result) return [h("li", { class: "info" }, `${name}: ${t("readout.loading")}`)];
    const many = entry.result.groups.length > 1;
    return entry.result.groups.map((g, k) => {
      const label = many ? `${name} · ${t("chart.group")} ${k}` : name;
      const lr = `${t("readout.lr")} ${formatNumber(g.lr[0])}`;
      const mom = g.momentum ? ` · ${t("readout.momentum")} ${formatNumber(g.momentum[0])}` : "";
      return h("li", { "data-curve": curve.id }, `${label}: ${lr}${mom}`);
    });
  }

  function render() {
    const step = typedStep(input.value);
    const shown = store.getState().curves.filter((c) => c.visible && answers.has(c.id));
    list.replaceChildren(...(step === null ? [] : shown.flatMap((c) => line(c, answers.get(c.id)))));
    list.dataset.pending = String([...answers.values()].some((a) => !a.result && !a.error && !a.tooFar));
  }

  function refresh() {
    const step = typedStep(input.value);
    const live = new Set();
    for (const curve of store.getState().curves) {
      const { good, stale } = statusOf(curve.id);
      if (step === null || !good || stale) continue;
      live.add(curve.id);
      const have = answers.get(curve.id);
      if (have && have.base === good && have.step === step) continue;
      const entry = { base: good, step, result: null, error: null, tooFar: step >= good.num_steps };
      answers.set(curve.id, entry);
      if (entry.tooFar) continue;
      evaluate(requestSpec(catalog, curve.spec, { range: { start: step, stop: step + 1 } }))
        .then((result) => { entry.result = result; })
        .catch((error) => { entry.error = error.message; })
        .finally(() => answers.get(curve.id) === entry && render());
    }
    for (const id of answers.keys()) if (!live.has(id)) answers.delete(id);
    render();
  }

  input.addEventListener("input", refresh);
  return { refresh, render };
}
