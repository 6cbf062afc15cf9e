// Start-up and wiring: load the catalog, read the link, then connect the state to the
// views (curve list, editor, chart, code, explanation) and the views back to the state.

import { fetchCatalog } from "./api.js";
import { defaultRunSpec, makeCatalog } from "./catalog.js";
import { createChart } from "./chart.js";
import { applyClassroom, wireClassroomDialog } from "./classroom.js";
import { createCodePanel } from "./code-panel.js";
import { renderCurveList, updateCurveStatuses } from "./curve-list.js";
import { h } from "./dom.js";
import { renderEditor, showEditorIssues } from "./editor.js";
import { createEvaluator, requestSpec } from "./evaluator.js";
import { downloadCsv, downloadJson, downloadPng } from "./export.js";
import { setLanguage, t, translateStatic, currentLanguage } from "./i18n.js";
import { availablePresets, presetById } from "./presets.js";
import { createShareLink } from "./share-link.js";
import * as store from "./state.js";
import { renderTeachPanel } from "./teach-panel.js";
import { initTrainPanel } from "./train-panel.js";
import { decodeHash } from "./url-state.js";

const $ = (id) => document.getElementById(id);

/**
 * Load plotly.js (a classic script of ~5 MB) only once the first schedule requests are on
 * their way: the browser then parses it while the server computes.
 */
function loadPlotly() {
  return new Promise((resolve, reject) => {
    if (window.Plotly) {
      resolve();
      return;
    }
    const script = document.createElement("script");
    script.src = "vendor/plotly.min.js";
    script.addEventListener("load", () => {
      performance.mark("lrscope:plotly-ready");
      resolve();
    }, { once: true });
    script.addEventListener("error", () => reject(new Error("vendor/plotly.min.js did not load")), { once: true });
    document.head.append(script);
  });
}

function showNotice(text) {
  $("notice-text").textContent = text;
  $("notice").hidden = !text;
}

