// The Train panel: start a run from any curve, follow it live, overlay several runs,
// stop them, and share them. The runs on the chart are kept in the address as
// `?run=<id>:<name>,...` beside the view's hash, so the page's own "Copy link" carries
// them too; a run's own link also puts its exact schedule in the editor.

import { copyText, h } from "../ui/dom.js";
import * as store from "../core/state.js";
import { cancelJob, fetchJob, submitJob } from "../net/train-api.js";
import { createTrainChart } from "./chart.js";
import { createTrainForm } from "./form.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";
import { translateStatic } from "../i18n/static.js";
import { renderRunList } from "./list.js";
import { savedRuns } from "./saved.js";
import { ACTIVE, applyEvents, newRun, runFromSnapshot, scheduleOf, specLabel } from "../core/train-runs.js";
import { followJob } from "../net/train-stream.js";
import { encodeState } from "../core/url-state.js";

export const MAX_RUNS = 12;
const RUN_ID = /^[\w-]{1,64}$/;

function decodeToken(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return "";
  }
}

/** The runs a link names: `?run=<id>[:<name>],...` (ids as the server makes them). */
export function runsInLink(search = location.search) {
  const match = /(?:^\?|&)run=([^&]*)/.exec(search);
  if (!match) return [];
  return match[1].split(",").map((token) => {
    const [id, ...name] = token.split(":");
    return { id: decodeToken(id), name: name.length ? decodeToken(name.join(":")).slice(0, 200) : null };
  }).filter((entry) => RUN_ID.test(entry.id)).slice(0, MAX_RUNS);
}

const runToken = (run) => `${encodeURIComponent(run.id)}:${encodeURIComponent(run.name)}`;

function toolbar(view, redraw) {
  const scale = h("fieldset", { class: "segmented" },
    h("legend", { dataset: { i18n: "train.yScale" } }, t("train.yScale")),
    ["linear", "log"].map((value) => {
      const radio = h("input", { type: "radio", name: "train-y-scale", value, checked: view.y === value });
      radio.addEventListener("change", () => redraw({ y: value }));
      return h("label", {}, radio, h("span", { dataset: { i18n: `train.${value}` } }, t(`train.${value}`)));
    }));
  const smooth = h("input", { type: "checkbox", name: "train-smooth", checked: view.smooth });
  smooth.addEventListener("change", () => redraw({ smooth: smooth.checked }));
  return h("div", { class: "train-toolbar", role: "group", "aria-labelledby": "train-chart-title" },
    h("h3", { id: "train-chart-title", dataset: { i18n: "train.chart" } }, t("train.chart")),
    scale,
    h("label", { class: "inline-check train-smooth" }, smooth, h("span", { dataset: { i18n: "train.smooth" } }, t("train.smooth"))));
}

/** Build the panel inside #train-panel and wire it to the page's state. */
/**
 * `heldBack(curveId)`: the issues of fields in the editor whose text does not parse, or
 * null; such a curve is not trained (its last valid values are not what the page shows).
 */
