// The editor of the selected curve, its explanation and its code: rebuilt on structural
// changes; fields whose text does not parse hold the curve back until they do.

import { requestSpec } from "../core/catalog.js";
import * as store from "../core/state.js";
import { renderEditor, showEditorIssues, showResolvedInterval, showResolvedSetup } from "../editor/editor.js";
import { createCodePanel } from "../ui/code-panel.js";
import { followingChange } from "./follow-view.js";
import { renderTeachPanel } from "../ui/teach-panel.js";

const $ = (id) => document.getElementById(id);

// Which pitfall overlays the chart draws: a view option, like the axes.
const pitfalls = {
  shown: () => store.getState().view.pitfalls ?? [],
  toggle(name, on) {
    const rest = pitfalls.shown().filter((n) => n !== name);
    store.setView({ pitfalls: on ? [...rest, name] : rest });
  },
};

/** `statusOf(id)` comes from the evaluator; `resync()` sends the curves again. */
export function wireEditor({ catalog, statusOf, resync }) {
  let teachTopic = null;
  const code = createCodePanel({ details: $("code-panel"), output: $("code-output"), copyButton: $("code-copy"), status: $("code-status"), styles: document.querySelectorAll("input[name=code-style]") });
  // Fields of the selected curve whose text does not parse (path -> message): until they
  // do, the curve is held back, and the banner says why instead of showing an old answer.
  const unparsed = new Map();
  const heldBack = (id) =>
    id === store.getState().selected && unparsed.size
      ? [...unparsed].map(([path, msg]) => ({ loc: path.split("."), msg, type: "input" }))
      : null;

  /** The interval the server used for the selected curve's current spec, or null. */
  function serverInterval() {
    const status = statusOf(store.getState().selected);
    return status.good && !status.stale ? status.good.interval ?? null : null;
  }

  function showSelectedIssues() {
    const status = statusOf(store.getState().selected);
    showEditorIssues($("editor"), status.error && status.stale ? status.error.issues : []);
    const interval = serverInterval();
    if (interval) showResolvedInterval($("editor"), interval);
    showResolvedSetup($("editor"), serverSetup());
  }

  /** The server's `setup` answer for the selected curve's current spec, or null. */
  function serverSetup() {
    const status = statusOf(store.getState().selected);
    return status.good && !status.stale ? status.good.setup ?? null : null;
  }

  function refreshCode() {
    const curve = store.selectedCurve();
    if (curve) code.update(requestSpec(catalog, curve.spec));
  }

  function showTeach(topic) {
    teachTopic = topic;
    renderTeachPanel($("teach-panel"), { catalog, name: topic });
  }

  function renderSelected() {
    const curve = store.selectedCurve();
    if (!curve) return;
    if (unparsed.size) {
      unparsed.clear(); // the new form shows the spec's own values
      resync();
    }
    const change = followingChange({ catalog, rerender: () => renderSelected() });
    renderEditor($("editor"), { catalog, curve, change, serverInterval, setup: { resolved: serverSetup, pitfalls } });
    showSelectedIssues();
    const inside = $("editor").contains(document.activeElement) ? document.activeElement.closest("[data-scheduler-type]") : null;
    showTeach(inside?.dataset.schedulerType ?? curve.spec.scheduler?.type);
    refreshCode();
  }

  $("editor").addEventListener("focusin", (event) => {
    const topic = event.target.closest("[data-scheduler-type]")?.dataset.schedulerType;
    if (topic && topic !== teachTopic) showTeach(topic);
  });
  $("editor").addEventListener("submit", (event) => event.preventDefault());
  $("editor").addEventListener("lrscope:input", ({ detail }) => {
    if (detail.message) {
      unparsed.set(detail.path, detail.message);
      resync();
    } else unparsed.delete(detail.path); // the change that follows sends the curve again
  });

  return { heldBack, renderSelected, showSelectedIssues, refreshCode };
}
