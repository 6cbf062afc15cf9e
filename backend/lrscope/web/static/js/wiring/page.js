// Connects the state to the views and the views back to the state: every change the
// store announces is passed to the views it concerns.

import { requestSpec } from "../core/catalog.js";
import { initialState, missingShortLink } from "../core/initial-state.js";
import * as store from "../core/state.js";
import { setLanguage, t } from "../i18n/i18n.js";
import { createEvaluator } from "../net/evaluator.js";
import { withUninterrupted } from "../net/resume-evaluate.js";
import { showNotice } from "../ui/notice.js";
import { createImportPanel } from "../ui/import-panel.js";
import { createLogPanel } from "../ui/log-panel.js";
import { createShareLink } from "../ui/share-link.js";
import { wireChart } from "./chart-view.js";
import { wireCurves } from "./curves-view.js";
import { wireEditor } from "./editor-view.js";
import { wireReadout } from "./readout-view.js";
import { wireToolbar } from "./toolbar.js";

/** Load the state a link (or none) describes, saying why a link was not used. */
export function openState(catalog, hash) {
  const { value, notice } = initialState(catalog, hash, navigator.language || "");
  setLanguage(value.view.lang ?? "en");
  store.loadState(value); // starts the evaluations
  const missing = missingShortLink(location.search);
  if (missing.id !== null) {
    // Said once: a share made from here must not carry it on.
    history.replaceState(history.state, "", `${location.pathname}${missing.search}${location.hash}`);
    showNotice(t("notice.shortLinkMissing", { id: missing.id }));
    return;
  }
  showNotice(notice ? t(notice) : "");
}

/** Wire the page; returns what the Train panel needs. */
export function wirePage(catalog, plotly) {
  const evaluator = createEvaluator({ catalog, onUpdate: (id) => onEvaluated(id), heldBack: (id) => editor.heldBack(id), evaluate: withUninterrupted() });
  const statusOf = (id) => evaluator.status(id);
  const sync = () => evaluator.sync(store.getState().curves);
  const editor = wireEditor({ catalog, statusOf, resync: sync });
  const logPanel = wireLogPanel(catalog);
  const view = wireChart({ catalog, plotly, statusOf, isIdle: () => evaluator.idle(), overlay: () => logPanel.chartOverlay() });
  logPanel.onOverlay = () => view.requestChart();
  const curves = wireCurves({ catalog, statusOf });
  const link = createShareLink({ getState: store.getState, onExternalHash: (hash) => openState(catalog, hash) });
  const toolbar = wireToolbar({ catalog, chart: view.chart, link });
  const importer = wireImport();
  const readout = wireReadout({ catalog, statusOf });

  function onEvaluated(id) {
    curves.updateStatuses();
    if (id === store.getState().selected) editor.showSelectedIssues();
    view.renderWarnings();
    view.requestChart();
    readout.refresh();
  }

  const handlers = storeHandlers({ evaluator, sync, editor, view, curves, toolbar, importer, logPanel, readout });
  store.subscribe((event) => {
    const isStep = (event.kind === "curves" && Boolean(event.added || event.removed)) || (event.kind === "spec" && event.structural);
    link.changed({ isStep });
    const everything = event.kind === "load" || (event.kind === "view" && event.keys.includes("lang"));
    (everything ? handlers.all : handlers[event.kind])?.(event);
  });
  return { heldBack: editor.heldBack };
}

/** The paste panel: each import becomes a new curve, named by the format it was read as. */
function wireImport() {
  const $ = (id) => document.getElementById(id);
  const status = $("import-status");
  return createImportPanel({
    text: $("import-text"),
    fields: $("import-fields"),
    button: $("import-run"),
    status,
    messages: $("import-messages"),
    onImported({ spec, format }) {
      const name = t("import.curveName", { format: t(`import.format.${format}`) });
      if (store.addCurve({ name, spec }) === null) status.textContent = t("import.tooManyCurves");
    },
  });
}

/** What each kind of store event redraws. */
function storeHandlers({ evaluator, sync, editor, view, curves, toolbar, importer, logPanel, readout }) {
  return {
    all() {
      setLanguage(store.getState().view.lang);
      logPanel.show();
      logPanel.follow(store.getState().view.log);
      toolbar.renderStatic();
      importer.render();
      toolbar.renderView();
      curves.renderCurves();
      editor.renderSelected();
      view.renderWarnings();
      sync();
      view.requestChart();
      readout.render();
    },
    view(event) {
      if (event.keys.includes("log")) logPanel.follow(store.getState().view.log);
      toolbar.renderView();
      view.requestChart();
      if (event.keys.includes("classroom")) requestAnimationFrame(() => view.chart.resize());
    },
    curves(event) {
      curves.renderCurves();
      if (event.added || event.removed) editor.renderSelected();
      sync();
      view.renderWarnings();
      view.requestChart();
      readout.refresh();
    },
    select() {
      curves.renderCurves();
      editor.renderSelected();
      view.renderWarnings();
    },
    spec(event) {
      sync();
      document.body.dataset.state = evaluator.idle() ? "idle" : "busy"; // idle: held back
      curves.updateStatuses();
      if (event.curveId === store.getState().selected) {
        if (event.structural) editor.renderSelected();
        else editor.refreshCode();
      }
      if (event.structural) curves.renderCurves(); // a preset may have renamed the curve
    },
  };
}

/** The logged-run panel, comparing against the selected curve; its log id joins the view. */
function wireLogPanel(catalog) {
  const $ = (id) => document.getElementById(id);
  const selectedSpec = () => requestSpec(catalog, store.selectedCurve().spec);
  const panel = createLogPanel({
    input: $("log-file"),
    drop: $("log-drop"),
    badge: $("log-badge"),
    details: $("log-details"),
    getSpec: selectedSpec,
    onOverlay: () => {},
    onLogId: (id) => store.setView({ log: id ?? undefined }),
  });
  panel.chartOverlay = () => {
    const drawn = panel.overlay();
    return drawn && { ...drawn, stepsPerEpoch: selectedSpec().steps_per_epoch || 1 };
  };
  return panel;
}
