// The runs on the loss chart: added from the form, the saved runs or a link, followed live
// over their WebSocket, stopped, hidden, removed. Every change calls `changed()` so the
// panel redraws, names the runs apart (each run keeps the name it was given as `baseName`)
// and keeps the address's `?run=` list and chart options in step.

import { PALETTE } from "../core/state.js";
import { ACTIVE, applyEvents, newRun, runFromSnapshot, specLabel } from "../core/train-runs.js";
import { errorText } from "../i18n/server.js";
import { cancelJob, fetchJob } from "../net/train-api.js";
import { followJob } from "../net/train-stream.js";
import { MAX_RUNS, syncAddress } from "./address.js";

export class RunBook {
  /**
   * `changed()` after every change; `label(snapshot)` names a run opened without a name;
   * `view` is the chart's options (kept in the address); `nameRuns([{name, spec}])` gives
   * each run a name no other has.
   */
  constructor({ changed, label, view = {}, nameRuns = (entries) => entries.map((e) => e.name) }) {
    this.runs = [];
    this.streams = new Map();
    this.changed = changed;
    this.label = label;
    this.view = view;
    this.nameRuns = nameRuns;
  }

  /** Name again, with `nameOf(curve, spec)`, the runs the page named (not those a link named). */
  relabel(nameOf) {
    for (const run of this.runs) if (run.curve && run.spec) run.baseName = nameOf(run.curve, run.spec);
    this.sync();
  }

  /** Name the runs apart and write them into the address. */
  sync() {
    const names = this.nameRuns(this.runs.map((run) => ({ name: run.baseName ?? run.name, spec: run.spec })));
    this.runs.forEach((run, i) => {
      run.baseName ??= run.name;
      run.name = names[i];
    });
    syncAddress(this.runs, this.view);
  }

  byId(id) {
    return this.runs.find((run) => run.id === id) ?? null;
  }

  get full() {
    return this.runs.length >= MAX_RUNS;
  }

  /** The curve's colour if no run has it yet, else the first free one. */
  colorFor(preferred) {
    const used = new Set(this.runs.map((run) => run.color));
    if (preferred && !used.has(preferred)) return preferred;
    return PALETTE.find((color) => !used.has(color)) ?? PALETTE[this.runs.length % PALETTE.length];
  }

  add(run) {
    this.runs.push(run);
    this.sync();
    this.changed();
  }

  /** A run just created on the server: show it and follow it. */
  start({ id, status, name, color, spec, curve = null }) {
    const run = newRun({ id, name, color, spec, status });
    run.curve = curve; // the page named it from this curve's name: renamed in another language
    this.add(run);
    this.follow(run);
  }

  follow(run) {
    this.streams.get(run.id)?.close();
    const stream = followJob(run.id, {
      after: run.lastSeq,
      onEvents: (events) => {
        applyEvents(run, events);
        this.changed();
      },
      onConnection: (info) => {
        run.connection = info;
        if (info.state === "missing") run.status = "missing";
        if (info.state !== "waiting" && info.state !== "connecting" && info.state !== "open") this.streams.delete(run.id);
        this.changed();
      },
    });
    this.streams.set(run.id, stream);
  }

  /** Ask the server to stop a queued or running run. */
  async stop(id) {
    const run = this.byId(id);
    if (!run || !ACTIVE.has(run.status)) return;
    await (this.streams.get(id)?.stop() ?? cancelJob(id));
  }

  /** Take a run off the chart (stopping it if it still runs); returns its index, or -1. */
  remove(id) {
    const index = this.runs.findIndex((run) => run.id === id);
    if (index < 0) return -1;
    // Over HTTP: a stop sent on the socket just before closing it could be dropped.
    if (ACTIVE.has(this.runs[index].status)) cancelJob(id).catch(() => {});
    this.streams.get(id)?.close();
    this.runs.splice(index, 1);
    this.sync();
    return index;
  }

  toggle(id) {
    const run = this.byId(id);
    if (run) run.visible = !run.visible;
    this.sync();
    this.changed();
  }

  retry(id) {
    this.streams.get(id)?.retryNow();
  }

  /**
   * Show a saved (or running) run, e.g. from a link; `name` null = named from its spec;
   * `hidden`: on the list but not drawn; `color`: the one it had where the link was made.
   */
  async open({ id, name, hidden = false, color = null }) {
    if (this.byId(id) || this.full) return;
    const run = newRun({ id, name: name ?? id, color: this.colorFor(color), status: "loading" });
    run.visible = !hidden;
    this.add(run);
    let snapshot;
    try {
      snapshot = await fetchJob(id);
    } catch (error) {
      if (error.status === 404) run.status = "missing";
      else Object.assign(run, { status: "failed", done: { error: errorText(error) } });
      this.changed();
      return;
    }
    const loaded = runFromSnapshot(snapshot, { name: name ?? this.label(snapshot) ?? specLabel(snapshot.spec), color: run.color });
    loaded.visible = run.visible;
    if (name === null || name === undefined) loaded.curve = specLabel(snapshot.spec);
    const index = this.runs.indexOf(run);
    if (index < 0) return; // removed while loading
    this.runs[index] = loaded;
    this.sync();
    if (ACTIVE.has(loaded.status)) this.follow(loaded);
    this.changed();
  }
}
