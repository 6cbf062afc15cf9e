// The "New run" form: which curve to train with, the task, the model and the
// regularisation. It turns a curve's RunSpec plus its own fields into a TrainSpec, and
// shows the server's 422 issues next to the fields they name (the curve's own issues
// under the curve picker). Tasks, limits and defaults are the server's: the catalog's
// `training.tasks` and `training.fields` (dotted path -> {type, default, minimum, ...}).

import { boundsError, setFieldError } from "../editor/param-controls.js";
import { showIssues, clearIssues } from "../editor/field-errors.js";
import { formatNumber } from "../i18n/format.js";
import { t, text } from "../i18n/i18n.js";
import { issueText } from "../i18n/server.js";
import { h, uniqueId } from "../ui/dom.js";
import { createLengthFit, curveLength, withFit } from "./length-fit.js";

const SPEC_KEYS = new Set(["scheduler", "optimizer", "interval", "log_every", "resume"]);
// The form's number fields: dotted TrainSpec path -> label key.
const NUMBERS = {
  epochs: "train.epochs",
  batch_size: "train.batchSize",
  "model.width": "train.width",
  "model.depth": "train.depth",
  seed: "train.seed",
  steps_per_second: "train.pace",
  "regularization.dropout": "train.dropout",
  "regularization.weight_decay": "train.weightDecay",
  "regularization.l1": "train.l1",
  "regularization.input_noise": "train.inputNoise",
  "regularization.early_stopping.patience": "train.patience",
};
// The remedies against over-fitting, each with its one-line explanation.
const REMEDY_HINTS = {
  "regularization.weight_decay": "train.hint.weightDecay",
  "regularization.l1": "train.hint.l1",
  "regularization.dropout": "train.hint.dropout",
  "regularization.input_noise": "train.hint.inputNoise",
  "regularization.early_stopping": "train.hint.earlyStopping",
};
// A run started from the page is paced to take about this long, unless "full speed" is on.
export const LIVE_SECONDS = 15;
// Before the server lists its fields, a task's name is all the form needs.
const INTEGER_FALLBACK = new Set(["epochs", "batch_size", "model.width", "model.depth", "seed", "regularization.early_stopping.patience"]);

/** A task's label (or hint, short name) from the tables; a task we have no words for shows its name. */
export function taskText(kind, name) {
  return text(`train.${kind}.${name}`) ?? (kind === "taskHint" ? "" : name);
}

export function field(path, labelKey, control, { hintKey = null, check = false } = {}) {
  const id = control.id || uniqueId("train");
  control.id = id;
  const errorId = `${id}-error`;
  const words = typeof hintKey === "string" ? { dataset: { i18n: hintKey } } : {};
  const hint = hintKey ? h("p", { class: "field-hint", id: `${id}-hint`, ...words }, typeof hintKey === "string" ? t(hintKey) : null) : null;
  control.setAttribute("aria-describedby", [hint ? `${id}-hint` : null, errorId].filter(Boolean).join(" "));
  return h("div", { class: `field${check ? " field-boolean" : ""}`, dataset: { path } },
    h("label", { for: id, class: "field-label", dataset: { i18n: labelKey } }, t(labelKey)),
    control,
    h("p", { class: "field-error", id: errorId, role: "alert", hidden: true }),
    hint);
}

/** A number input with the server's limits (min/max for the spinner; the checks are read()'s). */
export function numberInput(path, info) {
  const integer = info.type === "integer";
  const low = info.minimum ?? info.exclusive_minimum;
  const high = info.maximum ?? info.exclusive_maximum;
  return h("input", {
    type: "number",
    name: path,
    min: low ?? null,
    max: high ?? null,
    step: integer ? 1 : "any",
    inputmode: integer ? "numeric" : "decimal",
    autocomplete: "off",
    placeholder: info.default === null || info.default === undefined ? null : formatNumber(info.default),
  });
}

/** What the server says of field `path`, or a bare shape when it says nothing yet. */
export function fieldInfo(catalog, path) {
  return catalog.trainingFields[path] ?? { type: INTEGER_FALLBACK.has(path) ? "integer" : "number" };
}

