// The scheduler/optimizer catalog from GET /api/schedulers, with lookups and the
// starting values a freshly chosen scheduler gets. Starting values are only a
// convenience: any scheduler the catalog lists works through the generic fallback.

import { LOOP, isLoop, loopCatalogEntry, loopEntry, loopNeedsMetric, loopStepUnit } from "./loop.js";

const PARAM_GROUP_LR_KEYS = ["lr"];

/** Wrap the raw catalog response. */
export function makeCatalog(raw) {
  const schedulers = new Map(raw.schedulers.map((s) => [s.name, s]));
  const loop = loopCatalogEntry(raw);
  if (loop) schedulers.set(LOOP, loop);
  const optimizers = new Map(raw.optimizers.map((o) => [o.name, o]));
  return {
    raw,
    torchVersion: raw.torch_version,
    defaults: raw.defaults,
    limits: raw.limits,
    schedulerNames: [...schedulers.keys()],
    optimizerNames: raw.optimizers.map((o) => o.name),
    scheduler: (name) => schedulers.get(name) ?? null,
    optimizer: (name) => optimizers.get(name) ?? null,
    // The training tasks, in the server's order, with their model sizes.
    tasks: Object.keys(raw.training?.tasks ?? {}),
    // Dotted field path -> {type, default, minimum?, maximum?, exclusive_*?}: the limits and
    // defaults of the TrainSpec's and the synthetic metric's fields, as the server has them.
    trainingFields: raw.training?.fields ?? {},
    metricFields: raw.metric_fields ?? {},
  };
}

/**
 * When a run steps its scheduler by default: "step" when any scheduler anywhere in the
 * tree is stepped per batch (catalog step_unit "step"), else "epoch". The server resolves
 * the same way and says which it used (`interval` in /api/schedule's answer).
 */
export function treeStepUnit(catalog, scheduler, depth = 0) {
  const entry = catalog.scheduler(scheduler?.type);
  if (!entry) return "epoch";
  if (isLoop(scheduler)) return loopStepUnit(scheduler);
  if (entry.step_unit === "step") return "step";
  if (depth > 8) return "epoch";
  for (const param of entry.params ?? []) {
    const children = param.type === "schedulers" ? scheduler[param.name] : null;
    if (Array.isArray(children) && children.some((child) => treeStepUnit(catalog, child, depth + 1) === "step")) return "step";
  }
  return "epoch";
}

/** The run-level intervals the server accepts for this scheduler: its catalog entry's
 * `intervals` ("fractional" only where torch's step() takes an epoch). */
export function intervalChoices(catalog, scheduler) {
  return catalog.scheduler(scheduler?.type)?.intervals ?? ["epoch", "step"];
}

/** The interval a run uses: its own, or the tree-wide default (a Loop's entries say). */
export function resolvedInterval(catalog, runSpec) {
  if (isLoop(runSpec.scheduler)) return loopStepUnit(runSpec.scheduler);
  return runSpec.interval ?? treeStepUnit(catalog, runSpec.scheduler);
}

/**
 * The number of times the scheduler steps in this run (epochs or optimizer steps);
 * `interval` is the server's answer when the page has one.
 */
export function schedulerSpan(catalog, runSpec, interval = resolvedInterval(catalog, runSpec)) {
  const epochs = runSpec.epochs ?? catalog.defaults.epochs;
  const perEpoch = runSpec.steps_per_epoch ?? catalog.defaults.steps_per_epoch;
  return interval === "step" ? epochs * perEpoch : epochs;
}

function scaled(span, fraction) {
  return Math.max(1, Math.round(span * fraction));
}

