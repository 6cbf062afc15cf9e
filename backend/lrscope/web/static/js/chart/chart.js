// Draws the overlay with Plotly: one trace per curve and param group, learning rate on
// top and, when any curve cycles momentum (or Adam's beta1), momentum in a linked
// subplot below. A ReduceLROnPlateau curve also shows the metric it stepped on, dotted,
// on a right-hand axis. Curve names are escaped: Plotly renders HTML-like markup in names.

import { formatNumber } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";
import { plotlyConfig } from "./plotly-config.js";
import { resumeTraces } from "./resume-traces.js";

const GROUP_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];

/** Make text safe to use as a Plotly trace name or label. */
export function escapePlotlyText(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function cycles(series) {
  if (!series || series.length === 0) return false;
  let lo = series[0];
  let hi = series[0];
  for (const v of series) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > lo;
}

/** Whether any shown curve carries the metric ReduceLROnPlateau stepped on. */
export function metricShown(curves, statusOf) {
  return curves.some((c) => c.visible && Array.isArray(statusOf(c.id).good?.metric));
}

/** Whether the momentum subplot is needed for these curves. */
export function momentumShown(curves, statusOf) {
  return curves.some((c) => c.visible && statusOf(c.id).good?.groups.some((g) => cycles(g.momentum)));
}

// What one series draws, made once per series: the points that matter and their exact
// values as text (the shortest decimal that round-trips) for the hover label.
const drawn = new WeakMap();

/**
 * Thin out flat runs: a point whose neighbours both hold the same value adds nothing to a
 * "hv" or straight-line drawing. One point in every n/100 is kept anyway, so the hover
 * always finds a point near the mouse. A flat momentum of 10,000 steps becomes ~100 points.
 */
export function flatRunsThinned(y) {
  const keep = [];
  const n = y.length;
  const gap = Math.max(1, Math.floor(n / 100));
  let last = -Infinity;
  for (let i = 0; i < n; i += 1) {
    if (i === 0 || i === n - 1 || y[i] !== y[i - 1] || y[i] !== y[i + 1] || i - last >= gap) {
      keep.push(i);
      last = i;
    }
  }
  return keep;
}

function seriesToDraw(x, y) {
  let byX = drawn.get(y);
  if (!byX) {
    byX = new Map();
    drawn.set(y, byX);
  }
  let out = byX.get(x);
  if (!out) {
    const keep = flatRunsThinned(y);
    out = keep.length === y.length
      ? { x, y, text: y.map(formatNumber) }
      : { x: keep.map((i) => x[i]), y: keep.map((i) => y[i]), text: keep.map((i) => formatNumber(y[i])) };
    byX.set(x, out);
  }
  return out;
}

/** The metric a ReduceLROnPlateau curve stepped on: dotted, on the right-hand axis. */
function metricTrace(curve, result, x, name, dim) {
  return {
    type: "scatter",
    mode: "lines",
    legendgroup: curve.id,
    visible: curve.visible ? true : "legendonly",
    opacity: dim ? 0.3 : 0.8,
    x,
    y: result.metric,
    text: result.metric.map((v) => (v === null ? "" : formatNumber(v))),
    name: `${name} · ${t("chart.metricShort")}`,
    yaxis: "y3",
    showlegend: false,
    connectgaps: false,
    line: { color: curve.color, width: 1.5, dash: "dot", shape: result.decimated ? "linear" : "hv" },
    hovertemplate: "%{text}",
  };
}

const PITFALL_DASHES = { per_process: "dash", per_micro_batch: "dot", per_epoch_horizon: "dashdot" };

/** The setup's pitfall overlays the view asks for: thin, dashed, in the curve's colour. */
function pitfallTraces(curve, result, x, name, view) {
  const wanted = new Set(view.pitfalls ?? []);
  return (result.setup?.pitfalls ?? []).filter((p) => p.groups && wanted.has(p.name)).map((p) => ({
    type: "scatter",
    mode: "lines",
    legendgroup: curve.id,
    visible: curve.visible ? true : "legendonly",
    opacity: 0.75,
    ...seriesToDraw(x, p.groups[0].lr),
    name: `${name} · ${t(`setup.pitfall.short.${p.name}`)}`,
    line: { color: curve.color, width: 1.5, dash: PITFALL_DASHES[p.name] ?? "dash", shape: result.decimated ? "linear" : "hv" },
    hovertemplate: "%{text}",
  }));
}

function tracesFor(curves, statusOf, view, withMomentum, withMetric) {
  const traces = [];
  const owners = [];
  for (const curve of curves) {
    const status = statusOf(curve.id);
    const result = status.good;
    if (!result) continue;
    const dim = Boolean(status.error) && status.stale;
    const x = view.x === "step" ? result.x : result.epoch;
    const name = escapePlotlyText(curve.name);
    const many = result.groups.length > 1;
    const resumed = result.uninterrupted ? ` · ${t("resume.resumed")}` : "";
    result.groups.forEach((group, g) => {
      const label = (many ? `${name} · ${t("chart.group")} ${g}` : name) + resumed;
      const common = {
        type: "scatter",
        mode: "lines",
        legendgroup: curve.id,
        visible: curve.visible ? true : "legendonly",
        opacity: dim ? 0.3 : 1,
        // "hv": the rate of step i holds until step i+1, as in training. Decimated
        // series skip steps, so there a straight segment is no less honest and is cheaper.
        line: { color: curve.color, width: view.classroom ? 3 : 2, dash: GROUP_DASHES[g % GROUP_DASHES.length], shape: result.decimated ? "linear" : "hv" },
      };
      traces.push({
        ...common,
        ...seriesToDraw(x, group.lr),
        name: dim ? `${label} (${t("chart.stale")})` : label,
        hovertemplate: "%{text}",
      });
      owners.push(curve.id);
      if (withMomentum && group.momentum) {
        traces.push({
          ...common,
          ...seriesToDraw(x, group.momentum),
          name: `${label} · ${t("chart.momentumShort")}`,
          yaxis: "y2",
          showlegend: false,
          line: { ...common.line, width: 1.5 },
          hovertemplate: "%{text}",
        });
        owners.push(curve.id);
      }
    });
    for (const trace of [...pitfallTraces(curve, result, x, name, view), ...resumeTraces(curve, result, view, seriesToDraw, name)]) {
      traces.push(trace);
      owners.push(curve.id);
    }
    if (withMetric && Array.isArray(result.metric)) { // y3 exists only then
      traces.push(metricTrace(curve, result, x, name, dim));
      owners.push(curve.id);
    }
  }
  return { traces, owners };
}

/** A logged run's rate as points, and its first divergence as a larger red cross. */
export function overlayTraces(overlay, view) {
  if (!overlay) return [];
  const perEpoch = overlay.stepsPerEpoch || 1;
  const at = (step) => (view.x === "step" ? step : step / perEpoch);
  const traces = [{
    type: "scatter",
    mode: "markers",
    x: overlay.step.map(at),
    y: overlay.value,
    text: overlay.value.map(formatNumber),
    name: t("chart.logged"),
    marker: { color: "#111827", size: 6, symbol: "circle-open" },
    line: { color: "#111827" }, // unused by markers; every trace has one
    hovertemplate: "%{text}",
  }];
  const d = overlay.divergence;
  if (d) {
    traces.push({
      type: "scatter",
      mode: "markers",
      x: [at(d.step)],
      y: [d.logged],
      text: [formatNumber(d.logged)],
      name: t("chart.divergence"),
      marker: { color: "#dc2626", size: 14, symbol: "x" },
      line: { color: "#dc2626" },
      hovertemplate: "%{text}",
    });
  }
  return traces;
}

function layoutFor(view, withMomentum, withMetric, large, narrow) {
  const font = { family: "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif", size: large ? (narrow ? 14 : 20) : 12, color: "#1f2937" };
  // Fixed margins and tick labels allowed to overflow: automargin makes Plotly lay the
  // chart out twice, and the overflow check measures every label, on every redraw.
  const axis = { gridcolor: "#e5e7eb", linecolor: "#9ca3af", zeroline: false, automargin: false, ticklabeloverflow: "allow" };
  const layout = {
    font,
    // Left: room for tick labels such as 3×10⁻⁴ beside the axis title. A phone keeps
    // compact margins even in classroom mode, or the plot itself would shrink to nothing.
    margin: narrow
      ? { l: 64, r: withMetric ? 48 : 12, t: 8, b: large ? 64 : 48 }
      : large ? { l: 140, r: withMetric ? 110 : 24, t: 16, b: 80 } : { l: 92, r: withMetric ? 72 : 16, t: 8, b: 52 },
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    hovermode: "x unified",
    hoverlabel: { font: { size: large ? 18 : 12 } },
    uirevision: `${view.x}|${view.y}`,
    showlegend: true,
    legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom", bgcolor: "rgba(255,255,255,0.8)" },
    // Axis types are given so Plotly does not scan every value to guess them.
    xaxis: { ...axis, type: "linear", title: { text: t(view.x === "step" ? "chart.xStep" : "chart.xEpoch") }, anchor: withMomentum ? "y2" : "y" },
    yaxis: {
      ...axis,
      title: { text: t("chart.yLr") },
      type: view.y === "log" ? "log" : "linear",
      exponentformat: "power",
      domain: withMomentum ? [0.34, 1] : [0, 1],
    },
  };
  if (withMetric) {
    layout.yaxis3 = {
      ...axis,
      type: "linear",
      title: { text: t(narrow ? "chart.metricShort" : "chart.yMetric") },
      overlaying: "y",
      side: "right",
      domain: layout.yaxis.domain,
      showgrid: false,
      tickmode: "auto",
      exponentformat: "power",
    };
  }
  if (withMomentum) {
    layout.yaxis2 = { ...axis, type: "linear", title: { text: t("chart.yMomentum") }, domain: [0, 0.26] };
  }
  return layout;
}

/**
 * Create the chart in `el`; `onLegendToggle(curveId)` runs on a legend click and
 * `onRelayout(event)` on a zoom, pan or zoom-out (Plotly's relayout event).
 */
export function createChart(el, { onLegendToggle, onRelayout = () => {} }) {
  let owners = [];
  let bound = false;
  let renders = 0;
  let drawnNarrow = null;
  const isNarrow = () => el.clientWidth < 600; // a phone: compact margins, no toolbar

  function bindEvents() {
    if (bound) return;
    bound = true;
    el.on("plotly_legendclick", (event) => {
      const id = owners[event.curveNumber];
      if (id) onLegendToggle(id);
      return false; // the state decides visibility, not Plotly
    });
    el.on("plotly_legenddoubleclick", () => false);
    el.on("plotly_relayout", (event) => onRelayout(event));
  }

  return {
    /** Redraw from scratch for the given curves; resolves when Plotly has drawn. */
    async render({ curves, statusOf, view, overlay = null }) {
      const withMomentum = momentumShown(curves, statusOf);
      const withMetric = metricShown(curves, statusOf);
      const built = tracesFor(curves, statusOf, view, withMomentum, withMetric);
      built.traces.push(...overlayTraces(overlay, view));
      owners = built.owners;
      const large = Boolean(view.classroom);
      const narrow = isNarrow();
      drawnNarrow = narrow;
      await window.Plotly.react(el, built.traces, layoutFor(view, withMomentum, withMetric, large, narrow), plotlyConfig("lrscope", { narrow }));
      bindEvents();
      renders += 1;
      el.dataset.renders = String(renders);
      performance.mark("lrscope:chart-rendered");
      window.dispatchEvent(new CustomEvent("lrscope:rendered", { detail: { renders } }));
    },
    /** Whether the chart's width crossed the phone/desktop line since it was drawn. */
    layoutChanged() {
      return drawnNarrow !== null && drawnNarrow !== isNarrow();
    },
    /** Resize to the container after a layout change (e.g. classroom mode). */
    resize() {
      if (el.data) window.Plotly.Plots.resize(el);
    },
    /** A PNG data URL of the chart as shown. */
    toPng() {
      return window.Plotly.toImage(el, { format: "png", scale: 2, width: el.clientWidth, height: el.clientHeight });
    },
  };
}