/** Read a number field: undefined when empty, null (with the error shown) when invalid. */
export function readNumber(input, info) {
  const box = input.closest(".field");
  setFieldError(box, ""); // what the last attempt found
  if (input.validity.badInput) {
    setFieldError(box, t("train.notNumber"));
    return null;
  }
  if (input.value.trim() === "") return undefined;
  const value = Number(input.value);
  if (info.type === "integer" && !Number.isInteger(value)) {
    setFieldError(box, t("train.notInteger"));
    return null;
  }
  const error = boundsError(info, value);
  if (error) {
    setFieldError(box, error);
    return null;
  }
  return value;
}

function buildControls(catalog) {
  const inputs = Object.fromEntries(Object.keys(NUMBERS).map((path) => [path, numberInput(path, fieldInfo(catalog, path))]));
  // Patience has no server default (it is required once early stopping is on).
  if (inputs["regularization.early_stopping.patience"].placeholder === "") inputs["regularization.early_stopping.patience"].value = "10";
  const task = h("select", { name: "task" }, catalog.tasks.map((name) => h("option", { value: name, dataset: text(`train.task.${name}`) === null ? {} : { i18n: `train.task.${name}` } }, taskText("task", name))));
  const activations = catalog.trainingFields["model.activation"]?.enum ?? ["relu", "tanh"];
  const activation = h("select", { name: "activation" }, activations.map((v) => h("option", { value: v }, v)));
  const stopEarly = h("input", { type: "checkbox", name: "early_stopping" });
  const fullSpeed = h("input", { type: "checkbox", name: "full_speed" });
  fullSpeed.addEventListener("change", () => {
    inputs.steps_per_second.disabled = fullSpeed.checked;
  });
  inputs["regularization.early_stopping.patience"].disabled = true;
  stopEarly.addEventListener("change", () => {
    inputs["regularization.early_stopping.patience"].disabled = !stopEarly.checked;
  });
  return { curve: h("select", { name: "curve" }), task, activation, stopEarly, fullSpeed, inputs };
}

function layout(controls, summary, start, lengthFit) {
  const { curve, task, activation, stopEarly, fullSpeed, inputs } = controls;
  const number = (path) => field(path, NUMBERS[path], inputs[path], { hintKey: REMEDY_HINTS[path] ?? null });
  return h("form", { class: "train-form", novalidate: true, "aria-labelledby": "train-form-title" },
    h("h3", { id: "train-form-title", dataset: { i18n: "train.form" } }, t("train.form")),
    field("curve", "train.curve", curve),
    field("task.name", "train.task", task, { hintKey: true }),
    lengthFit.element,
    h("div", { class: "train-grid" },
      number("epochs"), number("batch_size"), number("model.width"), number("model.depth"),
      field("model.activation", "train.activation", activation),
      number("seed"), number("steps_per_second"),
      field("full_speed", "train.fullSpeed", fullSpeed, { check: true, hintKey: "train.hint.fullSpeed" })),
    h("fieldset", { class: "train-remedies" },
      h("legend", { dataset: { i18n: "train.remedies" } }, t("train.remedies")),
      h("div", { class: "train-grid" },
        number("regularization.weight_decay"), number("regularization.l1"),
        number("regularization.dropout"), number("regularization.input_noise")),
      field("regularization.early_stopping", "train.earlyStopping", stopEarly, { check: true, hintKey: REMEDY_HINTS["regularization.early_stopping"] }),
      number("regularization.early_stopping.patience")),
    summary,
    h("div", { class: "train-actions" }, start));
}

/** The TrainSpec for curve `spec` and the form's values (undefined = the server's default). */
function trainSpec(catalog, spec, controls, values) {
  const optimizer = spec.optimizer ? { ...spec.optimizer } : undefined;
  const decay = values["regularization.weight_decay"];
  if (decay !== undefined && optimizer) delete optimizer.weight_decay; // the form's value wins
  const patience = values["regularization.early_stopping.patience"];
  return {
    scheduler: spec.scheduler,
    ...(optimizer ? { optimizer } : {}),
    ...(spec.interval ? { interval: spec.interval } : {}),
    ...(spec.resume ? { resume: spec.resume } : {}), // the job resumes as the curve does
    task: { name: controls.task.value },
    model: { width: values["model.width"], depth: values["model.depth"], activation: controls.activation.value },
    epochs: values.epochs ?? spec.epochs ?? catalog.defaults.epochs,
    batch_size: values.batch_size,
    regularization: {
      dropout: values["regularization.dropout"],
      weight_decay: decay,
      l1: values["regularization.l1"],
      input_noise: values["regularization.input_noise"],
      early_stopping: controls.stopEarly.checked ? { patience } : null,
    },
    seed: values.seed,
    steps_per_second: pace(catalog, controls, values, values.epochs ?? spec.epochs ?? catalog.defaults.epochs),
  };
}