// Values that make a freshly picked scheduler show something on the current run.
const STARTERS = {
  StepLR: (span) => ({ step_size: scaled(span, 0.3), gamma: 0.1 }),
  MultiStepLR: (span) => ({
    milestones: [...new Set([0.3, 0.6, 0.9].map((f) => scaled(span, f)))],
    gamma: 0.1,
  }),
  ExponentialLR: () => ({ gamma: 0.95 }),
  CosineAnnealingLR: (span) => ({ T_max: span, eta_min: 0 }),
  LambdaLR: () => ({ lr_lambda: "0.95 ** epoch" }),
  MultiplicativeLR: () => ({ lr_lambda: "0.95" }),
  CyclicLR: (span) => ({ base_lr: 0.01, max_lr: 0.1, step_size_up: scaled(span, 1 / 6) }),
  CosineAnnealingWarmRestarts: (span) => ({ T_0: scaled(span, 0.2) }),
  OneCycleLR: () => ({ max_lr: 0.1 }),
  PolynomialLR: (span) => ({ total_iters: span, power: 1 }),
  LinearLR: (span) => ({ start_factor: 0.1, total_iters: scaled(span, 0.1) }),
  ConstantLR: (span) => ({ factor: 0.5, total_iters: scaled(span, 0.1) }),
  SequentialLR: (span) => {
    const warm = scaled(span, 0.05);
    return {
      schedulers: [
        { type: "LinearLR", start_factor: 0.1, total_iters: warm },
        { type: "CosineAnnealingLR", T_max: Math.max(1, span - warm) },
      ],
      milestones: [warm],
    };
  },
  ChainedScheduler: (span) => ({
    schedulers: [
      { type: "LinearLR", start_factor: 0.1, total_iters: scaled(span, 0.05) },
      { type: "ExponentialLR", gamma: 0.98 },
    ],
  }),
};

/** A scheduler spec of type `name` with every required parameter filled in. */
export function starterScheduler(catalog, name, span) {
  if (name === LOOP) return { type: LOOP, schedulers: [loopEntry(starterScheduler(catalog, "StepLR", span))] };
  const entry = catalog.scheduler(name);
  const starter = STARTERS[name] ? STARTERS[name](span) : {};
  const spec = { type: name };
  for (const param of entry?.params ?? []) {
    if (param.name in starter) spec[param.name] = starter[param.name];
    else if (param.required && param.default === null && !param.nullable) {
      spec[param.name] = fallbackValue(catalog, param, span);
    }
  }
  // Starter keys that this torch's scheduler no longer has are dropped above.
  return spec;
}

function fallbackValue(catalog, param, span) {
  const low = param.minimum ?? param.exclusive_minimum ?? 0;
  switch (param.type) {
    case "integer":
      return Math.max(Math.ceil(low), Math.min(10, param.maximum ?? 10), 1);
    case "number":
      return clampNumber(0.1, param);
    case "boolean":
      return false;
    case "enum":
      return param.enum?.[0] ?? "";
    case "string":
      return "";
    case "expression":
      return "1.0";
    case "integer_list":
      return [scaled(span, 0.5)];
    case "number_list":
      return [0.1];
    case "number_pair":
      return [0.9, 0.999];
    case "schedulers":
      return [starterScheduler(catalog, "ConstantLR", span)];
    default:
      return null;
  }
}

function clampNumber(value, param) {
  let v = value;
  if (param.minimum !== null && param.minimum !== undefined) v = Math.max(v, param.minimum);
  if (param.maximum !== null && param.maximum !== undefined) v = Math.min(v, param.maximum);
  return v;
}

/** The run a new page starts with. */
export function defaultRunSpec(catalog) {
  const defaults = catalog.defaults;
  const run = {
    optimizer: { ...defaults.optimizer },
    epochs: defaults.epochs,
    steps_per_epoch: defaults.steps_per_epoch,
  };
  run.scheduler = starterScheduler(catalog, "StepLR", schedulerSpan(catalog, { ...run, scheduler: { type: "StepLR" } }));
  return run;
}

/** The parameters a param-group override may set for this optimizer. */
export function groupOverrideParams(optimizerEntry) {
  if (!optimizerEntry) return [];
  const keys = [...PARAM_GROUP_LR_KEYS];
  if (optimizerEntry.momentum === "momentum") keys.push("momentum");
  return optimizerEntry.params.filter((p) => keys.includes(p.name));
}

/** The RunSpec sent for a curve: a metric only when the scheduler uses one. */
export function requestSpec(catalog, spec, overrides = {}) {
  const out = { ...spec, ...overrides };
  const entry = catalog.scheduler(spec.scheduler?.type);
  if (!entry?.needs_metric && !loopNeedsMetric(catalog, spec.scheduler)) delete out.metric;
  return out;
}
