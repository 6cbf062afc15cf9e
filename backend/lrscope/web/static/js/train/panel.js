// The Train panel: start a run from any curve, follow it live, overlay several runs,
// stop them, and share them (the runs' own links: address.js).

import * as store from "../core/state.js";
import { ACTIVE, specLabel } from "../core/train-runs.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";
import { translateStatic } from "../i18n/static.js";
import { submitJob } from "../net/train-api.js";
import { copyText } from "../ui/dom.js";
import { MAX_RUNS, runLink, runsInLink } from "./address.js";
import { createTrainChart } from "./chart.js";
import { createTrainForm, taskText } from "./form.js";
import { buildPanel } from "./layout.js";
import { renderRunList } from "./list.js";
import { RunBook } from "./run-book.js";
import { runName } from "./run-name.js";
import { savedRuns } from "./saved.js";

/** Start a run from the form's choice; problems go back to the form. */
async function startRun({ form, book, heldBack }) {
  await form.prepare(); // the length notice's choice for this curve and task
  const chosen = form.read();
  if (!chosen) return;
  const held = heldBack(chosen.curveId);
  if (held) {
    form.showIssues(held, chosen.name, { fromCurve: true });
    return;
  }
  if (book.full) {
    form.showMessage(t("train.tooManyRuns", { n: MAX_RUNS }));
    return;
  }
  form.setBusy(true);
  try {
    const created = await submitJob(chosen.spec);
    form.showMessage("");
    const color = book.colorFor(store.getCurve(chosen.curveId)?.color);
    const name = runName(`${chosen.name} · ${taskText("taskShort", chosen.task)}`, chosen.spec);
    book.start({ id: created.id, status: created.status, name, color, spec: chosen.spec });
  } catch (error) {
    if (error.status === 422) form.showIssues(error.issues, chosen.name);
    else if (error.status === 429) form.showMessage(t("train.busy", { message: errorText(error), seconds: error.retryAfter ?? 5 }));
    else form.showMessage(t("train.failed", { message: errorText(error) }));
  } finally {
    form.setBusy(false);
  }
}

function runActions({ book, form, parts, render }) {
  return {
    stop: (id) => book.stop(id).catch((error) => form.showMessage(t("train.failed", { message: errorText(error) }))),
    toggle: (id) => book.toggle(id),
    copyLink: (id) => copyText(runLink(book.byId(id), store.getState().view)),
    retry: (id) => book.retry(id),
    remove(id) {
      const index = book.remove(id);
      if (index < 0) return;
      renderRunList(parts.list, book.runs, this);
      // Keep keyboard users in the list: the next row's remove button, else the Start button.
      const next = parts.list.children[Math.min(index, parts.list.children.length - 1)];
      (next?.querySelector(".run-remove") ?? form.element.querySelector(".train-start")).focus();
      render();
    },
  };
}

/** Follow the page: its language, its classroom mode, and its curves for the form's picker. */
function followPage({ root, form, chart, view, render }) {
  // The form's curve follows the page's selected curve whenever that changes (a click, a
  // new or duplicated curve, a removal); in between, the form keeps what the user picked.
  let offered = null;
  const refreshCurves = (follow) => {
    const state = store.getState();
    form.setCurves(state.curves, state.selected, { follow: follow || state.selected !== offered });
    offered = state.selected;
  };
  store.subscribe((event) => {
    if (event.kind === "load" || (event.kind === "view" && event.keys.includes("lang"))) {
      // After the page's own listener has switched the language.
      queueMicrotask(() => {
        translateStatic(root);
        refreshCurves(true);
        form.retranslate();
        render();
      });
    }
    if (event.kind === "view" && event.keys.includes("classroom")) {
      view.large = Boolean(store.getState().view.classroom);
      requestAnimationFrame(() => chart.resize());
      render();
    }
    if (event.kind === "select" || event.kind === "curves" || event.kind === "spec") refreshCurves(event.kind === "select");
  });
  view.large = Boolean(store.getState().view.classroom);
  refreshCurves(true);
}

/**
 * Build the panel inside #train-panel and wire it to the page's state. `heldBack(curveId)`:
 * the issues of fields in the editor whose text does not parse, or null; such a curve is
 * not trained (its last valid values are not what the page shows).
 */
export function initTrainPanel({ catalog, plotly, heldBack = () => null }) {
  const root = document.getElementById("train-panel");
  if (!root) return;
  const view = { y: "linear", smooth: true, large: false };
  let renderQueued = false;
  const render = () => {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      renderRunList(parts.list, book.runs, actions);
      parts.empty.hidden = book.runs.length > 0;
      parts.plot.hidden = book.runs.length === 0;
      if (book.runs.length) chart.update(book.runs, view);
    });
  };
  const label = (snapshot) => {
    const task = snapshot.spec?.task?.name;
    return runName(`${specLabel(snapshot.spec)}${task ? ` · ${taskText("taskShort", task)}` : ""}`, snapshot.spec);
  };
  const book = new RunBook({ changed: render, label });
  const form = createTrainForm({ catalog, onSubmit: () => startRun({ form, book, heldBack }) });
  const saved = savedRuns((id) => book.open({ id, name: null }));
  const parts = buildPanel(root, { form, saved, view, redraw: (patch) => { Object.assign(view, patch); render(); } });
  const chart = createTrainChart(parts.chartEl, { plotly, note: parts.clipNote });
  const actions = runActions({ book, form, parts, render });
  followPage({ root, form, chart, view, render });
  setInterval(() => {
    // Time left and the retry countdown move on between events; the chart does not.
    if (book.runs.some((run) => ACTIVE.has(run.status))) renderRunList(parts.list, book.runs, actions);
  }, 1000);
  for (const entry of runsInLink()) book.open(entry);
  render();
}
