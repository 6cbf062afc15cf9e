// The "New run" form: which curve to train with, the task, the model and the
// regularisation. It turns a curve's RunSpec plus its own fields into a TrainSpec, and
// shows the server's 422 issues next to the fields they name (the curve's own issues
// under the curve picker).

import { h, uniqueId } from "../ui/dom.js";
import { showIssues, clearIssues } from "../editor/field-errors.js";
import { setFieldError } from "../editor/param-controls.js";
import { t } from "../i18n/i18n.js";
import { issueText } from "../i18n/server.js";

export const TASKS = ["overfit", "spirals", "moons", "sine"];
const SPEC_KEYS = new Set(["scheduler", "optimizer", "interval", "log_every"]);

function field(path, labelKey, control, { hintKey = null, check = false } = {}) {
  const id = control.id || uniqueId("train");
  control.id = id;
  const errorId = `${id}-error`;
  const hint = hintKey ? h("p", { class: "field-hint", id: `${id}-hint`, dataset: { i18n: hintKey } }, t(hintKey)) : null;
  control.setAttribute("aria-describedby", [hint ? `${id}-hint` : null, errorId].filter(Boolean).join(" "));
  return h("div", { class: `field${check ? " field-boolean" : ""}`, dataset: { path } },
    h("label", { for: id, class: "field-label", dataset: { i18n: labelKey } }, t(labelKey)),
    control,
    h("p", { class: "field-error", id: errorId, role: "alert", hidden: true }),
    hint);
}

function numberInput(name, { min, max, step = 1, value = "" } = {}) {
  return h("input", { type: "number", name, min, max, step, value: String(value), inputmode: step === 1 ? "numeric" : "decimal", autocomplete: "off" });
}

function options(values, keyOf) {
  return values.map((v) => h("option", { value: v, dataset: keyOf ? { i18n: keyOf(v) } : undefined }, keyOf ? t(keyOf(v)) : v));
}

