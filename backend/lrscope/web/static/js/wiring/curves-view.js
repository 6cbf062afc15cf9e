// The curve list beside the editor and its "Add curve" button.

import { defaultRunSpec } from "../core/catalog.js";
import * as store from "../core/state.js";
import { renderCurveList, updateCurveStatuses } from "../ui/curve-list.js";

const $ = (id) => document.getElementById(id);

export function wireCurves({ catalog, statusOf }) {
  const actions = {
    select: store.selectCurve,
    rename: (id, name) => store.updateCurve(id, { name }),
    recolor: (id, color) => store.updateCurve(id, { color }),
    toggle: (id) => store.updateCurve(id, { visible: !store.getCurve(id).visible }),
    duplicate: store.duplicateCurve,
    remove: store.removeCurve,
  };

  function updateStatuses() {
    updateCurveStatuses($("curve-list"), statusOf);
  }

  function renderCurves() {
    const state = store.getState();
    renderCurveList($("curve-list"), { curves: state.curves, selected: state.selected, actions });
    updateStatuses();
    $("add-curve").disabled = state.curves.length >= store.MAX_CURVES;
  }

  $("add-curve").addEventListener("click", () => store.addCurve({ spec: defaultRunSpec(catalog) }));
  return { renderCurves, updateStatuses };
}
