// The runs' losses with Plotly: per run, in its own colour, the training loss (solid) and
// the validation loss (dashed), each smoothed as TensorBoard smooths (core/smoothing.js)
// with its raw points faint behind it when the smoothing slider is above 0, and the
// learning rate (dotted) on a second y axis linked to the same epochs; a legend names each
// run; the x axis can be logarithmic. Redraws are coalesced to a few per second however
// fast events arrive. Run names are escaped.

import { escapePlotlyText } from "../chart/chart.js";
import { plotlyConfig } from "../chart/plotly-config.js";
import { smoothed } from "../core/smoothing.js";
import { formatNumber } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";
import { throttledDraw } from "../chart/throttled-draw.js";

// Epoch ticks on a log x axis: 1, 2, 5 in each decade, written as plain numbers.
const LOG_TICKS = [-2, -1, 0, 1, 2, 3].flatMap((e) => [1, 2, 5].map((m) => Number(`${m}e${e}`)));
// The hover names a trace by its own name (a run's name is text, never part of a template).

/** The traces of one run: training loss, validation loss (smoothed over their raw points), lr. */
function runTraces(run, view) {
  const traces = [];
  const wide = view.large ? 1.5 : 1;
  const weight = view.smoothing ?? 0;
  const name = escapePlotlyText(run.name);
  const meta = (kind) => ({ run: run.id, kind });
  const common = { type: "scatter", mode: "lines", legendgroup: run.id, showlegend: false };
  const raw = (x, y, kind, dash) => ({
    ...common, x, y, meta: meta(kind), name: `${name} · ${t(`train.trace.${kind}`)}`,
    opacity: 0.25, hoverinfo: "skip", line: { color: run.color, width: 1 * wide, dash },
  });
  // Training loss: the per-step series, or the per-epoch means when there is none.
  const perStep = run.steps.epoch.length > 0;
  const x = perStep ? run.steps.epoch : run.epochs.epoch;
  const loss = perStep ? run.steps.loss : run.epochs.train;
  if (weight > 0) traces.push(raw(x, loss, "raw", "solid"));
  // The legend names each run once, on its training loss (the key says which line is which).
  traces.push({
    ...common, x, y: weight > 0 ? smoothed(loss, weight) : loss, meta: meta("train"), showlegend: true,
    name, line: { color: run.color, width: 2 * wide },
    hovertemplate: `%{fullData.name} · ${t("train.trace.train")}: %{y:.4g}<extra></extra>`,
  });
  const markers = run.epochs.epoch.length < 30;
  if (weight > 0) traces.push({ ...raw(run.epochs.epoch, run.epochs.val, "valRaw", "dash"), mode: markers ? "lines+markers" : "lines", marker: { size: 3 * wide } });
  traces.push({
    ...common, x: run.epochs.epoch, y: weight > 0 ? smoothed(run.epochs.val, weight) : run.epochs.val, meta: meta("val"),
    mode: markers && weight === 0 ? "lines+markers" : "lines", marker: { size: 5 * wide },
    name: `${name} · ${t("train.trace.val")}`, line: { color: run.color, width: 2 * wide, dash: "dash" },
    hovertemplate: "%{fullData.name}: %{y:.4g}<extra></extra>",
  });
  traces.push({
    ...common, x, y: perStep ? run.steps.lr : run.epochs.lr, meta: meta("lr"), yaxis: "y2",
    name: `${name} · ${t("train.trace.lr")}`, line: { color: run.color, width: 1.5 * wide, dash: "dot", shape: "hv" },
    hovertemplate: "%{fullData.name}: %{y:.4g}<extra></extra>",
  });
  return traces;
}

function tracesFor(runs, view) {
  return runs.filter((run) => run.visible).flatMap((run) => runTraces(run, view));
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
    showlegend: true,
    legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.8)" },
    uirevision: `${view.y}|${view.xlog ? "log" : "linear"}|${clip ? clip.range[1] : "auto"}`,
    xaxis: {
      ...axis, title: { text: t("train.xEpoch") }, type: view.xlog ? "log" : "linear",
      ...(view.xlog ? { tickvals: LOG_TICKS, ticktext: LOG_TICKS.map(formatNumber) } : { rangemode: "tozero" }),
    },
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
  let latest = null;

  async function draw() {
    await plotly;
    const runs = latest.runs;
    const view = { ...latest.view, narrow: el.clientWidth < 520 };
    const clip = clippedRange(runs, view);
    // One legend line per run above the plot: the chart grows by as much, the plot keeps its size.
    el.style.setProperty("--legend-lines", String(runs.filter((run) => run.visible).length));
    note.textContent = clip ? t("train.clipped", { names: clip.clipped.join(", ") }) : "";
    note.hidden = !clip;
    await window.Plotly.react(el, tracesFor(runs, view), layoutFor(view, clip), plotlyConfig("lrscope-runs", { narrow: view.narrow }));
    // The chart grew (or shrank) with its legend, but Plotly keeps the height it measured
    // first: without this the legend of many runs squeezes the plot into a strip.
    const height = el.clientHeight;
    if (height > 0 && Math.round(el._fullLayout?.height ?? height) !== height) await window.Plotly.Plots.resize(el);
  }
  const schedule = throttledDraw(draw, el);

  return {
    /** Draw `runs` (soon: redraws closer than MIN_REDRAW_MS apart are merged). */
    update(runs, view) {
      latest = { runs, view };
      schedule();
    },
    resize() {
      if (el.data) window.Plotly.Plots.resize(el);
    },
  };
}
