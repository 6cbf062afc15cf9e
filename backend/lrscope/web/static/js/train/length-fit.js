// The run form's length notice: when the chosen curve's length in steps differs from the
// task's, say so and offer both ways to train it, as the server computes them
// (POST /api/fit): the schedule's own length (batches per epoch follow; when that is
// too long for a job, the nearest length that fits, rescaled), or the schedule rescaled to
// the task. A rescaled choice is drawn on the schedule chart as a curve of its own, named
// as such, beside the original; the job's `fit` makes the server train exactly that spec.

import * as store from "../core/state.js";
import { schedulerName } from "../core/curve-names.js";
import { formatCount } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";
import { fitJob } from "../net/train-api.js";
import { h, uniqueId } from "../ui/dom.js";

const steps = (n) => formatCount(n);

/** `spec` (a curve's RunSpec) as the `fit` a TrainSpec gives: the schedule's own length. */
export function curveLength(spec, defaults) {
  if (!spec || spec.setup) return null; // a setup's counts are the server's; not offered
  return { epochs: spec.epochs ?? defaults.epochs ?? 100, steps_per_epoch: spec.steps_per_epoch ?? 1 };
}

/** The choices of a preview `answer`, in the order they are offered. */
export function fitOptions(answer) {
  const own = answer.train_schedule;
  const first = own.trainable
    ? { value: "schedule", fit: "schedule", length: own, rescaled: null }
    : { value: "nearest", fit: "task", length: own.nearest, rescaled: own.nearest };
  return [first, { value: "task", fit: "task", length: answer.rescaled, rescaled: answer.rescaled }];
}

/** `train` (a TrainSpec) with the chosen option's `fit`, epochs and batches per epoch. */
export function withFit(train, option, length) {
  const out = { ...train, fit: { to: option.fit, ...length } };
  if (option.value === "schedule") {
    out.epochs = option.length.epochs;
    delete out.steps_per_epoch; // the server's: the schedule's own when it steps per batch
  } else {
    out.epochs = option.length.epochs;
    out.steps_per_epoch = option.length.steps_per_epoch;
  }
  return out;
}

function changesText(changes) {
  if (!changes.length) return t("train.fit.noChanges");
  return changes.map((c) => t("train.fit.change", { name: c.loc.slice(1).join("."), from: String(c.from), to: String(c.to) })).join(", ");
}

function optionText(option, answer) {
  const length = option.length;
  const words = { epochs: length.epochs, batches: steps(length.steps_per_epoch), total: steps(length.num_steps) };
  if (option.value === "schedule") return t("train.fit.own", words);
  if (option.value === "nearest") return t("train.fit.nearest", { ...words, changes: changesText(option.rescaled.changes) });
  return t("train.fit.rescale", { ...words, changes: changesText(answer.rescaled.changes) });
}

/** The notice's contents for `state` (its answer, curve and chosen option). */
function render(element, state, onPick) {
  const { answer, curve } = state;
  element.hidden = !answer || answer.same_length;
  if (element.hidden) {
    element.replaceChildren();
    return;
  }
  const own = answer.train_schedule;
  const lengths = t("train.fit.lengths", {
    name: curve.name, epochs: answer.schedule.epochs, batches: steps(answer.schedule.steps_per_epoch),
    total: steps(answer.schedule.num_steps), taskEpochs: answer.task.epochs,
    taskBatches: steps(answer.task.steps_per_epoch), taskTotal: steps(answer.task.num_steps),
  });
  const options = fitOptions(answer);
  // What the user picked for this curve; else the schedule's own length, unless the form's
  // epochs were typed (that length is the user's: the schedule is rescaled to it).
  const picked = state.picked?.curve === curve.id ? state.picked.value : null;
  const fallback = options[state.typedEpochs ? 1 : 0].value;
  state.chosen = options.some((o) => o.value === picked) ? picked : fallback;
  const name = uniqueId("length-fit");
  const rows = options.map((option) => {
    const input = h("input", { type: "radio", name, value: option.value, checked: option.value === state.chosen });
    input.addEventListener("change", () => onPick(option.value));
    return h("label", { class: "train-fit-option", dataset: { option: option.value } }, input, h("span", {}, optionText(option, answer)));
  });
  const maximum = own.error?.params.maximum;
  const tooLong = own.trainable ? null : h("p", { class: "field-hint", dataset: { role: "too-long" } },
    t("train.fit.tooLong", { total: steps(own.num_steps), maximum: maximum ? steps(Number(maximum.replaceAll(",", ""))) : "" }));
  const parts = [h("legend", {}, t("train.fit.title")), h("p", { class: "train-fit-lengths" }, lengths), tooLong, ...rows];
  element.replaceChildren(...parts.filter(Boolean));
}

