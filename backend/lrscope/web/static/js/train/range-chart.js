// The LR range test's chart: loss against the learning rate on a log x axis (the raw loss
// faint, the smoothed loss the sweep judges by solid), and each suggestion as a vertical
// line with its own colour, named in the legend. Redraws are coalesced as the loss
// chart's are.

import { plotlyConfig } from "../chart/plotly-config.js";
import { formatNumber } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";
import { usableSuggestions } from "../core/range-test.js";
import { throttledDraw } from "../chart/throttled-draw.js";

export const SUGGESTION_COLORS = { steepest: "#d97706", valley: "#059669", minimum: "#7c3aed" };

/**
 * The y range: the smoothed loss's, with a margin. The raw loss (faint) may leave it: its
 * spikes near divergence would otherwise flatten the curve the sweep is judged by.
 */
export function lossRange(sweep) {
  const values = sweep.smoothed.filter((v) => v !== null && Number.isFinite(v));
  if (!values.length) return [0, 1];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = (high - low) * 0.08 || Math.abs(high) * 0.05 || 0.05;
  return [low - pad, high + pad];
}

function tracesFor(sweep, { large, picked }) {
  const wide = large ? 1.5 : 1;
  const traces = [
    {
      type: "scatter", mode: "lines", x: sweep.lr, y: sweep.loss, name: t("range.trace.raw"), meta: { kind: "raw" },
      line: { color: "#2563eb", width: 1 * wide }, opacity: 0.3, hoverinfo: "skip",
    },
    {
      type: "scatter", mode: "lines", x: sweep.lr, y: sweep.smoothed, name: t("range.trace.smoothed"), meta: { kind: "smoothed" },
      line: { color: "#2563eb", width: 2.5 * wide }, hovertemplate: `${t("range.lr")} %{x:.3g}<br>${t("range.trace.smoothed")} %{y:.4g}<extra></extra>`,
    },
  ];
  const [low, high] = lossRange(sweep);
  for (const s of usableSuggestions(sweep)) {
    traces.push({
      type: "scatter", mode: "lines", x: [s.lr, s.lr], y: [low, high], meta: { kind: "suggestion", name: s.name },
      name: `${t(`range.name.${s.name}`)}: ${formatNumber(Number(s.lr.toPrecision(3)))}`,
      line: { color: SUGGESTION_COLORS[s.name], width: (s.name === picked ? 3.5 : 2) * wide, dash: s.name === picked ? "solid" : "dash" },
      hovertemplate: `${t(`range.name.${s.name}`)} %{x:.3g}<extra></extra>`,
    });
  }
  return traces;
}

function layoutFor(sweep, { large, narrow }) {
  const font = { family: "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif", size: large ? 18 : 12, color: "#1f2937" };
  const axis = { gridcolor: "#e5e7eb", linecolor: "#9ca3af", zeroline: false };
  return {
    font,
    margin: narrow ? { l: 50, r: 16, t: 8, b: 40 } : { l: 64, r: 24, t: 8, b: 48 },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    hovermode: "closest",
    showlegend: true,
    legend: { orientation: "h", y: -0.22, x: 0 },
    uirevision: sweep.id,
    xaxis: { ...axis, type: "log", title: { text: t("range.xLr") }, exponentformat: "power" },
    yaxis: { ...axis, title: { text: t("range.yLoss") }, range: lossRange(sweep), autorange: false },
  };
}

/** The chart in `el`; drawing waits for `plotly` (a promise). */
export function createRangeChart(el, { plotly }) {
  let latest = null;

  async function draw() {
    await plotly;
    const view = { ...latest.view, narrow: el.clientWidth < 520 };
    await window.Plotly.react(el, tracesFor(latest.sweep, view), layoutFor(latest.sweep, view), plotlyConfig("lrscope-lr-range-test", { narrow: view.narrow }));
  }
  const schedule = throttledDraw(draw, el);

  return {
    /** Draw `sweep` with the view `{large, picked}` (soon; close redraws are merged). */
    update(sweep, view) {
      latest = { sweep, view };
      schedule();
    },
  };
}
