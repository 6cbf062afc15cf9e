// "Watch the model": beside the loss chart, the decision boundary of the run being watched
// (the newest shown run of a 2-D task): a heatmap of the model's probability of class 1 on
// the server's grid, under the training points, following the frames as they stream. A
// slider steps back through the frames; at its right end it follows the newest one.
// Only the `heatmap` and `scatter` trace types are used (both in plotly's partial bundles).

import { escapePlotlyText } from "../chart/chart.js";
import { plotlyConfig } from "../chart/plotly-config.js";
import { boundaryOf } from "../core/train-runs.js";
import { t } from "../i18n/i18n.js";
import { h } from "../ui/dom.js";
import { throttledDraw } from "../chart/throttled-draw.js";

const CLASS_COLORS = ["#1d4ed8", "#c2410c"];
// Blue (class 0) through white (undecided) to orange (class 1).
const COLORSCALE = [[0, "#93c5fd"], [0.5, "#ffffff"], [1, "#fdba74"]];

/** The run whose boundary is shown: the newest visible run that has one, or null. */
export function watchedRun(runs) {
  for (let i = runs.length - 1; i >= 0; i -= 1) {
    if (runs[i].visible && boundaryOf(runs[i])) return runs[i];
  }
  return null;
}

function tracesFor(grid, z) {
  const { points } = grid;
  const traces = [{
    type: "heatmap", x: grid.x, y: grid.y, z, zmin: 0, zmax: 1, colorscale: COLORSCALE,
    showscale: false, hovertemplate: "P(1) = %{z:.2f}<extra></extra>", meta: { kind: "boundary" },
  }];
  for (const label of [0, 1]) {
    const x = [];
    const y = [];
    for (let i = 0; i < points.label.length; i += 1) {
      if (points.label[i] !== label) continue;
      x.push(points.x[i]);
      y.push(points.y[i]);
    }
    traces.push({
      type: "scatter", mode: "markers", x, y, meta: { kind: "points", label },
      name: escapePlotlyText(t("train.boundaryClass", { n: label })), hoverinfo: "skip",
      marker: { size: 5, color: CLASS_COLORS[label], line: { color: "#ffffff", width: 0.6 } },
    });
  }
  return traces;
}

function layoutFor(grid, large) {
  const axis = { showgrid: false, zeroline: false, linecolor: "#9ca3af", mirror: true, ticks: "", showticklabels: false };
  return {
    font: { size: large ? 16 : 11, color: "#1f2937" },
    margin: { l: 4, r: 4, t: 4, b: 4 },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    showlegend: false,
    uirevision: "boundary",
    xaxis: { ...axis, range: [grid.x[0], grid.x.at(-1)], constrain: "domain" },
    yaxis: { ...axis, range: [grid.y[0], grid.y.at(-1)], scaleanchor: "x", constrain: "domain" },
  };
}

function buildBox() {
  const plot = h("div", { id: "train-boundary-plot", class: "train-boundary-plot", role: "img", "aria-label": t("train.boundaryAria"), dataset: { i18nLabel: "train.boundaryAria" } });
  const readout = h("p", { class: "train-boundary-epoch", role: "status" });
  const slider = h("input", { type: "range", id: "train-boundary-frame", min: "0", max: "0", step: "1", value: "0" });
  const element = h("figure", { class: "train-boundary", hidden: true },
    h("h3", { dataset: { i18n: "train.boundary" } }, t("train.boundary")),
    plot,
    readout,
    h("label", { class: "train-boundary-slider" },
      h("span", { dataset: { i18n: "train.boundaryFrame" } }, t("train.boundaryFrame")), slider),
    h("figcaption", { class: "train-key", dataset: { i18n: "train.boundaryKey" } }, t("train.boundaryKey")));
  return { element, plot, readout, slider };
}

/** The boundary box (`element`, to place beside the loss chart); drawing waits for `plotly`. */
export function createBoundaryView({ plotly }) {
  const { element, plot, readout, slider } = buildBox();
  let watched = null; // {id, follow}: which run, and whether the slider follows new frames
  let latest = null;

  async function draw() {
    await plotly;
    const { run, large } = latest;
    const { grid, frames } = boundaryOf(run);
    const count = frames.z.length;
    slider.max = String(Math.max(0, count - 1));
    if (watched.follow) slider.value = slider.max;
    slider.disabled = count < 2;
    const index = Math.min(Number(slider.value), count - 1);
    readout.textContent = count ? t("train.boundaryEpoch", { name: run.name, epoch: frames.epoch[index], epochs: run.start.epochs }) : run.name;
    plot.dataset.epoch = count ? String(frames.epoch[index]) : "";
    const z = count ? frames.z[index] : grid.y.map(() => grid.x.map(() => null));
    await window.Plotly.react(plot, tracesFor(grid, z), layoutFor(grid, large), plotlyConfig("lrscope-boundary", { narrow: true }));
  }
  const schedule = throttledDraw(draw, plot);

  slider.addEventListener("input", () => {
    if (watched) watched.follow = Number(slider.value) >= Number(slider.max);
    if (latest) schedule();
  });

  return {
    element,
    /** Show the boundary of the watched one of `runs` (hidden when none has one). */
    update(runs, view) {
      const run = watchedRun(runs);
      element.hidden = run === null;
      if (!run) return;
      if (watched?.id !== run.id) watched = { id: run.id, follow: true };
      latest = { run, large: Boolean(view.large) };
      schedule();
    },
    resize() {
      if (plot.data) window.Plotly.Plots.resize(plot);
    },
  };
}