/**
 * The chosen option's rescaled curve on the schedule chart (one per source curve), or none.
 * It is drawn once the user picks an option or starts a run (`asked`), never merely because
 * the form looked at a long curve: opening a 300,000-step plan adds nothing to its chart.
 */
function drawRescaled(state, asked = false) {
  if (!asked && !state.rescaledCurve.has(state.curve?.id) && state.picked?.curve !== state.curve?.id) return;
  const option = state.answer && !state.answer.same_length ? fitOptions(state.answer).find((o) => o.value === state.chosen) : null;
  const source = state.curve?.id;
  const id = state.rescaledCurve.get(source);
  const existing = id ? store.getCurve(id) : null;
  if (!option?.rescaled) {
    if (existing) store.removeCurve(id);
    state.rescaledCurve.delete(source);
    return;
  }
  const spec = structuredClone(option.rescaled.schedule_request);
  // Named by its own arguments (the rescaled ones), then as rescaled.
  const name = t("train.fit.curveName", { name: schedulerName(spec), steps: steps(option.rescaled.num_steps) });
  if (!existing) {
    const added = store.addCurve({ name, spec, select: false });
    if (added !== null) state.rescaledCurve.set(source, added);
  } else if (JSON.stringify(existing.spec) !== JSON.stringify(spec)) {
    store.setSpec(id, spec, { name });
  } else if (existing.name !== name) {
    store.updateCurve(id, { name });
  }
}

/** The notice element and its state; `changed()` after the user picks another option. */
export function createLengthFit({ changed = () => {} } = {}) {
  const element = h("fieldset", { class: "train-fit", hidden: true, dataset: { role: "length-fit" } });
  const state = { key: null, answer: null, curve: null, pending: null, chosen: null, rescaledCurve: new Map() };
  const show = () => {
    render(element, state, (value) => {
      state.chosen = value;
      state.picked = { curve: state.curve?.id, value };
      drawRescaled(state);
      changed();
    });
    drawRescaled(state);
  };
  return {
    element,
    /**
     * Ask the server about `body` (a TrainSpec with `fit`) for curve `curve` ({id, name});
     * `typedEpochs`: the form's epochs were typed, not the curve's.
     */
    update(body, curve, { typedEpochs = false } = {}) {
      const key = body ? JSON.stringify(body) : null;
      if (key === state.key) return state.pending ?? Promise.resolve();
      const before = { answer: state.answer, typedEpochs: state.typedEpochs, curve: state.shown };
      Object.assign(state, { key, curve, typedEpochs, answer: null, pending: null });
      element.dataset.state = body ? "asking" : "known"; // "known": the answer is shown
      if (!body) {
        state.shown = null;
        show();
        return Promise.resolve();
      }
      // A curve the server refuses gets no notice: the run's own 422 says why.
      state.pending = fitJob(body).catch(() => null).then((answer) => {
        if (state.key !== key) return;
        const same = JSON.stringify({ answer, typedEpochs, curve: curve.id }) === JSON.stringify(before);
        Object.assign(state, { answer, pending: null, shown: curve.id });
        if (!same) show(); // an unchanged answer leaves the notice (and the user's focus) alone
        element.dataset.state = "known";
      });
      return state.pending;
    },
    /** The chosen option, or null when the lengths agree (or nothing is known). */
    chosen() {
      if (!state.answer || state.answer.same_length) return null;
      return fitOptions(state.answer).find((o) => o.value === state.chosen) ?? null;
    },
    rerender: show,
    /** A run starts with the chosen option: its rescaled curve is drawn (if it has one). */
    drawChosen: () => drawRescaled(state, true),
  };
}
