// The runs' losses with Plotly: per run, the training loss (solid; smoothed with the raw
// points faint behind it, when smoothing is on), the validation loss (dashed) and the
// learning rate (dotted) on a second y axis linked to the same epochs. Redraws are
// coalesced to a few per second however fast events arrive. Run names are escaped.

import { escapePlotlyText } from "../chart/chart.js";
import { plotlyConfig } from "../chart/plotly-config.js";
import { t } from "../i18n/i18n.js";

const MIN_REDRAW_MS = 150;
const SMOOTHING = 0.8; // weight of the past in the exponential moving average

/** Exponential moving average, debiased at the start (as TensorBoard draws it). */
export function smoothed(values, weight = SMOOTHING) {
  const out = new Array(values.length);
  let average = 0;
  let count = 0;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    average = weight * average + (1 - weight) * v;
    count += 1;
    out[i] = average / (1 - weight ** count);
  }
  return out;
}

function tracesFor(runs, view) {
  const traces = [];
  const wide = view.large ? 1.5 : 1;
  for (const run of runs) {
    if (!run.visible) continue;
    const name = escapePlotlyText(run.name);
    const meta = (kind) => ({ run: run.id, kind });
    const common = { type: "scatter", mode: "lines", legendgroup: run.id, showlegend: false };
    // Training loss: the per-step series, or the per-epoch means when there is none.
    const perStep = run.steps.epoch.length > 0;
    const x = perStep ? run.steps.epoch : run.epochs.epoch;
    const loss = perStep ? run.steps.loss : run.epochs.train;
    if (view.smooth) {
      traces.push({
        ...common, x, y: loss, meta: meta("raw"), name: `${name} · ${t("train.trace.raw")}`,
        opacity: 0.25, hoverinfo: "skip", line: { color: run.color, width: 1 * wide },
      });
    }
    traces.push({
      ...common, x, y: view.smooth ? smoothed(loss) : loss, meta: meta("train"),
      name: `${name} · ${t("train.trace.train")}`, line: { color: run.color, width: 2 * wide },
      hovertemplate: "%{y:.4g}",
    });
    traces.push({
      ...common, x: run.epochs.epoch, y: run.epochs.val, meta: meta("val"),
      mode: run.epochs.epoch.length < 30 ? "lines+markers" : "lines", marker: { size: 5 * wide },
      name: `${name} · ${t("train.trace.val")}`, line: { color: run.color, width: 2 * wide, dash: "dash" },
      hovertemplate: "%{y:.4g}",
    });
    traces.push({
      ...common, x, y: perStep ? run.steps.lr : run.epochs.lr, meta: meta("lr"), yaxis: "y2",
      name: `${name} · ${t("train.trace.lr")}`, line: { color: run.color, width: 1.5 * wide, dash: "dot", shape: "hv" },
      hovertemplate: "%{y:.4g}",
    });
  }
  return traces;
}

/**
 * On a linear scale, a diverged run (losses of 10⁹ before NaN) would flatten every other
 * run against zero: then the axis ends just above the other runs, and the diverged ones
 * are named so the page can say they leave the chart.
 */
export function clippedRange(runs, view) {
  if (view.y === "log") return null;
  const shown = runs.filter((run) => run.visible);
  const diverged = shown.filter((run) => run.done?.reason === "diverged");
  const steady = shown.filter((run) => run.done?.reason !== "diverged");
  if (diverged.length === 0 || steady.length === 0) return null;
  const top = (list) => {
    let max = 0;
    for (const run of list) {
      for (const series of [run.steps.loss, run.epochs.train, run.epochs.val]) {
        for (const v of series) if (v !== null && Number.isFinite(v) && v > max) max = v;
      }
    }
    return max;
  };
  const limit = top(steady);
  const beyond = diverged.filter((run) => top([run]) > limit * 1.08);
  if (limit <= 0 || beyond.length === 0) return null;
  return { range: [0, limit * 1.08], clipped: beyond.map((run) => run.name) };
}

function layoutFor(view, clip) {
  const font = { family: "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif", size: view.large ? 18 : 12, color: "#1f2937" };
  const axis = { gridcolor: "#e5e7eb", linecolor: "#9ca3af", zeroline: false };
  return {
    font,
    margin: view.large ? { l: 90, r: 90, t: 12, b: 64 } : view.narrow ? { l: 50, r: 50, t: 8, b: 40 } : { l: 64, r: 64, t: 8, b: 44 },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    hovermode: "x unified",
    showlegend: false,
    uirevision: `${view.y}|${clip ? clip.range[1] : "auto"}`,
    xaxis: { ...axis, title: { text: t("train.xEpoch") }, rangemode: "tozero" },
    yaxis: {
      ...axis, title: { text: t("train.yLoss") }, type: view.y === "log" ? "log" : "linear", exponentformat: "power",
      ...(clip ? { range: clip.range, autorange: false } : { autorange: true }),
    },
    yaxis2: {
      ...axis, title: { text: t("train.yLr") }, overlaying: "y", side: "right", showgrid: false,
      rangemode: "tozero", exponentformat: "power", tickmode: "auto", nticks: 6,
    },
  };
}

/** The loss chart in `el` (and its clipping `note`); drawing waits for `plotly` (a promise). */
export function createTrainChart(el, { plotly, note }) {
  let timer = null;
  let lastDraw = -Infinity;
  let latest = null;
  let drawing = Promise.resolve();
  let draws = 0;

  async function draw() {
    timer = null;
    lastDraw = performance.now();
    await plotly;
    const runs = latest.runs;
    const view = { ...latest.view, narrow: el.clientWidth < 520 };
    const clip = clippedRange(runs, view);
    note.textContent = clip ? t("train.clipped", { names: clip.clipped.join(", ") }) : "";
    note.hidden = !clip;
    await window.Plotly.react(el, tracesFor(runs, view), layoutFor(view, clip), plotlyConfig("lrscope-runs", { narrow: view.narrow }));
    draws += 1;
    el.dataset.draws = String(draws);
  }

  return {
    /** Draw `runs` (soon: redraws closer than MIN_REDRAW_MS apart are merged). */
    update(runs, view) {
      latest = { runs, view };
      if (timer) return;
      const wait = Math.max(0, MIN_REDRAW_MS - (performance.now() - lastDraw));
      timer = setTimeout(() => {
        drawing = drawing.then(draw).catch((error) => console.error(error));
      }, wait);
    },
    resize() {
      if (el.data) window.Plotly.Plots.resize(el);
    },
  };
}
