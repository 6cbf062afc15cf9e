// The top bar (presets, share link, classroom, language) and the chart's toolbar (axes,
// exports), plus the page's static text.

import { availablePresets, hfVersion, presetById } from "../core/presets.js";
import * as store from "../core/state.js";
import { downloadCsv, downloadJson, downloadPng } from "../chart/export.js";
import { t } from "../i18n/i18n.js";
import { errorText, serverText } from "../i18n/server.js";
import { translateStatic } from "../i18n/static.js";
import { applyClassroom, wireClassroomDialog } from "../ui/classroom.js";
import { h } from "../ui/dom.js";
import { showNotice } from "../ui/notice.js";
import { wireSharing } from "../ui/share-dialog.js";

const $ = (id) => document.getElementById(id);

/** A preset's name in the page's language (an HF preset is named as HF names it). */
function presetName(preset) {
  return preset.group === "hf" ? `HF ${preset.name}` : t(`preset.${preset.id}`);
}

function renderPresetMenu(catalog) {
  const presets = availablePresets(catalog);
  const group = (kind, label, params = {}) => h("optgroup", { label: t(label, params) },
    presets.filter((p) => p.group === kind).map((p) => h("option", { value: p.id }, p.group === "hf" ? p.name : presetName(p))));
  $("preset-select").replaceChildren(
    h("option", { value: "" }, t("presets.placeholder")),
    group("classic", "presets.classic"),
    group("recipe", "presets.recipes"),
    group("loop", "presets.loops"),
    ...(hfVersion(catalog) ? [group("hf", "presets.hf", { version: hfVersion(catalog) })] : []),
  );
}

function wireTopBar(link, catalog) {
  $("preset-select").addEventListener("change", () => {
    const preset = presetById($("preset-select").value, catalog);
    $("preset-select").value = "";
    if (!preset) return;
    store.setSpec(store.getState().selected, structuredClone(preset.spec), { structural: true, name: presetName(preset), follow: preset.group === "loop" ? null : preset.id });
    // HF's surprises, said when its preset is picked.
    if (preset.group === "hf") showNotice([t("presets.hfPicked", { version: hfVersion(catalog), name: preset.name }), ...preset.warnings.map(serverText)].join(" "));
  });
  $("lang-select").addEventListener("change", () => store.setView({ lang: $("lang-select").value }));
  wireSharing(link);
  $("notice-close").addEventListener("click", () => showNotice(""));
  wireClassroomDialog({
    getView: () => store.getState().view,
    onStart: (hide) => store.setView({ classroom: { hide } }),
    onExit: () => store.setView({ classroom: null }),
  });
}

function wireChartToolbar(catalog, chart) {
  for (const radio of document.querySelectorAll("input[name=x-axis]")) {
    radio.addEventListener("change", () => store.setView({ x: radio.value }));
  }
  for (const radio of document.querySelectorAll("input[name=y-scale]")) {
    radio.addEventListener("change", () => store.setView({ y: radio.value }));
  }
  const exporting = (fn) => async () => {
    try {
      await fn();
    } catch (error) {
      showNotice(t("export.failed", { message: errorText(error) }));
    }
  };
  $("export-png").addEventListener("click", exporting(() => downloadPng(chart)));
  $("export-csv").addEventListener("click", exporting(() => downloadCsv(catalog, store.getState().curves)));
  $("export-json").addEventListener("click", exporting(() => downloadJson(catalog, store.getState().curves)));
}

export function wireToolbar({ catalog, chart, link }) {
  wireTopBar(link, catalog);
  wireChartToolbar(catalog, chart);
  return {
    renderView() {
      const { view } = store.getState();
      for (const radio of document.querySelectorAll("input[name=x-axis]")) radio.checked = radio.value === view.x;
      for (const radio of document.querySelectorAll("input[name=y-scale]")) radio.checked = radio.value === view.y;
      $("lang-select").value = view.lang;
      applyClassroom(view);
    },
    renderStatic() {
      translateStatic();
      $("footer-torch").textContent = t("footer.torch", { version: catalog.torchVersion });
      renderPresetMenu(catalog);
    },
  };
}
