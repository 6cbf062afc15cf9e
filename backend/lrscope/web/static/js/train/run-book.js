// The runs on the loss chart: added from the form or a link, followed live over their
// WebSocket, stopped, removed. Every change calls `changed()` so the panel redraws, and
// keeps the address's `?run=` list in step.

import { PALETTE } from "../core/state.js";
import { ACTIVE, applyEvents, newRun, runFromSnapshot, specLabel } from "../core/train-runs.js";
import { errorText } from "../i18n/server.js";
import { cancelJob, fetchJob } from "../net/train-api.js";
import { followJob } from "../net/train-stream.js";
import { MAX_RUNS, syncAddress } from "./address.js";

export class RunBook {
  /** `changed()` after every change; `label(snapshot)` names a run opened without a name. */
  constructor({ changed, label }) {
    this.runs = [];
    this.streams = new Map();
    this.changed = changed;
    this.label = label;
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
    syncAddress(this.runs);
    this.changed();
  }

  /** A run just created on the server: show it and follow it. */
  start({ id, status, name, color, spec }) {
    const run = newRun({ id, name, color, spec, status });
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
    syncAddress(this.runs);
    return index;
  }

  toggle(id) {
    const run = this.byId(id);
    if (run) run.visible = !run.visible;
    this.changed();
  }

  retry(id) {
    this.streams.get(id)?.retryNow();
  }

  /** Show a saved (or running) run, e.g. from a link; `name` null = named from its spec. */
  async open({ id, name }) {
    if (this.byId(id) || this.full) return;
    const run = newRun({ id, name: name ?? id, color: this.colorFor(null), status: "loading" });
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
    const index = this.runs.indexOf(run);
    if (index < 0) return; // removed while loading
    this.runs[index] = loaded;
    syncAddress(this.runs);
    if (ACTIVE.has(loaded.status)) this.follow(loaded);
    this.changed();
  }
}
