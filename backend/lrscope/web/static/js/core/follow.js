// A recipe preset that keeps its shape when the run length changes: its warmup, decay and
// milestone lengths are the preset's proportions of the run, recomputed for the new
// `epochs` / `steps_per_epoch` / `interval` (in scheduler steps: epochs, or optimizer
// steps when stepped per batch). A formula (LambdaLR) keeps its own constants.

import { treeStepUnit } from "./catalog.js";

/** The run fields whose change a following preset is rebuilt for. */
export const RUN_LENGTH_KEYS = ["epochs", "steps_per_epoch", "interval"];

// Arguments that count scheduler steps (a length or a boundary).
const LENGTHS = ["total_iters", "T_max", "step_size", "T_0", "step_size_up", "step_size_down"];

/** How many times the scheduler is stepped in `spec`'s run. */
export function schedulerSteps(catalog, spec) {
  const interval = spec.interval ?? treeStepUnit(catalog, spec.scheduler);
  const epochs = spec.epochs ?? 100;
  return interval === "step" ? epochs * (spec.steps_per_epoch ?? 1) : epochs;
}

const scaled = (value, ratio) => Math.max(1, Math.round(value * ratio));

/** `scheduler` with every length scaled by `ratio`; a SequentialLR child that filled its
 * whole segment of the run (`segment`: its old and new lengths) fills the new one. */
function scaleScheduler(scheduler, ratio, segment = null) {
  const out = { ...scheduler };
  for (const key of LENGTHS) {
    if (typeof out[key] !== "number") continue;
    out[key] = segment && scheduler[key] === segment.old ? segment.new : scaled(scheduler[key], ratio);
  }
  if (Array.isArray(scheduler.schedulers) && Array.isArray(scheduler.milestones)) {
    return scaleSequential(out, ratio, segment);
  }
  if (Array.isArray(out.milestones)) out.milestones = increasing(out.milestones.map((m) => scaled(m, ratio)));
  if (Array.isArray(scheduler.schedulers)) out.schedulers = scheduler.schedulers.map((c) => scaleScheduler(c, ratio));
  return out;
}

function increasing(values) {
  const out = [];
  for (const v of values) out.push(out.length && v <= out[out.length - 1] ? out[out.length - 1] + 1 : v);
  return out;
}

function scaleSequential(sequential, ratio, segment) {
  const last = sequential.milestones.at(-1) ?? 0;
  const oldTotal = segment?.old ?? last + 1;
  const newTotal = segment?.new ?? scaled(oldTotal, ratio);
  const milestones = increasing(sequential.milestones.map((m) => scaled(m, ratio)));
  const bounds = (ms, total) => [0, ...ms, total];
  const before = bounds(sequential.milestones, oldTotal);
  const after = bounds(milestones, newTotal);
  const schedulers = sequential.schedulers.map((child, i) => scaleScheduler(child, ratio, {
    old: before[i + 1] - before[i],
    new: Math.max(1, after[i + 1] - after[i]),
  }));
  return { ...sequential, milestones, schedulers };
}

/**
 * The preset's spec for the run in `run` (the curve's current epochs, steps_per_epoch and
 * interval): every length in the same proportion of the run as in the preset.
 */
export function followRun(catalog, presetSpec, run) {
  const spec = { ...structuredClone(presetSpec), ...run };
  for (const key of RUN_LENGTH_KEYS) if (run[key] === undefined) delete spec[key];
  const oldTotal = schedulerSteps(catalog, presetSpec);
  const newTotal = schedulerSteps(catalog, spec);
  const ratio = newTotal / oldTotal;
  return { ...spec, scheduler: scaleScheduler(spec.scheduler, ratio, { old: oldTotal, new: newTotal }) };
}

/**
 * An HF preset's get_scheduler call for the run of `spec` (warmup and decay steps in the
 * preset's proportions of num_training_steps); the server turns it into the formula.
 */
export function followHfCall(catalog, call, spec) {
  const total = schedulerSteps(catalog, spec);
  const ratio = total / call.num_training_steps;
  const kwargs = { ...(call.scheduler_specific_kwargs ?? {}) };
  for (const key of ["num_decay_steps", "num_stable_steps"]) if (typeof kwargs[key] === "number") kwargs[key] = Math.round(kwargs[key] * ratio);
  const warmup = call.num_warmup_steps === null || call.num_warmup_steps === undefined ? call.num_warmup_steps : Math.round(call.num_warmup_steps * ratio);
  return { ...call, num_training_steps: total, num_warmup_steps: warmup, scheduler_specific_kwargs: kwargs };
}
