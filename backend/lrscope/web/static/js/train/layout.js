// The Train panel's markup: the form beside the loss chart (with its toolbar and key) and
// the watched run's decision boundary, the run list and the saved runs.

import { t } from "../i18n/i18n.js";
import { h } from "../ui/dom.js";

function toolbar(view, redraw) {
  const scale = h("fieldset", { class: "segmented" },
    h("legend", { dataset: { i18n: "train.yScale" } }, t("train.yScale")),
    ["linear", "log"].map((value) => {
      const radio = h("input", { type: "radio", name: "train-y-scale", value, checked: view.y === value });
      radio.addEventListener("change", () => redraw({ y: value }));
      return h("label", {}, radio, h("span", { dataset: { i18n: `train.${value}` } }, t(`train.${value}`)));
    }));
  const smooth = h("input", { type: "checkbox", name: "train-smooth", checked: view.smooth });
  smooth.addEventListener("change", () => redraw({ smooth: smooth.checked }));
  return h("div", { class: "train-toolbar", role: "group", "aria-labelledby": "train-chart-title" },
    h("h3", { id: "train-chart-title", dataset: { i18n: "train.chart" } }, t("train.chart")),
    scale,
    h("label", { class: "inline-check train-smooth" }, smooth, h("span", { dataset: { i18n: "train.smooth" } }, t("train.smooth"))));
}

/**
 * Fill `root`; `redraw(patch)` changes the chart's view. Returns the parts the panel
 * updates: chart element, clip note, run list, empty note and plot box.
 */
export function buildPanel(root, { form, saved, boundary, view, redraw }) {
  const chartEl = h("div", { id: "train-chart", class: "train-chart", role: "img", "aria-label": t("train.chartAria"), dataset: { i18nLabel: "train.chartAria" } });
  const clipNote = h("p", { class: "train-note", role: "status", hidden: true });
  const list = h("ul", { class: "run-list", "aria-labelledby": "train-runs-title" });
  const empty = h("p", { class: "train-empty", dataset: { i18n: "train.noRuns" } }, t("train.noRuns"));
  const plot = h("div", { class: "train-plot", hidden: true },
    toolbar(view, redraw),
    h("p", { class: "train-key", dataset: { i18n: "train.key" } }, t("train.key")),
    clipNote,
    h("div", { class: "train-views" }, h("div", { class: "train-chart-wrap" }, chartEl), boundary.element));
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
