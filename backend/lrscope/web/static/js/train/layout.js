// The Train panel's markup: the form beside the loss chart (with its toolbar: loss scale,
// log x, smoothing, the comparison's link; and its key), the run list and the saved runs.

import { t } from "../i18n/i18n.js";
import { MAX_WEIGHT } from "../core/smoothing.js";
import { h } from "../ui/dom.js";

function scaleChoice(view, redraw) {
  return h("fieldset", { class: "segmented" },
    h("legend", { dataset: { i18n: "train.yScale" } }, t("train.yScale")),
    ["linear", "log"].map((value) => {
      const radio = h("input", { type: "radio", name: "train-y-scale", value, checked: view.y === value });
      radio.addEventListener("change", () => redraw({ y: value }));
      return h("label", {}, radio, h("span", { dataset: { i18n: `train.${value}` } }, t(`train.${value}`)));
    }));
}

/** TensorBoard's smoothing slider (0 = off), its value shown beside it. */
function smoothingSlider(view, redraw) {
  const slider = h("input", {
    type: "range", id: "train-smoothing", name: "train-smoothing", min: 0, max: MAX_WEIGHT, step: 0.01,
    value: String(view.smoothing), "aria-describedby": "train-smoothing-hint",
  });
  const shown = h("output", { for: "train-smoothing", class: "train-smoothing-value" }, view.smoothing.toFixed(2));
  slider.addEventListener("input", () => {
    shown.textContent = Number(slider.value).toFixed(2);
    redraw({ smoothing: Number(slider.value) });
  });
  return h("div", { class: "train-smoothing", title: t("train.smoothingHint"), dataset: { i18nTitle: "train.smoothingHint" } },
    h("label", { for: "train-smoothing", dataset: { i18n: "train.smoothing" } }, t("train.smoothing")),
    slider, shown,
    h("span", { id: "train-smoothing-hint", class: "visually-hidden", dataset: { i18n: "train.smoothingHint" } }, t("train.smoothingHint")));
}

function toolbar(view, redraw, copyComparison) {
  const logX = h("input", { type: "checkbox", name: "train-log-x", checked: view.xlog });
  logX.addEventListener("change", () => redraw({ xlog: logX.checked }));
  const copy = h("button", { type: "button", class: "btn btn-small train-copy-compare", dataset: { i18n: "train.copyCompare" } }, t("train.copyCompare"));
  copy.addEventListener("click", async () => {
    const ok = await copyComparison();
    copy.textContent = t(ok ? "train.copied" : "train.copyFailed");
    setTimeout(() => {
      copy.textContent = t("train.copyCompare");
    }, 2000);
  });
  return h("div", { class: "train-toolbar", role: "group", "aria-labelledby": "train-chart-title" },
    h("h3", { id: "train-chart-title", dataset: { i18n: "train.chart" } }, t("train.chart")),
    scaleChoice(view, redraw),
    h("label", { class: "inline-check train-log-x" }, logX, h("span", { dataset: { i18n: "train.logX" } }, t("train.logX"))),
    smoothingSlider(view, redraw),
    copy);
}

/**
 * Fill `root`; `redraw(patch)` changes the chart's view, `copyComparison()` copies the
 * comparison's link (true when it did). Returns the parts the panel
 * updates: chart element, clip note, run list, empty note and plot box.
 */
export function buildPanel(root, { form, saved, view, redraw, copyComparison }) {
  const chartEl = h("div", { id: "train-chart", class: "train-chart", role: "img", "aria-label": t("train.chartAria"), dataset: { i18nLabel: "train.chartAria" } });
  const clipNote = h("p", { class: "train-note", role: "status", hidden: true });
  const list = h("ul", { class: "run-list", "aria-labelledby": "train-runs-title" });
  const empty = h("p", { class: "train-empty", dataset: { i18n: "train.noRuns" } }, t("train.noRuns"));
  const plot = h("div", { class: "train-plot", hidden: true },
    toolbar(view, redraw, copyComparison),
    h("p", { class: "train-key", dataset: { i18n: "train.key" } }, t("train.key")),
    clipNote,
    h("div", { class: "train-chart-wrap" }, chartEl));
  root.replaceChildren(
    h("h2", { id: "train-title", dataset: { i18n: "train.title" } }, t("train.title")),
    h("p", { class: "train-intro", dataset: { i18n: "train.intro" } }, t("train.intro")),
    h("div", { class: "train-body" },
      form.element,
      h("div", { class: "train-results" },
        plot,
        h("h3", { id: "train-runs-title", dataset: { i18n: "train.runs" } }, t("train.runs")),
        empty,
        list,
        saved.element)));
  return { chartEl, clipNote, list, empty, plot };
}
