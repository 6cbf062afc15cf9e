// Exact values where the user looks: on a Plotly zoom, each visible curve whose answer was
// decimated is asked again for the steps in view (`range` on POST /api/schedule), and the
// chart draws those real points in place of the decimated ones. Zooming out drops them.

import { requestSpec } from "../core/catalog.js";
import * as store from "../core/state.js";
import { relayoutRange, stepWindow, withWindow } from "../core/zoom.js";
import { evaluateSchedule } from "../net/api.js";

/** `statusOf` is the evaluator's; `onChange()` redraws. Returns the zoomed `statusOf`. */
export function createZoom({ catalog, statusOf, onChange, evaluate = evaluateSchedule }) {
  let shown = null; // {range, axis}: the x range in view, or null when zoomed out
  const parts = new Map(); // curve id -> {base, start, stop, result, merged}

  function windowFor(curve, good) {
    const axis = store.getState().view.x;
    if (!shown || shown.axis !== axis) return null;
    return stepWindow(shown.range, { axis, stepsPerEpoch: curve.spec.steps_per_epoch ?? 1, numSteps: good.num_steps });
  }

  /** Ask for the window in view of each curve that lacks it (after a zoom or a new answer). */
  function refresh() {
    for (const curve of store.getState().curves) {
      const { good, stale } = statusOf(curve.id);
      const w = good && !stale && good.decimated && curve.visible ? windowFor(curve, good) : null;
      const have = parts.get(curve.id);
      if (!w) {
        parts.delete(curve.id);
        continue;
      }
      if (have && have.base === good && have.start === w.start && have.stop === w.stop) continue;
      const ticket = { base: good, ...w, result: null, merged: null };
      parts.set(curve.id, ticket);
      evaluate(requestSpec(catalog, curve.spec, { range: w }))
        .then((result) => {
          if (parts.get(curve.id) !== ticket) return;
          ticket.result = result;
          onChange();
        })
        .catch(() => parts.get(curve.id) === ticket && parts.delete(curve.id)); // keep the decimated view
    }
  }

  return {
    /** The evaluator's status with the zoomed window's exact points in the result. */
    statusOf(id) {
      const status = statusOf(id);
      const part = parts.get(id);
      if (!part?.result || part.base !== status.good) return status;
      part.merged ??= withWindow(status.good, part.result);
      return { ...status, good: part.merged };
    },
    /** A `plotly_relayout` event: remember the x range and fetch what it shows. */
    onRelayout(event) {
      const range = relayoutRange(event);
      if (range === null) return;
      shown = range === "auto" ? null : { range, axis: store.getState().view.x };
      refresh();
      if (!shown) onChange();
    },
    refresh,
    /** True while a window is on its way. */
    pending: () => [...parts.values()].some((p) => p.result === null),
  };
}
