// Keeps one evaluation per curve in step with its spec. A change is sent at once when the
// curve is idle; changes made while a request is in flight are coalesced into one follow-up
// request with the latest spec; an answer to a spec that has since changed is dropped.
// The last good result is kept when a newer spec fails, so the chart can show it dimmed.
// A curve the editor holds back (a field whose text does not parse) is not sent: its
// status is those fields' issues, as if the server had refused it.

import { requestSpec } from "../core/catalog.js";
import { TRANSIENT, evaluateSchedule, retryDelay } from "./api.js";

const QUIET_MS = 30; // changes closer together than this are merged into one request

function newEntry() {
  return { wantedKey: null, wantedSpec: null, sentKey: null, inFlight: false, timer: null, good: null, goodKey: null, error: null };
}

class Evaluator {
  constructor({ catalog, onUpdate, evaluate, heldBack }) {
    Object.assign(this, { catalog, onUpdate, evaluate, heldBack });
    this.entries = new Map();
  }

  entryFor(id) {
    if (!this.entries.has(id)) this.entries.set(id, newEntry());
    return this.entries.get(id);
  }

  async send(id, entry) {
    entry.timer = null;
    const key = entry.wantedKey;
    entry.inFlight = true;
    entry.sentKey = key;
    entry.lastSentAt = performance.now();
    let result = null;
    let error = null;
    try {
      result = await this.evaluate(entry.wantedSpec);
    } catch (caught) {
      error = caught;
    }
    entry.inFlight = false;
    if (!this.entries.has(id)) return; // the curve was removed meanwhile
    if (entry.wantedKey !== key) {
      // The spec changed while this answer was on its way: drop it, ask again (or, for a
      // curve held back meanwhile, just say it is settled).
      this.schedule(id, entry);
      if (entry.wantedSpec === null) this.onUpdate(id);
      return;
    }
    if (result) Object.assign(entry, { good: result, goodKey: key, error: null, failures: 0 });
    else {
      entry.error = error;
      if (TRANSIENT.has(error?.status)) this.retryLater(id, entry, key, error);
    }
    entry.resultKey = key;
    this.onUpdate(id);
  }

  // The server unreachable, restarting or busy: ask again after 1, 2, 4 (at most 5) s or
  // when it says, so the page recovers by itself. The error shows meanwhile.
  retryLater(id, entry, key, error) {
    entry.failures = (entry.failures ?? 0) + 1;
    clearTimeout(entry.retry);
    entry.retry = setTimeout(() => {
      entry.retry = null;
      if (this.entries.get(id) === entry && entry.wantedKey === key && !entry.inFlight && !entry.timer) this.send(id, entry);
    }, retryDelay(error, entry.failures));
  }

  schedule(id, entry) {
    if (entry.inFlight || entry.timer || entry.wantedSpec === null) return;
    const since = performance.now() - (entry.lastSentAt ?? -Infinity);
    if (since >= QUIET_MS) this.send(id, entry);
    else entry.timer = setTimeout(() => this.send(id, entry), QUIET_MS - since);
  }

  /** A curve held back: its status is the issues, and nothing is sent. */
  holdBack(id, held) {
    const entry = this.entryFor(id);
    const key = `held:${JSON.stringify(held)}`;
    if (key === entry.wantedKey) return;
    clearTimeout(entry.timer);
    const message = held.map((issue) => `${issue.loc.join(".")}: ${issue.msg}`).join("; ");
    Object.assign(entry, { timer: null, wantedKey: key, wantedSpec: null, resultKey: key, error: { issues: held, message, located: true } });
    queueMicrotask(() => this.onUpdate(id));
  }

  /** Bring every curve's evaluation up to date with `curves` (the state's list). */
  sync(curves) {
    const live = new Set(curves.map((c) => c.id));
    for (const [id, entry] of this.entries) {
      if (live.has(id)) continue;
      clearTimeout(entry.timer);
      clearTimeout(entry.retry);
      this.entries.delete(id);
    }
    for (const curve of curves) {
      const held = this.heldBack(curve.id);
      if (held) {
        this.holdBack(curve.id, held);
        continue;
      }
      const spec = requestSpec(this.catalog, curve.spec);
      const key = JSON.stringify(spec);
      const entry = this.entryFor(curve.id);
      if (key === entry.wantedKey) continue;
      clearTimeout(entry.retry);
      entry.wantedKey = key;
      entry.wantedSpec = spec;
      this.schedule(curve.id, entry);
    }
  }

  /** {good, error, pending, stale} for a curve: `stale` = the shown result is not the latest spec. */
  status(id) {
    const entry = this.entries.get(id);
    if (!entry) return { good: null, error: null, pending: true, stale: true };
    const pending = entry.inFlight || Boolean(entry.timer) || entry.resultKey !== entry.wantedKey;
    return { good: entry.good, error: entry.error, pending, stale: entry.goodKey !== entry.wantedKey };
  }

  /** True when no curve waits for an answer. */
  idle() {
    return [...this.entries.values()].every((e) => !e.inFlight && !e.timer && e.resultKey === e.wantedKey);
  }
}

/**
 * Create an evaluator; `onUpdate(curveId)` runs whenever a curve's entry changes, and
 * `heldBack(curveId)` returns the issues that keep a curve from being sent, or null.
 */
export function createEvaluator({ catalog, onUpdate, evaluate = evaluateSchedule, heldBack = () => null }) {
  return new Evaluator({ catalog, onUpdate, evaluate, heldBack });
}