/**
 * Steps a second for a run started here: the form's value; none with "full speed"; else
 * a pace that makes the run take about LIVE_SECONDS, so a class sees it unfold.
 */
function pace(catalog, controls, values, epochs) {
  if (controls.fullSpeed.checked) return undefined;
  if (values.steps_per_second !== undefined) return values.steps_per_second;
  return livePace(catalog.raw.training?.tasks?.[controls.task.value], values, epochs, fieldInfo(catalog, "batch_size").default);
}

/** The form's pace for a run of `steps` steps: its own value, none at full speed, else live. */
function paceForSteps(catalog, controls, steps) {
  if (controls.fullSpeed.checked) return undefined;
  const own = readNumber(controls.inputs.steps_per_second, fieldInfo(catalog, "steps_per_second"));
  if (own !== undefined && own !== null) return own;
  return Math.max(1, Math.round(steps / LIVE_SECONDS));
}

/** The pace (steps/s, at least 1) that makes `epochs` of the task take about LIVE_SECONDS. */
export function livePace(task, values, epochs, defaultBatch) {
  const trainSize = task?.train_size;
  const batch = values.batch_size ?? defaultBatch ?? 32;
  if (!trainSize || !epochs) return undefined;
  const steps = epochs * Math.ceil(trainSize / Math.min(batch, trainSize));
  return livePaceOf(steps);
}

/** The pace (steps/s, at least 1) that makes `steps` optimizer steps take about LIVE_SECONDS. */
export function livePaceOf(steps) {
  return Math.max(1, Math.round(steps / LIVE_SECONDS));
}

/** The form's numbers as they stand, without showing errors (for the length preview). */
function quietValues(inputs) {
  return Object.fromEntries(Object.keys(NUMBERS).map((path) => {
    const input = inputs[path];
    const value = input.value.trim() === "" || input.validity.badInput ? undefined : Number(input.value);
    return [path, Number.isFinite(value) ? value : undefined];
  }));
}

/** `train` with the length notice's choice (its fit, epochs, batches and live pace). */
function fitted(train, option, spec, catalog, controls, values) {
  if (!option) return train;
  const out = withFit(train, option, curveLength(spec, catalog.defaults));
  if (!controls.fullSpeed.checked && values.steps_per_second === undefined) out.steps_per_second = livePaceOf(option.length.num_steps);
  return out;
}

/**
 * Keep the length notice in step with the chosen curve, the task, the epochs and the batch
 * size: `check()` asks the server now, typing asks it after a pause; `now()` also
 * cancels a pending pause. Each returns the answer's promise.
 */
function wireLengthCheck(catalog, controls, lengthFit, curveSpec) {
  const { curve, inputs } = controls;
  const check = () => {
    const spec = curveSpec();
    const length = curveLength(spec, catalog.defaults);
    const name = curve.selectedOptions[0]?.textContent ?? "";
    if (!length) return lengthFit.update(null, null);
    // What the lengths depend on (the pace, seed and model do not: no new question for them).
    const train = trainSpec(catalog, spec, controls, quietValues(inputs));
    for (const key of ["steps_per_second", "seed", "model"]) delete train[key];
    // A job trains at most this many epochs: asked for more, the server would refuse the
    // question itself (a 422 at epochs); asked for the most, it says the schedule is too long.
    const maxEpochs = catalog.trainingFields.epochs?.maximum;
    if (maxEpochs && train.epochs > maxEpochs) train.epochs = maxEpochs;
    const typedEpochs = inputs.epochs.value.trim() !== "";
    return lengthFit.update({ ...train, fit: { to: "task", ...length } }, { id: curve.value, name }, { typedEpochs });
  };
  let timer = null;
  for (const path of ["epochs", "batch_size"]) {
    inputs[path].addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    });
  }
  return {
    check,
    now() {
      clearTimeout(timer);
      return check();
    },
  };
}

/** `onSubmit()` when the form is sent (button or Enter) and the button is enabled. */
function submitOn(form, start, onSubmit) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!start.disabled) onSubmit();
  });
}

