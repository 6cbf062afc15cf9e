// The Train panel's "LR range test" part: sweep the learning rate on the form's task,
// model and remedies with the curve's optimizer (POST /api/jobs, kind lr_range_test),
// watch the loss against the rate grow on a log-x chart, see the server's suggestions
// side by side (each explained), pick one and write it into the curve ("use this LR").
// Bounds and defaults of the sweep's fields are the server's (catalog training.fields).

import { clearIssues, showIssues } from "../editor/field-errors.js";
import { SUGGESTIONS, applySweepEvents, lrTarget, newSweep, rangeTestSpec, roundedRate, setRangeTestSettings, usableSuggestions } from "../core/range-test.js";
import * as store from "../core/state.js";
import { formatNumber } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";
import { submitJob } from "../net/train-api.js";
import { followJob } from "../net/train-stream.js";
import { h } from "../ui/dom.js";
import { field, fieldInfo, numberInput, readNumber } from "./form.js";
import { createRangeChart } from "./range-chart.js";

const NUMBERS = {
  "range_test.min_lr": "range.minLr",
  "range_test.max_lr": "range.maxLr",
  "range_test.steps": "range.steps",
  "range_test.smooth": "range.smooth",
  "range_test.diverge_factor": "range.divergeFactor",
};
const HINTS = { "range_test.smooth": "range.hint.smooth", "range_test.diverge_factor": "range.hint.divergeFactor" };

function buildForm(catalog) {
  const inputs = Object.fromEntries(Object.keys(NUMBERS).map((path) => [path, numberInput(path, fieldInfo(catalog, path))]));
  const modes = catalog.trainingFields["range_test.mode"]?.enum ?? ["exp", "linear"];
  const mode = h("select", { name: "range_test.mode" }, modes.map((m) => h("option", { value: m, dataset: { i18n: `range.mode.${m}` } }, t(`range.mode.${m}`))));
  const number = (path) => field(path, NUMBERS[path], inputs[path], { hintKey: HINTS[path] ?? null });
  const start = h("button", { type: "submit", class: "btn btn-primary range-start", dataset: { i18n: "range.start" } }, t("range.start"));
  const stop = h("button", { type: "button", class: "btn range-stop", hidden: true, dataset: { i18n: "range.stop" } }, t("range.stop"));
  const summary = h("div", { class: "issues", role: "alert", hidden: true });
  const element = h("form", { class: "range-form", novalidate: true, "aria-labelledby": "range-title" },
    h("div", { class: "train-grid" },
      number("range_test.min_lr"), number("range_test.max_lr"), number("range_test.steps"),
      field("range_test.mode", "range.mode", mode), number("range_test.smooth"), number("range_test.diverge_factor")),
    summary,
    h("div", { class: "train-actions" }, start, stop));
  return { element, inputs, mode, start, stop, summary };
}

/** The sweep's fields as the range_test object (left-out ones: the server's defaults), or null. */
function readRangeTest(catalog, parts) {
  const out = { mode: parts.mode.value };
  let ok = true;
  for (const [path, input] of Object.entries(parts.inputs)) {
    const value = readNumber(input, fieldInfo(catalog, path));
    if (value === null) ok = false;
    else if (value !== undefined) out[path.split(".")[1]] = value;
  }
  return ok ? out : null;
}

function statusText(sweep) {
  const total = sweep.start?.num_steps ?? sweep.spec?.range_test?.steps ?? "…";
  const done = sweep.done;
  if (!done) return sweep.start ? t("range.status.running", { step: sweep.lr.length, total }) : t("range.status.queued");
  if (done.status === "completed" && done.reason === "diverged") {
    const factor = sweep.start?.range_test?.diverge_factor ?? 4;
    return t("range.status.diverged", { step: done.steps_run, lr: formatNumber(roundedRate(sweep.lr.at(-1))), factor: formatNumber(factor) });
  }
  if (done.status === "completed") return t("range.status.completed", { total: done.steps_run });
  if (done.status === "failed") return t("range.status.failed", { message: done.error ?? "" });
  return t("range.status.stopped", { step: done.steps_run });
}

/** The suggestions side by side: a radio each (its rate, its line of explanation). */
function renderSuggestions(box, sweep, picked, onPick) {
  const usable = usableSuggestions(sweep);
  const rows = SUGGESTIONS.map((name) => {
    const s = usable.find((u) => u.name === name);
    const radio = h("input", { type: "radio", name: "range-pick", value: name, checked: name === picked, disabled: !s });
    radio.addEventListener("change", () => onPick(name));
    const value = s ? formatNumber(roundedRate(s.lr)) : t("range.none");
    return h("li", { class: "range-suggestion", dataset: { name } },
      h("label", {},
        radio,
        h("span", { class: `range-swatch range-swatch-${name}`, "aria-hidden": "true" }),
        h("strong", {}, t(`range.name.${name}`)),
        h("span", { class: "range-value" }, value)),
      h("p", { class: "field-hint" }, t(`range.explain.${name}`)));
  });
  box.replaceChildren(...rows);
}