/** The state a link describes, or the default view with the reason it was not used. */
function initialState(catalog, hash) {
  const decoded = decodeHash(hash, catalog);
  if (decoded.ok && !decoded.empty) return { value: decoded.value, notice: null };
  // With no link, speak the reader's language if we have it.
  const lang = (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
  const value = { curves: [{ name: "StepLR", color: store.PALETTE[0], spec: defaultRunSpec(catalog) }], selectedIndex: 0, view: { lang } };
  return { value, notice: decoded.ok ? null : `notice.${decoded.reason}` };
}

async function boot() {
  let catalog;
  try {
    catalog = makeCatalog(await fetchCatalog());
    performance.mark("lrscope:catalog-ready");
  } catch (error) {
    fail(error);
    return;
  }
  let plotlyLoaded;
  const plotly = new Promise((resolve) => {
    plotlyLoaded = resolve;
  });
  const { heldBack } = wire(catalog, plotly);
  initTrainPanel({ catalog, plotly, heldBack });
  const { value, notice } = initialState(catalog, location.hash);
  setLanguage(value.view.lang ?? "en");
  store.loadState(value); // starts the first evaluations
  if (notice) showNotice(t(notice));
  loadPlotly().then(plotlyLoaded, fail);
}

function fail(error) {
  showNotice(t("app.loadFailed", { message: error.message }));
  $("chart-status").textContent = t("app.loadFailed", { message: error.message });
}

function wire(catalog, plotly) {
  let teachTopic = null;
  let renderChain = Promise.resolve();
  let renderQueued = false;
  let firstChart = true;

  const chart = createChart($("chart"), {
    onLegendToggle: (id) => store.updateCurve(id, { visible: !store.getCurve(id).visible }),
  });
  // Fields of the selected curve whose text does not parse (path -> message): until they
  // do, the curve is held back, and the banner says why instead of showing an old answer.
  const unparsed = new Map();
  const heldBack = (id) =>
    id === store.getState().selected && unparsed.size
      ? [...unparsed].map(([path, msg]) => ({ loc: path.split("."), msg, type: "input" }))
      : null;
  const evaluator = createEvaluator({ catalog, onUpdate: onEvaluated, heldBack });
  const code = createCodePanel({ details: $("code-panel"), output: $("code-output"), copyButton: $("code-copy"), status: $("code-status") });
  const link = createShareLink({
    getState: store.getState,
    onExternalHash: (hash) => {
      const { value, notice } = initialState(catalog, hash);
      setLanguage(value.view.lang ?? "en");
      store.loadState(value);
      showNotice(notice ? t(notice) : "");
    },
  });

  function statusOf(id) {
    return evaluator.status(id);
  }

  // Crossing the phone/desktop width changes margins and the toolbar: draw again then.
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (chart.layoutChanged()) requestChart();
    }, 150);
  });

  function requestChart() {
    if (renderQueued) return;
    renderQueued = true;
    renderChain = renderChain.then(() => plotly).then(async () => {
      renderQueued = false;
      const state = store.getState();
      await chart.render({ curves: state.curves, statusOf, view: state.view });
      if (firstChart && state.curves.some((c) => statusOf(c.id).good)) {
        firstChart = false;
        performance.mark("lrscope:first-chart");
      }
      $("chart-status").textContent = state.curves.some((c) => statusOf(c.id).good) ? "" : t("chart.loading");
      document.body.dataset.state = evaluator.idle() ? "idle" : "busy";
    }).catch((error) => console.error(error));
  }

  function onEvaluated(id) {
    updateCurveStatuses($("curve-list"), statusOf);
    if (id === store.getState().selected) showSelectedIssues();
    renderWarnings();
    requestChart();
  }

  function showSelectedIssues() {
    const status = statusOf(store.getState().selected);
    showEditorIssues($("editor"), status.error && status.stale ? status.error.issues : []);
  }

  function renderWarnings() {
    const { curves } = store.getState();
    const items = [];
    for (const curve of curves.filter((c) => c.visible)) {
      const status = statusOf(curve.id);
      const result = status.good;
      const prefix = curves.length > 1 ? `${curve.name}: ` : "";
      if (status.error && status.stale) {
        for (const issue of status.error.issues) {
          const where = issue.loc.filter((part) => part !== "body").join(".");
          items.push(h("li", { class: "error" }, `${prefix}${where ? `${where}: ` : ""}${issue.msg}`));
        }
      }
      if (!result) continue;
      for (const warning of result.warnings) items.push(h("li", { class: "warning" }, prefix + warning));
      if (result.decimated && curve.id === store.getState().selected) {
        items.push(h("li", { class: "info" }, prefix + t("chart.decimated", { points: result.x.length, steps: result.num_steps })));
      }
    }
    $("warnings").replaceChildren(...items);
  }

  function change(path, value, structural) {
    store.setSpecValue(store.getState().selected, path, value, { structural });
  }

  function renderSelected() {
    const curve = store.selectedCurve();
    if (!curve) return;
    if (unparsed.size) {
      unparsed.clear(); // the new form shows the spec's own values
      evaluator.sync(store.getState().curves);
    }
    renderEditor($("editor"), { catalog, curve, change });
    showSelectedIssues();
    const inside = $("editor").contains(document.activeElement) ? document.activeElement.closest("[data-scheduler-type]") : null;
    teachTopic = inside?.dataset.schedulerType ?? curve.spec.scheduler?.type;
    renderTeachPanel($("teach-panel"), { catalog, name: teachTopic });
    code.update(requestSpec(catalog, curve.spec));
  }

  function renderCurves() {
    const state = store.getState();
    renderCurveList($("curve-list"), {
      curves: state.curves,
      selected: state.selected,
      actions: {
        select: store.selectCurve,
        rename: (id, name) => store.updateCurve(id, { name }),
        recolor: (id, color) => store.updateCurve(id, { color }),
        toggle: (id) => store.updateCurve(id, { visible: !store.getCurve(id).visible }),
        duplicate: store.duplicateCurve,
        remove: store.removeCurve,
      },
    });
    updateCurveStatuses($("curve-list"), statusOf);
    $("add-curve").disabled = state.curves.length >= store.MAX_CURVES;
  }

  function renderView() {
    const { view } = store.getState();
    for (const radio of document.querySelectorAll("input[name=x-axis]")) radio.checked = radio.value === view.x;
    for (const radio of document.querySelectorAll("input[name=y-scale]")) radio.checked = radio.value === view.y;
    $("lang-select").value = view.lang;
    applyClassroom(view);
  }

  function renderStatic() {
    translateStatic();
    $("footer-torch").textContent = t("footer.torch", { version: catalog.torchVersion });
    renderPresetMenu();
  }

  function renderPresetMenu() {
    const lang = currentLanguage();
    const presets = availablePresets(catalog);
    const group = (kind, label) => h("optgroup", { label: t(label) },
      presets.filter((p) => p.group === kind).map((p) => h("option", { value: p.id }, p.name[lang] ?? p.name.en)));
    $("preset-select").replaceChildren(
      h("option", { value: "" }, t("presets.placeholder")),
      group("classic", "presets.classic"),
      group("recipe", "presets.recipes"),
    );
  }

  store.subscribe((event) => {
    const state = store.getState();
    link.changed({
      isStep: (event.kind === "curves" && Boolean(event.added || event.removed)) || (event.kind === "spec" && event.structural),
    });
    if (event.kind === "load" || (event.kind === "view" && event.keys.includes("lang"))) {
      setLanguage(state.view.lang);
      renderStatic();
      renderView();
      renderCurves();
      renderSelected();
      renderWarnings();
      evaluator.sync(state.curves);
      requestChart();
      return;
    }
    if (event.kind === "view") {
      renderView();
      requestChart();
      if (event.keys.includes("classroom")) requestAnimationFrame(() => chart.resize());
      return;
    }
    if (event.kind === "curves") {
      renderCurves();
      if (event.added || event.removed) renderSelected();
      evaluator.sync(state.curves);
      renderWarnings();
      requestChart();
      return;
    }
    if (event.kind === "select") {
      renderCurves();
      renderSelected();
      renderWarnings();
      return;
    }
    if (event.kind === "spec") {
      evaluator.sync(state.curves);
      document.body.dataset.state = evaluator.idle() ? "idle" : "busy"; // idle: held back
      updateCurveStatuses($("curve-list"), statusOf);
      if (event.curveId === state.selected) {
        if (event.structural) renderSelected();
        else code.update(requestSpec(catalog, store.selectedCurve().spec));
      }
      if (event.structural) renderCurves(); // a preset may have renamed the curve
    }
  });

  $("editor").addEventListener("focusin", (event) => {
    const topic = event.target.closest("[data-scheduler-type]")?.dataset.schedulerType;
    if (topic && topic !== teachTopic) {
      teachTopic = topic;
      renderTeachPanel($("teach-panel"), { catalog, name: topic });
    }
  });
  $("editor").addEventListener("submit", (event) => event.preventDefault());
  $("editor").addEventListener("lrscope:input", ({ detail }) => {
    if (detail.message) {
      unparsed.set(detail.path, detail.message);
      evaluator.sync(store.getState().curves);
    } else unparsed.delete(detail.path); // the change that follows sends the curve again
  });
  $("add-curve").addEventListener("click", () => store.addCurve({ spec: defaultRunSpec(catalog) }));
  $("preset-select").addEventListener("change", () => {
    const preset = presetById($("preset-select").value);
    $("preset-select").value = "";
    if (!preset) return;
    const name = preset.name[currentLanguage()] ?? preset.name.en;
    store.setSpec(store.getState().selected, structuredClone(preset.spec), { structural: true, name });
  });
  $("lang-select").addEventListener("change", () => store.setView({ lang: $("lang-select").value }));
  for (const radio of document.querySelectorAll("input[name=x-axis]")) {
    radio.addEventListener("change", () => store.setView({ x: radio.value }));
  }
  for (const radio of document.querySelectorAll("input[name=y-scale]")) {
    radio.addEventListener("change", () => store.setView({ y: radio.value }));
  }
  $("copy-link").addEventListener("click", async () => {
    const ok = await link.copy();
    const button = $("copy-link");
    button.textContent = t(ok ? "share.copied" : "share.copyFailed");
    setTimeout(() => { button.textContent = t("share.copy"); }, 2000);
  });
  $("notice-close").addEventListener("click", () => showNotice(""));
  wireClassroomDialog({
    getView: () => store.getState().view,
    onStart: (hide) => store.setView({ classroom: { hide } }),
    onExit: () => store.setView({ classroom: null }),
  });
  const exporting = (fn) => async () => {
    try {
      await fn();
    } catch (error) {
      showNotice(t("export.failed", { message: error.message }));
    }
  };
  $("export-png").addEventListener("click", exporting(() => downloadPng(chart)));
  $("export-csv").addEventListener("click", exporting(() => downloadCsv(catalog, store.getState().curves)));
  $("export-json").addEventListener("click", exporting(() => downloadJson(catalog, store.getState().curves)));
  return { chart, evaluator, heldBack };
}

boot();
