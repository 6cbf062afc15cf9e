// Zoomed views at full resolution: the step window a chart's x range shows, and a curve's
// decimated result with the exact points of that window put in its place. Pure: the
// wiring (wiring/zoom-view.js) asks the server (`range` on POST /api/schedule).

/**
 * The optimizer steps `[start, stop)` an x range shows (`axis` "step" or "epoch"), clamped
 * to the run; null when the range covers the whole run (nothing to add).
 */
export function stepWindow(range, { axis, stepsPerEpoch, numSteps }) {
  if (!Array.isArray(range) || range.length !== 2) return null;
  const scale = axis === "epoch" ? stepsPerEpoch : 1;
  const [a, b] = range.map(Number);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const start = Math.max(0, Math.floor(Math.min(a, b) * scale));
  const stop = Math.min(numSteps, Math.ceil(Math.max(a, b) * scale) + 1);
  if (stop <= start || (start === 0 && stop >= numSteps)) return null;
  return { start, stop };
}

/** The x range of a `plotly_relayout` event: [lo, hi], "auto" (zoomed out), or null (no x change). */
export function relayoutRange(event) {
  if (!event) return null;
  if (event["xaxis.autorange"] || event.autosize) return "auto";
  if (Array.isArray(event["xaxis.range"])) return event["xaxis.range"];
  if ("xaxis.range[0]" in event && "xaxis.range[1]" in event) return [event["xaxis.range[0]"], event["xaxis.range[1]"]];
  return null;
}

function spliced(full, part, outsideBefore, outsideAfter) {
  if (full === null || full === undefined || part === null || part === undefined) return full;
  return [...outsideBefore.map((i) => full[i]), ...part, ...outsideAfter.map((i) => full[i])];
}

/**
 * `full` (a whole-run answer, maybe decimated) with the points of `part` (the answer for
 * one step window) in place of its own points inside that window.
 */
export function withWindow(full, part) {
  if (!part || part.x.length === 0) return full;
  const start = part.x[0];
  const stop = part.x[part.x.length - 1];
  const before = [];
  const after = [];
  full.x.forEach((x, i) => {
    if (x < start) before.push(i);
    else if (x > stop) after.push(i);
  });
  const splice = (a, b) => spliced(a, b, before, after);
  return {
    ...full,
    x: splice(full.x, part.x),
    epoch: splice(full.epoch, part.epoch),
    metric: splice(full.metric, part.metric),
    groups: full.groups.map((g, k) => ({ lr: splice(g.lr, part.groups[k].lr), momentum: splice(g.momentum, part.groups[k].momentum) })),
    windowed: { start, stop: stop + 1, decimated: part.decimated },
    // A resumed curve's uninterrupted run (net/resume-evaluate.js) is refined in the window too.
    ...(full.uninterrupted ? { uninterrupted: withWindow(full.uninterrupted, part.uninterrupted) } : {}),
  };
}
