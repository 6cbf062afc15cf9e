// Edits of the selected curve when it follows a preset (core/follow.js): a change of the
// run length rebuilds it in the preset's proportions; any other edit is by hand and ends
// that, said in a notice.

import { RUN_LENGTH_KEYS, followHfCall, followRun } from "../core/follow.js";
import { presetById } from "../core/presets.js";
import * as store from "../core/state.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";
import { hfRecipe } from "../net/api.js";
import { showNotice } from "../ui/notice.js";

const $ = (id) => document.getElementById(id);

/** The editor's `change(path, value, structural)`; `rerender()` rebuilds the form. */
export function followingChange({ catalog, rerender }) {
  return (path, value, structural) => {
    const id = store.getState().selected;
    const curve = store.getCurve(id);
    const preset = curve?.follow ? presetById(curve.follow, catalog) : null;
    if (preset && path.length === 1 && RUN_LENGTH_KEYS.includes(path[0])) {
      const edited = store.setIn(curve.spec, path, value);
      const run = Object.fromEntries(RUN_LENGTH_KEYS.map((key) => [key, edited[key]]));
      if (preset.group === "hf") followHf({ catalog, id, preset, edited, rerender });
      else store.setSpec(id, followRun(catalog, preset.spec, run), { structural: false, follow: curve.follow });
      refreshValues(rerender);
      return;
    }
    if (preset) showNotice(t("follow.stopped", { name: curve.name }));
    store.setSpecValue(id, path, value, { structural });
  };
}

/**
 * An HF preset: the run changes at once, and the server writes HF's formula for it (the
 * page holds no copy); an answer for a run that has since changed again is dropped.
 */
function followHf({ catalog, id, preset, edited, rerender }) {
  store.setSpec(id, edited, { structural: false, follow: preset.id });
  if (!edited.recipe) return; // ReduceLROnPlateau: nothing counts steps
  const call = followHfCall(catalog, preset.call, edited);
  const wanted = JSON.stringify(edited);
  hfRecipe(call, edited.optimizer?.lr ?? preset.spec.optimizer.lr).then(
    ({ scheduler, recipe }) => {
      const curve = store.getCurve(id);
      if (!curve || curve.follow !== preset.id || JSON.stringify(curve.spec) !== wanted) return;
      store.setSpec(id, { ...curve.spec, scheduler, recipe }, { structural: false, follow: preset.id });
      refreshValues(rerender);
    },
    (error) => showNotice(errorText(error)),
  );
}

/** Rebuild the form for the new values, keeping the field being typed in focused. */
function refreshValues(rerender) {
  const active = document.activeElement;
  const path = active?.closest?.("[data-path]")?.dataset.path;
  const caret = typeof active?.selectionStart === "number" ? active.selectionStart : null;
  rerender();
  if (!path) return;
  const again = $("editor").querySelector(`[data-path="${CSS.escape(path)}"]`)?.querySelector("input, select, textarea");
  again?.focus();
  if (caret !== null && again?.setSelectionRange) again.setSelectionRange(caret, caret);
}
