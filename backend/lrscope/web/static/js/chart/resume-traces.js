// A resumed curve's companions on the chart: the uninterrupted run (the same spec without
// "resume"), thin and dotted in the curve's colour, and a cross at each drawn step where
// the resumed rate departs from it.

import { departures } from "../core/resume.js";
import { formatNumber } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";

/**
 * Traces for `curve` whose answer `result` carries `uninterrupted`; `draw(x, y)` is the
 * chart's own thinning, `name` the curve's escaped name. Empty when there is none.
 */
export function resumeTraces(curve, result, view, draw, name) {
  const plain = result.uninterrupted;
  if (!plain) return [];
  const xOf = (answer) => (view.x === "step" ? answer.x : answer.epoch);
  const common = {
    type: "scatter",
    legendgroup: curve.id,
    visible: curve.visible ? true : "legendonly",
    meta: { resume: curve.id },
  };
  const many = plain.groups.length > 1;
  const traces = plain.groups.map((group, g) => ({
    ...common,
    mode: "lines",
    ...draw(xOf(plain), group.lr),
    name: `${many ? `${name} · ${t("chart.group")} ${g}` : name} · ${t("resume.uninterrupted")}`,
    opacity: 0.7,
    line: { color: curve.color, width: 1.5, dash: "dot", shape: plain.decimated ? "linear" : "hv" },
    hovertemplate: "%{text}",
  }));
  const at = departures(result, plain);
  if (at.length) {
    const x = xOf(result);
    const y = result.groups[0].lr;
    traces.push({
      ...common,
      mode: "markers",
      x: at.map((i) => x[i]),
      y: at.map((i) => y[i]),
      text: at.map((i) => `${t("resume.departsAt", { step: result.x[i] })}: ${formatNumber(y[i])}`),
      name: `${name} · ${t("resume.departs")}`,
      marker: { color: curve.color, symbol: "x", size: 8 },
      line: { color: curve.color },
      hovertemplate: "%{text}<extra></extra>",
    });
  }
  return traces;
}