function buildView(catalog) {
  const parts = buildForm(catalog);
  const status = h("p", { class: "range-status", role: "status" });
  const chartEl = h("div", { class: "range-chart", id: "range-chart", role: "img", "aria-label": t("range.chartAria"), dataset: { i18nLabel: "range.chartAria" }, hidden: true });
  const list = h("ul", { class: "range-suggestions", "aria-labelledby": "range-suggestions-title" });
  const use = h("button", { type: "button", class: "btn btn-primary range-use", disabled: true, dataset: { i18n: "range.use" } }, t("range.use"));
  const used = h("p", { class: "range-used", role: "status" });
  const results = h("div", { class: "range-results", hidden: true },
    h("h4", { id: "range-suggestions-title", dataset: { i18n: "range.suggestions" } }, t("range.suggestions")),
    list,
    h("div", { class: "train-actions" }, use),
    used);
  const element = h("section", { class: "range-test", "aria-labelledby": "range-title" },
    h("h3", { id: "range-title", dataset: { i18n: "range.title" } }, t("range.title")),
    h("p", { class: "train-intro", dataset: { i18n: "range.intro" } }, t("range.intro")),
    parts.element, status, chartEl, results);
  return { ...parts, form: parts.element, element, status, chartEl, list, use, used, results };
}

/** One range test at a time: started from the form, followed live, its pick used. */
class RangeTest {
  constructor({ catalog, plotly, form, heldBack }) {
    Object.assign(this, { catalog, form, heldBack });
    this.view = buildView(catalog);
    this.chart = createRangeChart(this.view.chartEl, { plotly });
    this.sweep = null;
    this.stream = null;
    this.picked = null;
  }

  render() {
    const { sweep, view } = this;
    if (!sweep) return;
    view.element.dataset.jobId = sweep.id;
    view.element.dataset.status = sweep.status;
    view.status.textContent = statusText(sweep);
    const usable = usableSuggestions(sweep);
    if (!usable.some((s) => s.name === this.picked)) this.picked = usable.find((s) => s.name === "valley")?.name ?? usable[0]?.name ?? null;
    view.chartEl.hidden = false;
    this.chart.update(sweep, { large: Boolean(store.getState().view.classroom), picked: this.picked });
    view.start.disabled = !sweep.done;
    view.stop.hidden = Boolean(sweep.done);
    view.results.hidden = !sweep.done;
    if (!sweep.done) return;
    renderSuggestions(view.list, sweep, this.picked, (name) => {
      this.picked = name;
      this.render();
    });
    view.use.disabled = this.picked === null || !store.getCurve(sweep.curveId);
  }

  async start() {
    const { view, form, catalog } = this;
    clearIssues(view.form, view.summary);
    view.used.textContent = "";
    const chosen = form.read();
    const rangeTest = readRangeTest(catalog, view);
    if (!chosen || !rangeTest) return;
    const held = this.heldBack(chosen.curveId);
    if (held) {
      form.showIssues(held, chosen.name, { fromCurve: true });
      return;
    }
    const steps = rangeTest.steps ?? fieldInfo(catalog, "range_test.steps").default ?? 100;
    const spec = rangeTestSpec(chosen.spec, rangeTest, form.paceFor(steps));
    view.start.disabled = true;
    try {
      const created = await submitJob(spec);
      this.follow(newSweep({ id: created.id, curveId: chosen.curveId, spec }));
    } catch (error) {
      view.start.disabled = false;
      const issues = error.issues ?? [];
      if (error.status === 422 && issues.every((i) => i.loc?.includes("range_test"))) showIssues(view.form, view.summary, issues);
      else if (error.status === 422) form.showIssues(issues, chosen.name);
      else showIssues(view.form, view.summary, [{ loc: [], msg: t("train.failed", { message: errorText(error) }) }]);
    }
  }

  follow(sweep) {
    this.stream?.close();
    this.sweep = sweep;
    this.picked = null;
    this.stream = followJob(sweep.id, {
      onEvents: (events) => {
        applySweepEvents(sweep, events);
        this.render();
      },
      onConnection: (info) => {
        if (info.state === "missing" || info.state === "refused") this.view.status.textContent = t("range.status.lost");
      },
    });
    this.render();
  }

  /** Write the picked suggestion into the curve the sweep ran with (and show that curve). */
  use() {
    const s = usableSuggestions(this.sweep).find((u) => u.name === this.picked);
    const curve = store.getCurve(this.sweep.curveId);
    if (!s || !curve) return;
    const target = lrTarget(curve.spec);
    const value = roundedRate(s.lr);
    store.selectCurve(curve.id);
    store.setSpecValue(curve.id, target.path, value, { structural: true });
    this.view.used.textContent = t("range.used", { name: curve.name, field: target.name, value: formatNumber(value), method: t(`range.name.${s.name}`) });
  }
}

/** Build the part; returns {element}. `form` is the Train panel's form (task, model, remedies). */
export function createRangeTest(options) {
  const part = new RangeTest(options);
  const { view } = part;
  view.form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!view.start.disabled) part.start();
  });
  view.stop.addEventListener("click", () => part.stream?.stop().catch(() => {}));
  view.form.addEventListener("change", () => setRangeTestSettings(readRangeTest(options.catalog, view) ?? {}));
  view.use.addEventListener("click", () => part.use());
  store.subscribe((event) => {
    if (event.kind === "load" || (event.kind === "view" && event.keys.includes("lang"))) queueMicrotask(() => part.render());
  });
  return { element: view.element };
}
