// The chart and the lines under it (errors, warnings, decimation): redrawn once plotly.js
// is there, one redraw at a time, however fast answers arrive.

import { createChart } from "../chart/chart.js";
import * as store from "../core/state.js";
import { t } from "../i18n/i18n.js";
import { issueText, warningTexts } from "../i18n/server.js";
import { h } from "../ui/dom.js";
import { withUninterrupted } from "../net/resume-evaluate.js";
import { createZoom } from "./zoom-view.js";

const $ = (id) => document.getElementById(id);

/** The lines under the chart for one curve: its errors, warnings and what is drawn. */
function curveLines(curve, prefix, statusOf) {
  const status = statusOf(curve.id);
  const items = [];
  if (status.error && status.stale) {
    for (const issue of status.error.issues) {
      const where = issue.loc.filter((part) => part !== "body").join(".");
      items.push(h("li", { class: "error" }, `${prefix}${where ? `${where}: ` : ""}${issueText(issue)}`));
    }
  }
  const result = status.good;
  if (!result) return items;
  for (const warning of warningTexts(result)) items.push(h("li", { class: "warning" }, prefix + warning));
  if (curve.follow && curve.id === store.getState().selected) items.push(h("li", { class: "info" }, prefix + t("follow.on")));
  if (result.windowed && curve.id === store.getState().selected) {
    items.push(h("li", { class: "info" }, prefix + t("chart.windowed", { start: result.windowed.start, last: result.windowed.stop - 1 })));
  }
  if (result.decimated && curve.id === store.getState().selected) {
    items.push(h("li", { class: "info" }, prefix + t("chart.decimated", { points: result.x.length, steps: result.num_steps })));
  }
  return items;
}

/** `statusOf(id)` and `isIdle()` come from the evaluator. */
export function wireChart({ catalog, plotly, statusOf: evaluated, isIdle: evaluatorIdle, overlay = () => null }) {
  let renderChain = Promise.resolve();
  let renderQueued = false;
  let firstChart = true;
  const zoom = createZoom({ catalog, statusOf: evaluated, evaluate: withUninterrupted(), onChange: () => {
    requestChart();
    renderWarnings();
  } });
  const statusOf = zoom.statusOf;
  const isIdle = () => evaluatorIdle() && !zoom.pending();
  const chart = createChart($("chart"), {
    onLegendToggle: (id) => store.updateCurve(id, { visible: !store.getCurve(id).visible }),
    onRelayout: (event) => zoom.onRelayout(event),
  });

  // Crossing the phone/desktop width changes margins and the toolbar: draw again then.
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (chart.layoutChanged()) requestChart();
    }, 150);
  });

  function requestChart() {
    if (renderQueued) return;
    renderQueued = true;
    renderChain = renderChain.then(() => plotly).then(async () => {
      renderQueued = false;
      zoom.refresh(); // a new answer or curve: ask for the window in view again
      const state = store.getState();
      await chart.render({ curves: state.curves, statusOf, view: state.view, overlay: overlay() });
      const anyGood = state.curves.some((c) => statusOf(c.id).good);
      if (firstChart && anyGood) {
        firstChart = false;
        performance.mark("lrscope:first-chart");
      }
      $("chart-status").textContent = anyGood ? "" : t("chart.loading");
      document.body.dataset.state = isIdle() ? "idle" : "busy";
    }).catch((error) => console.error(error));
  }

  function renderWarnings() {
    const { curves } = store.getState();
    const prefixOf = (curve) => (curves.length > 1 ? `${curve.name}: ` : "");
    $("warnings").replaceChildren(...curves.filter((c) => c.visible).flatMap((c) => curveLines(c, prefixOf(c), statusOf)));
  }

  return { chart, requestChart, renderWarnings };
}