/** Build the form; `onSubmit()` runs when the user starts a run (button or Enter). */
export function createTrainForm({ catalog, onSubmit }) {
  const controls = buildControls(catalog);
  const { curve, task, inputs } = controls;
  const summary = h("div", { class: "issues", role: "alert", hidden: true });
  const start = h("button", { type: "submit", class: "btn btn-primary train-start", dataset: { i18n: "train.start" } }, t("train.start"));
  const lengthFit = createLengthFit();
  const form = layout(controls, summary, start, lengthFit);
  let curveSpecs = new Map();
  const length = wireLengthCheck(catalog, controls, lengthFit, () => curveSpecs.get(curve.value));
  submitOn(form, start, onSubmit);
  const refresh = () => {
    refreshPlaceholders(catalog, form, controls, curveSpecs.get(curve.value));
    return length.check();
  };
  for (const picker of [curve, task]) picker.addEventListener("change", refresh);

  return {
    element: form,
    /** Offer `curves` (the state's list) and follow the selected one. */
    setCurves(curves, selectedId, { follow = true } = {}) {
      curveSpecs = new Map(curves.map((c) => [c.id, c.spec]));
      const keep = follow ? selectedId : curve.value;
      curve.replaceChildren(...curves.map((c, i) => h("option", { value: c.id }, c.name || `#${i + 1}`)));
      curve.value = curveSpecs.has(keep) ? keep : selectedId ?? "";
      start.disabled = curves.length === 0;
      refresh();
    },
    /** The chosen curve's id and name, and the TrainSpec; null when a field is invalid. */
    read() {
      clearIssues(form, summary);
      const spec = curveSpecs.get(curve.value);
      if (!spec) {
        showIssues(form, summary, [{ loc: [], msg: t("train.noCurve") }]);
        return null;
      }
      const values = Object.fromEntries(Object.keys(NUMBERS).map((path) => [path, readNumber(inputs[path], fieldInfo(catalog, path))]));
      if (Object.entries(values).some(([path, v]) => v === null && !inputs[path].disabled)) return null;
      const train = fitted(trainSpec(catalog, spec, controls, values), lengthFit.chosen(), spec, catalog, controls, values);
      lengthFit.drawChosen();
      return { curveId: curve.value, name: curve.selectedOptions[0]?.textContent ?? "", task: task.value, spec: train };
    },
    prepare: () => length.now(), // the length notice's answer for the form as it stands
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
    showMessage(message) {
      clearIssues(form, summary);
      if (message) showIssues(form, summary, [{ loc: [], msg: message }]);
    },
    setBusy(busy) {
      start.disabled = busy;
      start.textContent = t(busy ? "train.starting" : "train.start");
    },
    refreshPlaceholders: refresh,
    /** The pace for a run of `steps` optimizer steps started here (undefined: full speed). */
    paceFor: (steps) => paceForSteps(catalog, controls, steps),
    /** Words in the page's language again (the notice is built from the server's answer). */
    retranslate: () => lengthFit.rerender(),
  };
}

/** Placeholders that depend on the chosen curve and task (the server fills these in). */
function refreshPlaceholders(catalog, form, { task, inputs }, spec) {
  inputs.epochs.placeholder = String(spec?.epochs ?? catalog.defaults.epochs ?? "");
  inputs.epochs.title = t("train.fromCurve");
  form.querySelector('[data-path="task.name"] .field-hint').textContent = taskText("taskHint", task.value);
  const sizes = catalog.raw.training?.tasks?.[task.value];
  inputs["model.width"].placeholder = sizes ? String(sizes.width) : t("train.auto");
  inputs["model.depth"].placeholder = sizes ? String(sizes.depth) : t("train.auto");
  inputs.steps_per_second.placeholder = t("train.paceLive", { seconds: LIVE_SECONDS });
  inputs.steps_per_second.title = t("train.paceHint");
  const type = spec?.optimizer?.type ?? catalog.defaults.optimizer.type;
  const own = spec?.optimizer?.weight_decay ?? catalog.optimizer(type)?.params.find((p) => p.name === "weight_decay")?.default;
  inputs["regularization.weight_decay"].placeholder = own === null || own === undefined ? "" : t("train.optimizerValue", { value: formatNumber(own) });
}
