// The Train panel: start a run from any curve, follow it live, overlay several runs (this
// session's and saved ones) to compare them, stop them, and share them (the comparison's
// link and each run's own: address.js).

import * as store from "../core/state.js";
import { ACTIVE, specLabel } from "../core/train-runs.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";
import { translateStatic } from "../i18n/static.js";
import { submitJob } from "../net/train-api.js";
import { reachableHref } from "../net/share-api.js";
import { copyText } from "../ui/dom.js";
import { DEFAULT_WEIGHT } from "../core/smoothing.js";
import { MAX_RUNS, chartViewInLink, comparisonLink, runLink, runsInLink } from "./address.js";
import { createBoundaryView } from "./boundary.js";
import { createTrainChart } from "./chart.js";
import { createTrainForm } from "./form.js";
import { buildPanel } from "./layout.js";
import { createRangeTest } from "./range-test.js";
import { renderRunList } from "./list.js";
import { RunBook } from "./run-book.js";
import { distinctNames, runName } from "./run-name.js";
import { savedRuns } from "./saved.js";

/** Start a run from the form's choice; problems go back to the form. */
async function startRun({ form, book, heldBack, defaultLr }) {
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
    const name = runName(chosen.name, chosen.spec, { defaultLr });
    book.start({ id: created.id, status: created.status, name, color, spec: chosen.spec, curve: chosen.name });
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
    copyLink: async (id) => copyText(await reachableHref(runLink(book.byId(id), store.getState().view))),
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
function followPage({ root, form, charts, view, render, relabel }) {
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
        relabel();
        form.retranslate();
        render();
      });
    }
    if (event.kind === "view" && event.keys.includes("classroom")) {
      view.large = Boolean(store.getState().view.classroom);
      requestAnimationFrame(() => charts.forEach((chart) => chart.resize()));
      render();
    }
    if (event.kind === "select" || event.kind === "curves" || event.kind === "spec") refreshCurves(event.kind === "select");
  });
  view.large = Boolean(store.getState().view.classroom);
  refreshCurves(true);
}

/** What a TrainSpec field is when a spec leaves it out (dotted path -> value), for naming runs apart. */
function namingDefaults(catalog) {
  const defaults = Object.fromEntries(Object.entries(catalog.trainingFields).map(([path, info]) => [path, info.default ?? null]));
  for (const [key, value] of Object.entries(catalog.defaults?.optimizer ?? {})) defaults[`optimizer.${key}`] = value;
  return defaults;
}

/**
 * Build the panel inside #train-panel and wire it to the page's state. `heldBack(curveId)`:
 * the issues of fields in the editor whose text does not parse, or null; such a curve is
 * not trained (its last valid values are not what the page shows).
 */
export function initTrainPanel({ catalog, plotly, heldBack = () => null }) {
  const root = document.getElementById("train-panel");
  if (!root) return;
  const linked = chartViewInLink();
  const view = { y: "linear", smoothing: DEFAULT_WEIGHT, xlog: false, large: false, ...linked.view };
  const defaultLr = catalog.defaults?.optimizer?.lr;
  let renderQueued = false;
  const render = () => {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      renderRunList(parts.list, book.runs, actions);
      parts.empty.hidden = book.runs.length > 0;
      parts.plot.hidden = book.runs.length === 0;
      if (book.runs.length) {
        chart.update(book.runs, view);
        boundary.update(book.runs, view);
      }
    });
  };
  const curveOf = (spec) => (spec?.kind === "lr_range_test" ? t("range.title") : specLabel(spec));
  const label = (snapshot) => runName(curveOf(snapshot.spec), snapshot.spec, { defaultLr });
  const defaults = namingDefaults(catalog);
  const book = new RunBook({ changed: render, label, view, nameRuns: (entries) => distinctNames(entries, defaults) });
  const form = createTrainForm({ catalog, onSubmit: () => startRun({ form, book, heldBack, defaultLr }) });
  const saved = savedRuns((ids) => ids.forEach((id) => book.open({ id, name: null })), {
    nameOf: (listed) => runName(listed.kind === "lr_range_test" ? t("range.title") : listed.scheduler ?? "?", { optimizer: { lr: listed.lr }, task: { name: listed.task }, regularization: listed.regularization }, { defaultLr }),
    shown: () => new Set(book.runs.map((run) => run.id)),
  });
  const redraw = (patch) => {
    Object.assign(view, patch);
    book.sync();
    render();
  };
  const copyComparison = async () => copyText(await reachableHref(comparisonLink(book.runs, view, store.getState())));
  const boundary = createBoundaryView({ plotly });
  const parts = buildPanel(root, { form, saved, boundary, view, redraw, copyComparison });
  const chart = createTrainChart(parts.chartEl, { plotly, note: parts.clipNote });
  const actions = runActions({ book, form, parts, render });
  root.append(createRangeTest({ catalog, plotly, form, heldBack }).element);
  followPage({ root, form, charts: [chart, boundary], view, render, relabel: () => book.relabel((curve, spec) => runName(curve, spec, { defaultLr })) });
  setInterval(() => {
    // Time left and the retry countdown move on between events; the chart does not.
    if (book.runs.some((run) => ACTIVE.has(run.status))) renderRunList(parts.list, book.runs, actions);
  }, 1000);
  runsInLink().forEach((entry, i) => book.open({ ...entry, hidden: linked.hidden.has(entry.id), color: linked.colors[i] ?? null }));
  render();
}
