// An LR range test as the page knows it: its spec, the swept points folded from its
// events, the server's suggestions, and which curve field "use this LR" writes. Pure data:
// nothing here touches the DOM or the network.

// The suggestions the server sends in the done event, in the order it sends them.
export const SUGGESTIONS = ["steepest", "valley", "minimum"];
// What only a schedule uses: a range test refuses these fields (it sweeps the rate itself).
const SCHEDULE_ONLY = ["scheduler", "resume", "interval", "epochs", "log_every", "fit", "steps_per_epoch"];

/** A sweep with no events yet. */
export function newSweep({ id, curveId = null, spec = null }) {
  return { id, curveId, spec, status: "queued", start: null, done: null, lr: [], loss: [], smoothed: [], lastSeq: -1 };
}

/** Fold a batch of job events (seq increasing) into `sweep`. */
export function applySweepEvents(sweep, events) {
  for (const event of events) {
    sweep.lastSeq = event.seq ?? sweep.lastSeq;
    if (event.type === "status") sweep.status = event.status;
    else if (event.type === "start") {
      sweep.start = event;
      sweep.status = "running";
    } else if (event.type === "step") {
      sweep.lr.push(event.lr?.[0] ?? null);
      sweep.loss.push(event.train_loss ?? null);
      sweep.smoothed.push(event.smoothed_loss ?? null);
    } else if (event.type === "done") {
      sweep.done = event;
      sweep.status = event.status;
    }
  }
  return sweep;
}

/** The done event's suggestions that have a rate, as {name, lr, step, loss}. */
export function usableSuggestions(sweep) {
  return (sweep.done?.suggestions ?? []).filter((s) => SUGGESTIONS.includes(s.name) && Number.isFinite(s.lr));
}

/** The range test job for the train form's TrainSpec `train`, sweeping as `rangeTest` says. */
export function rangeTestSpec(train, rangeTest, stepsPerSecond) {
  const spec = { ...train, kind: "lr_range_test", range_test: { ...rangeTest } };
  for (const key of SCHEDULE_ONLY) delete spec[key];
  if (spec.regularization) spec.regularization = { ...spec.regularization, early_stopping: null };
  if (stepsPerSecond === undefined) delete spec.steps_per_second;
  else spec.steps_per_second = stepsPerSecond;
  return spec;
}

/**
 * Where a suggested rate goes in a curve's RunSpec: OneCycleLR's max_lr (its peak, which it
 * divides for the start and the end), else the optimizer's lr.
 */
export function lrTarget(runSpec) {
  if (runSpec?.scheduler?.type === "OneCycleLR") return { path: ["scheduler", "max_lr"], name: "max_lr" };
  return { path: ["optimizer", "lr"], name: "lr" };
}

/** A rate rounded to 3 significant digits, as a person would type it (0.00123, 1.5). */
export function roundedRate(lr) {
  return Number(Number(lr).toPrecision(3));
}

// The range test's fields as the page last read them: the code panel writes its script
// with them (POST /api/range_test_code).
let settings = {};
const listeners = new Set();

export function rangeTestSettings() {
  return settings;
}

export function setRangeTestSettings(next) {
  settings = { ...next };
  for (const listener of listeners) listener(settings);
}

/** Call `listener(settings)` whenever they change; returns the unsubscribe function. */
export function onRangeTestSettings(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
