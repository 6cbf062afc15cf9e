// One training run as the page knows it: its spec, status and the series folded from its
// events (or from a saved run's snapshot), plus progress and a time-left estimate.
// Pure data: nothing here touches the DOM or the network.

export const ACTIVE = new Set(["queued", "running"]);

/** A run with no events yet. */
export function newRun({ id, name, color, spec = null, status = "queued" }) {
  return {
    id,
    name: String(name),
    color,
    visible: true,
    spec,
    status,
    position: null,
    start: null,
    done: null,
    earlyStop: null,
    // Per-step points (every `log_every` optimizer steps): training loss and the rate used.
    steps: { epoch: [], step: [], loss: [], lr: [] },
    // Per-epoch points: mean training loss, validation loss (and accuracy), rate.
    epochs: { epoch: [], step: [], train: [], val: [], accuracy: [], lr: [] },
    // Decision-boundary frames (2-D tasks): P(class 1) on the start event's grid.
    frames: { epoch: [], step: [], z: [] },
    lastSeq: -1,
    received: 0, // events folded in: with a contiguous stream, lastSeq + 1
    clock: null, // {t, p}: when (performance.now) this page first saw progress p
    connection: null,
    revision: 0, // bumped on every change, so views can skip unchanged runs
  };
}

/** Fold a batch of events (seq strictly increasing, all newer than lastSeq) into `run`. */
export function applyEvents(run, events) {
  for (const event of events) {
    run.lastSeq = event.seq;
    run.received += 1;
    switch (event.type) {
      case "status":
        run.status = event.status;
        run.position = event.position ?? null;
        break;
      case "start":
        run.start = event;
        break;
      case "step":
        run.steps.epoch.push(event.epoch);
        run.steps.step.push(event.step);
        run.steps.loss.push(event.train_loss);
        run.steps.lr.push(event.lr?.[0] ?? null);
        break;
      case "metrics":
        run.epochs.epoch.push(event.epoch);
        run.epochs.step.push(event.step);
        run.epochs.train.push(event.train_loss);
        run.epochs.val.push(event.val_loss);
        run.epochs.accuracy.push(event.val_accuracy ?? null);
        run.epochs.lr.push(event.lr?.[0] ?? null);
        break;
      case "boundary":
        run.frames.epoch.push(event.epoch);
        run.frames.step.push(event.step);
        run.frames.z.push(event.z);
        break;
      case "early_stop":
        run.earlyStop = event;
        break;
      case "done":
        run.done = event;
        run.status = event.status;
        break;
      default:
        break; // a newer server's event type: ignored
    }
  }
  noteProgress(run);
  run.revision += 1;
}

/** A run rebuilt from GET /api/jobs/{id}. */
export function runFromSnapshot(snapshot, { name, color }) {
  const run = newRun({ id: snapshot.id, name, color, spec: snapshot.spec, status: snapshot.status });
  run.start = snapshot.start ?? null;
  run.done = snapshot.done ?? null;
  run.earlyStop = snapshot.early_stop ?? null;
  const steps = snapshot.series?.steps;
  const epochs = snapshot.series?.epochs;
  if (steps) {
    run.steps = {
      epoch: steps.epoch, step: steps.step, loss: steps.train_loss, lr: steps.groups?.[0]?.lr ?? steps.epoch.map(() => null),
    };
  }
  if (epochs) {
    run.epochs = {
      epoch: epochs.epoch,
      step: epochs.step,
      train: epochs.train_loss,
      val: epochs.val_loss,
      accuracy: epochs.val_accuracy ?? epochs.epoch.map(() => null),
      lr: epochs.groups?.[0]?.lr ?? epochs.epoch.map(() => null),
    };
  }
  const frames = snapshot.series?.boundary;
  if (frames) run.frames = { epoch: frames.epoch, step: frames.step, z: frames.z };
  run.lastSeq = Number.isInteger(snapshot.last_seq) ? snapshot.last_seq : -1;
  run.received = run.lastSeq + 1;
  noteProgress(run);
  return run;
}

/** The run's decision boundary: its grid and training points (from the start event) and
 *  the frames so far; null for a run without one (a 1-D task, or turned off). */
export function boundaryOf(run) {
  const grid = run.start?.boundary;
  if (!grid) return null;
  return { grid, frames: run.frames };
}

/** The name a run gets when only its spec is known (a saved run). */
export function specLabel(spec) {
  return spec?.scheduler?.type ?? "?";
}

/** Done fraction in [0, 1], or null while the size of the run is unknown. */
export function progressOf(run) {
  if (run.status === "completed") return 1;
  const total = run.start?.num_steps;
  if (!total) return null;
  const lastStep = Math.max(run.steps.step.at(-1) ?? -1, run.epochs.step.at(-1) ?? -1);
  return Math.min(1, (lastStep + 1) / total);
}

function noteProgress(run) {
  const p = progressOf(run);
  if (p !== null && run.clock === null && ACTIVE.has(run.status)) run.clock = { t: performance.now(), p };
  run.progressAt = { t: performance.now(), p };
}

/** Seconds left, from the pace this page has seen; null until there is enough to tell. */
export function secondsLeft(run, now = performance.now()) {
  if (!ACTIVE.has(run.status) || !run.clock || !run.progressAt) return null;
  const { t: t0, p: p0 } = run.clock;
  const { p } = run.progressAt;
  const elapsed = (now - t0) / 1000;
  if (p - p0 < 0.01 || elapsed < 0.5) return null;
  return Math.max(0, (elapsed / (p - p0)) * (1 - p));
}

/** The RunSpec of the curve this run's rates follow (for /api/schedule and the editor). */
export function scheduleOf(run) {
  const request = run.start?.schedule_request;
  if (request) {
    const spec = structuredClone(request);
    if (spec.scheduler?.type === "ReduceLROnPlateau") {
      spec.metric = { values: run.epochs.val.map((v) => v ?? Number.MAX_VALUE) };
    }
    return spec;
  }
  if (!run.spec?.scheduler) return null;
  const spec = { scheduler: run.spec.scheduler, epochs: run.spec.epochs };
  if (run.spec.optimizer) spec.optimizer = withoutNulls(run.spec.optimizer);
  if (run.spec.interval) spec.interval = run.spec.interval;
  return spec;
}

function withoutNulls(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}