export function initTrainPanel({ catalog, plotly, heldBack = () => null }) {
  const root = document.getElementById("train-panel");
  if (!root) return;
  const runs = [];
  const streams = new Map();
  const view = { y: "linear", smooth: true, large: false };
  let renderQueued = false;

  const form = createTrainForm({ catalog, onSubmit: startRun });
  const chartEl = h("div", { id: "train-chart", class: "train-chart", role: "img", "aria-label": t("train.chartAria"), dataset: { i18nLabel: "train.chartAria" } });
  const clipNote = h("p", { class: "train-note", role: "status", hidden: true });
  const chart = createTrainChart(chartEl, { plotly, note: clipNote });
  const list = h("ul", { class: "run-list", "aria-labelledby": "train-runs-title" });
  const empty = h("p", { class: "train-empty", dataset: { i18n: "train.noRuns" } }, t("train.noRuns"));
  const plot = h("div", { class: "train-plot", hidden: true },
    toolbar(view, (patch) => {
      Object.assign(view, patch);
      render();
    }),
    h("p", { class: "train-key", dataset: { i18n: "train.key" } }, t("train.key")),
    clipNote,
    h("div", { class: "train-chart-wrap" }, chartEl));
  const saved = savedRuns((id) => openRun({ id, name: null }));

  root.replaceChildren(
    h("h2", { id: "train-title", dataset: { i18n: "train.title" } }, t("train.title")),
    h("p", { class: "train-intro", dataset: { i18n: "train.intro" } }, t("train.intro")),
    h("div", { class: "train-body" },
      form.element,
      h("div", { class: "train-results" },
        plot,
        h("h3", { id: "train-runs-title", dataset: { i18n: "train.runs" } }, t("train.runs")),
        empty,
        list,
        saved.element)));

  const actions = {
    stop: stopRun,
    toggle(id) {
      const run = runById(id);
      if (run) run.visible = !run.visible;
      render();
    },
    copyLink: (id) => copyText(linkTo(runById(id))),
    remove: removeRun,
    retry: (id) => streams.get(id)?.retryNow(),
  };

  function runById(id) {
    return runs.find((run) => run.id === id) ?? null;
  }

  function render() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      renderRunList(list, runs, actions);
      empty.hidden = runs.length > 0;
      plot.hidden = runs.length === 0;
      if (runs.length) chart.update(runs, view);
    });
  }

  function colorFor(preferred) {
    const used = new Set(runs.map((run) => run.color));
    if (preferred && !used.has(preferred)) return preferred;
    return store.PALETTE.find((color) => !used.has(color)) ?? store.PALETTE[runs.length % store.PALETTE.length];
  }

  function syncAddress() {
    const params = [...new URLSearchParams(location.search)].filter(([key]) => key !== "run");
    const others = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    const parts = runs.length ? [...others, `run=${runs.map(runToken).join(",")}`] : others;
    const search = parts.length ? `?${parts.join("&")}` : "";
    if (search !== location.search) history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
  }

  function follow(run) {
    streams.get(run.id)?.close();
    const stream = followJob(run.id, {
      after: run.lastSeq,
      onEvents(events) {
        applyEvents(run, events);
        render();
      },
      onConnection(info) {
        run.connection = info;
        if (info.state === "missing") run.status = "missing";
        if (info.state !== "waiting" && info.state !== "connecting" && info.state !== "open") streams.delete(run.id);
        render();
      },
    });
    streams.set(run.id, stream);
  }

  function addRun(run) {
    runs.push(run);
    syncAddress();
    render();
  }

  async function startRun() {
    const chosen = form.read();
    if (!chosen) return;
    const held = heldBack(chosen.curveId);
    if (held) {
      form.showIssues(held, chosen.name, { fromCurve: true });
      return;
    }
    if (runs.length >= MAX_RUNS) {
      form.showMessage(t("train.tooManyRuns", { n: MAX_RUNS }));
      return;
    }
    form.setBusy(true);
    try {
      const created = await submitJob(chosen.spec);
      form.showMessage("");
      const color = colorFor(store.getCurve(chosen.curveId)?.color);
      const name = `${chosen.name} · ${t(`train.taskShort.${chosen.task}`)}`;
      const run = newRun({ id: created.id, name, color, spec: chosen.spec, status: created.status });
      addRun(run);
      follow(run);
    } catch (error) {
      if (error.status === 422) form.showIssues(error.issues, chosen.name);
      else if (error.status === 429) form.showMessage(t("train.busy", { message: errorText(error), seconds: error.retryAfter ?? 5 }));
      else form.showMessage(t("train.failed", { message: errorText(error) }));
    } finally {
      form.setBusy(false);
    }
  }

  async function stopRun(id) {
    const run = runById(id);
    if (!run || !ACTIVE.has(run.status)) return;
    try {
      await (streams.get(id)?.stop() ?? cancelJob(id));
    } catch (error) {
      form.showMessage(t("train.failed", { message: errorText(error) }));
    }
  }

  function removeRun(id) {
    const index = runs.findIndex((run) => run.id === id);
    if (index < 0) return;
    // Over HTTP: a stop sent on the socket just before closing it could be dropped.
    if (ACTIVE.has(runs[index].status)) cancelJob(id).catch(() => {});
    streams.get(id)?.close();
    runs.splice(index, 1);
    syncAddress();
    renderRunList(list, runs, actions);
    // Keep keyboard users in the list: the next row's remove button, else the Start button.
    const next = list.children[Math.min(index, list.children.length - 1)];
    (next?.querySelector(".run-remove") ?? form.element.querySelector(".train-start")).focus();
    render();
  }

  /** Show a saved (or running) run, e.g. from a link; `name` null = named from its spec. */
  async function openRun({ id, name }) {
    if (runById(id)) return;
    if (runs.length >= MAX_RUNS) return;
    const run = newRun({ id, name: name ?? id, color: colorFor(null), status: "loading" });
    addRun(run);
    let snapshot;
    try {
      snapshot = await fetchJob(id);
    } catch (error) {
      if (error.status === 404) run.status = "missing";
      else Object.assign(run, { status: "failed", done: { error: errorText(error) } });
      render();
      return;
    }
    const task = snapshot.spec?.task?.name;
    const label = name ?? `${specLabel(snapshot.spec)}${task ? ` · ${t(`train.taskShort.${task}`)}` : ""}`;
    const loaded = runFromSnapshot(snapshot, { name: label, color: run.color });
    const index = runs.indexOf(run);
    if (index < 0) return; // removed while loading
    runs[index] = loaded;
    syncAddress();
    if (ACTIVE.has(loaded.status)) follow(loaded);
    render();
  }

  function linkTo(run) {
    const url = new URL(location.href);
    url.search = `?run=${runToken(run)}`;
    const spec = scheduleOf(run);
    url.hash = spec
      ? encodeState({ curves: [{ id: "run", name: run.name, color: run.color, visible: true, spec }], selected: "run", view: store.getState().view })
      : "";
    return url.href;
  }

  // The form's curve follows the page's selected curve whenever that changes (a click, a
  // new or duplicated curve, a removal); in between, the form keeps what the user picked.
  let offered = null;
  function refreshCurves(follow) {
    const state = store.getState();
    form.setCurves(state.curves, state.selected, { catalog, follow: follow || state.selected !== offered });
    offered = state.selected;
  }

  store.subscribe((event) => {
    const state = store.getState();
    if (event.kind === "load" || (event.kind === "view" && event.keys.includes("lang"))) {
      // After the page's own listener has switched the language.
      queueMicrotask(() => {
        translateStatic(root);
        refreshCurves(true);
        render();
      });
    }
    if (event.kind === "view" && event.keys.includes("classroom")) {
      view.large = Boolean(state.view.classroom);
      requestAnimationFrame(() => chart.resize());
      render();
    }
    if (event.kind === "select" || event.kind === "curves" || event.kind === "spec") refreshCurves(event.kind === "select");
  });
  setInterval(() => {
    // Time left and the retry countdown move on between events; the chart does not.
    if (runs.some((run) => ACTIVE.has(run.status))) renderRunList(list, runs, actions);
  }, 1000);

  view.large = Boolean(store.getState().view.classroom);
  refreshCurves(true);
  for (const entry of runsInLink()) openRun(entry);
  render();
}