/** Build the form; `onSubmit()` runs when the user starts a run (button or Enter). */
export function createTrainForm({ onSubmit }) {
  const curve = h("select", { name: "curve" });
  const task = h("select", { name: "task" }, options(TASKS, (v) => `train.task.${v}`));
  const epochs = numberInput("epochs", { min: 1, max: 2000 });
  const batch = numberInput("batch_size", { min: 1, max: 5000, value: 8 });
  const seed = numberInput("seed", { min: 0, value: 0 });
  const pace = numberInput("steps_per_second", { min: 1, max: 100000, step: "any" });
  const width = numberInput("width", { min: 1, max: 256 });
  const depth = numberInput("depth", { min: 1, max: 6 });
  const activation = h("select", { name: "activation" }, options(["relu", "tanh"]));
  const dropout = numberInput("dropout", { min: 0, max: 0.95, step: 0.05, value: 0 });
  const decay = numberInput("weight_decay", { min: 0, max: 10, step: "any" });
  const stopEarly = h("input", { type: "checkbox", name: "early_stopping" });
  const patience = numberInput("patience", { min: 1, max: 2000, value: 10 });
  const summary = h("div", { class: "issues", role: "alert", hidden: true });
  const start = h("button", { type: "submit", class: "btn btn-primary train-start", dataset: { i18n: "train.start" } }, t("train.start"));
  patience.disabled = true;
  stopEarly.addEventListener("change", () => {
    patience.disabled = !stopEarly.checked;
  });
  let curveSpecs = new Map();
  let catalog = null;

  const form = h("form", { class: "train-form", novalidate: true, "aria-labelledby": "train-form-title" },
    h("h3", { id: "train-form-title", dataset: { i18n: "train.form" } }, t("train.form")),
    field("curve", "train.curve", curve),
    field("task.name", "train.task", task, { hintKey: "train.taskHint.overfit" }),
    h("div", { class: "train-grid" },
      field("epochs", "train.epochs", epochs),
      field("batch_size", "train.batchSize", batch),
      field("model.width", "train.width", width),
      field("model.depth", "train.depth", depth),
      field("model.activation", "train.activation", activation),
      field("seed", "train.seed", seed),
      field("steps_per_second", "train.pace", pace),
      field("regularization.dropout", "train.dropout", dropout),
      field("regularization.weight_decay", "train.weightDecay", decay)),
    field("regularization.early_stopping", "train.earlyStopping", stopEarly, { check: true }),
    field("regularization.early_stopping.patience", "train.patience", patience),
    summary,
    h("div", { class: "train-actions" }, start));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!start.disabled) onSubmit();
  });
  curve.addEventListener("change", refreshPlaceholders);
  task.addEventListener("change", refreshPlaceholders);

  function refreshPlaceholders() {
    const spec = curveSpecs.get(curve.value);
    epochs.placeholder = String(spec?.epochs ?? catalog?.defaults.epochs ?? "");
    epochs.title = t("train.fromCurve");
    const hint = form.querySelector('[data-path="task.name"] .field-hint');
    hint.dataset.i18n = `train.taskHint.${task.value}`;
    hint.textContent = t(hint.dataset.i18n);
    // The task's own model size, from the catalog (the server fills it in when left empty).
    const sizes = catalog?.raw.training?.tasks?.[task.value];
    width.placeholder = sizes ? String(sizes.width) : t("train.auto");
    depth.placeholder = sizes ? String(sizes.depth) : t("train.auto");
    pace.placeholder = t("train.paceFull");
    pace.title = t("train.paceHint");
    const type = spec?.optimizer?.type ?? catalog?.defaults.optimizer.type;
    const own = spec?.optimizer?.weight_decay ?? catalog?.optimizer(type)?.params.find((p) => p.name === "weight_decay")?.default;
    decay.placeholder = own === null || own === undefined ? "" : t("train.optimizerValue", { value: own });
  }

  /** Read a number field: undefined when empty, null (with the error shown) when invalid. */
  function read(input, integer) {
    const box = input.closest(".field");
    if (input.validity.badInput) {
      setFieldError(box, t("train.notNumber"));
      return null;
    }
    if (input.value.trim() === "") return undefined;
    const value = Number(input.value);
    if (integer && !Number.isInteger(value)) {
      setFieldError(box, t("train.notInteger"));
      return null;
    }
    return value;
  }

  return {
    element: form,
    /** Offer `curves` (the state's list) and follow the selected one. */
    setCurves(curves, selectedId, { catalog: pageCatalog, follow = true }) {
      catalog = pageCatalog;
      curveSpecs = new Map(curves.map((c) => [c.id, c.spec]));
      const keep = follow ? selectedId : curve.value;
      curve.replaceChildren(...curves.map((c, i) => h("option", { value: c.id }, c.name || `#${i + 1}`)));
      curve.value = curveSpecs.has(keep) ? keep : selectedId ?? "";
      start.disabled = curves.length === 0;
      refreshPlaceholders();
    },
    /** The chosen curve's id and name, and the TrainSpec; null when a field is invalid. */
    read() {
      clearIssues(form, summary);
      const spec = curveSpecs.get(curve.value);
      if (!spec) {
        showIssues(form, summary, [{ loc: [], msg: t("train.noCurve") }]);
        return null;
      }
      const values = {
        epochs: read(epochs, true), batch: read(batch, true), seed: read(seed, true),
        width: read(width, true), depth: read(depth, true), dropout: read(dropout, false),
        decay: read(decay, false), patience: read(patience, true), pace: read(pace, false),
      };
      if (Object.values(values).includes(null)) return null;
      const optimizer = spec.optimizer ? { ...spec.optimizer } : undefined;
      if (values.decay !== undefined && optimizer) delete optimizer.weight_decay; // the form's value wins
      const trainSpec = {
        scheduler: spec.scheduler,
        ...(optimizer ? { optimizer } : {}),
        ...(spec.interval ? { interval: spec.interval } : {}),
        task: { name: task.value },
        model: { width: values.width, depth: values.depth, activation: activation.value },
        epochs: values.epochs ?? spec.epochs ?? catalog.defaults.epochs,
        ...(values.batch === undefined ? {} : { batch_size: values.batch }),
        regularization: {
          dropout: values.dropout ?? 0,
          ...(values.decay === undefined ? {} : { weight_decay: values.decay }),
          early_stopping: stopEarly.checked ? { patience: values.patience ?? 10 } : null,
        },
        seed: values.seed ?? 0,
        ...(values.pace === undefined ? {} : { steps_per_second: values.pace }),
      };
      const name = curve.selectedOptions[0]?.textContent ?? "";
      return { curveId: curve.value, name, task: task.value, spec: trainSpec };
    },
    /**
     * Show the server's issues; those about the curve's spec (all of them, with `fromCurve`)
     * go under the curve picker.
     */
    showIssues(issues, curveName, { fromCurve = false } = {}) {
      const placed = issues.map((issue) => {
        const loc = issue.loc.filter((part) => part !== "body");
        if (!fromCurve && !SPEC_KEYS.has(loc[0])) return issue;
        return { loc: ["curve"], msg: t("train.curveIssue", { name: curveName, where: loc.join("."), message: issueText(issue) }) };
      });
      showIssues(form, summary, placed);
    },
    /** A message that names no field (server busy, unreachable). */
    showMessage(text) {
      clearIssues(form, summary);
      if (text) showIssues(form, summary, [{ loc: [], msg: text }]);
    },
    setBusy(busy) {
      start.disabled = busy;
      start.textContent = t(busy ? "train.starting" : "train.start");
    },
    refreshPlaceholders,
  };
}
