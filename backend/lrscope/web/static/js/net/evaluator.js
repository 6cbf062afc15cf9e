// Keeps one evaluation per curve in step with its spec. A change is sent at once when the
// curve is idle; changes made while a request is in flight are coalesced into one follow-up
// request with the latest spec; an answer to a spec that has since changed is dropped.
// The last good result is kept when a newer spec fails, so the chart can show it dimmed.
// A curve the editor holds back (a field whose text does not parse) is not sent: its
// status is those fields' issues, as if the server had refused it.

import { requestSpec } from "../core/catalog.js";
import { TRANSIENT, evaluateSchedule, retryDelay } from "./api.js";

const QUIET_MS = 30; // changes closer together than this are merged into one request

/**
 * Create an evaluator; `onUpdate(curveId)` runs whenever a curve's entry changes, and
 * `heldBack(curveId)` returns the issues that keep a curve from being sent, or null.
 */
export function createEvaluator({ catalog, onUpdate, evaluate = evaluateSchedule, heldBack = () => null }) {
  const entries = new Map();

  function entryFor(id) {
    if (!entries.has(id)) {
      entries.set(id, { wantedKey: null, wantedSpec: null, sentKey: null, inFlight: false, timer: null, good: null, goodKey: null, error: null });
    }
    return entries.get(id);
  }

  async function send(id, entry) {
    entry.timer = null;
    const key = entry.wantedKey;
    const spec = entry.wantedSpec;
    entry.inFlight = true;
    entry.sentKey = key;
    entry.lastSentAt = performance.now();
    let result = null;
    let error = null;
    try {
      result = await evaluate(spec);
    } catch (caught) {
      error = caught;
    }
    entry.inFlight = false;
    if (!entries.has(id)) return; // the curve was removed meanwhile
    if (entry.wantedKey !== key) {
      // The spec changed while this answer was on its way: drop it, ask again (or, for a
      // curve held back meanwhile, just say it is settled).
      schedule(id, entry);
      if (entry.wantedSpec === null) onUpdate(id);
      return;
    }
    if (result) {
      entry.good = result;
      entry.goodKey = key;
      entry.error = null;
      entry.failures = 0;
    } else {
      entry.error = error;
      if (TRANSIENT.has(error?.status)) retryLater(id, entry, key, error);
    }
    entry.resultKey = key;
    onUpdate(id);
  }

  // The server unreachable, restarting or busy: ask again after 1, 2, 4 (at most 5) s or
  // when it says, so the page recovers by itself. The error shows meanwhile.
  function retryLater(id, entry, key, error) {
    entry.failures = (entry.failures ?? 0) + 1;
    const delay = retryDelay(error, entry.failures);
    clearTimeout(entry.retry);
    entry.retry = setTimeout(() => {
      entry.retry = null;
      if (entries.get(id) === entry && entry.wantedKey === key && !entry.inFlight && !entry.timer) send(id, entry);
    }, delay);
  }

  function schedule(id, entry) {
    if (entry.inFlight || entry.timer || entry.wantedSpec === null) return;
    const since = performance.now() - (entry.lastSentAt ?? -Infinity);
    if (since >= QUIET_MS) send(id, entry);
    else entry.timer = setTimeout(() => send(id, entry), QUIET_MS - since);
  }

  return {
    /** Bring every curve's evaluation up to date with `curves` (the state's list). */
    sync(curves) {
      const live = new Set(curves.map((c) => c.id));
      for (const [id, entry] of entries) {
        if (!live.has(id)) {
          clearTimeout(entry.timer);
          clearTimeout(entry.retry);
          entries.delete(id);
        }
      }
      for (const curve of curves) {
        const held = heldBack(curve.id);
        if (held) {
          const entry = entryFor(curve.id);
          const key = `held:${JSON.stringify(held)}`;
          if (key === entry.wantedKey) continue;
          clearTimeout(entry.timer);
          const message = held.map((issue) => `${issue.loc.join(".")}: ${issue.msg}`).join("; ");
          Object.assign(entry, { timer: null, wantedKey: key, wantedSpec: null, resultKey: key, error: { issues: held, message, located: true } });
          queueMicrotask(() => onUpdate(curve.id));
          continue;
        }
        const spec = requestSpec(catalog, curve.spec);
        const key = JSON.stringify(spec);
        const entry = entryFor(curve.id);
        if (key === entry.wantedKey) continue;
        clearTimeout(entry.retry);
        entry.wantedKey = key;
        entry.wantedSpec = spec;
        schedule(curve.id, entry);
      }
    },
    /** {good, error, pending, stale} for a curve: `stale` = the shown result is not the latest spec. */
    status(id) {
      const entry = entries.get(id);
      if (!entry) return { good: null, error: null, pending: true, stale: true };
      const pending = entry.inFlight || Boolean(entry.timer) || entry.resultKey !== entry.wantedKey;
      return { good: entry.good, error: entry.error, pending, stale: entry.goodKey !== entry.wantedKey };
    },
    /** True when no curve waits for an answer. */
    idle() {
      return [...entries.values()].every((e) => !e.inFlight && !e.timer && e.resultKey === e.wantedKey);
    },
  };
}
