// The share link: the whole state as versioned JSON, base64url-encoded in the hash.
// Decoding never throws; a link that is corrupt, from another version, or names a
// scheduler this torch lacks comes back as {ok: false, reason} so the page can fall
// back to the default view and say why.

import { CLASSROOM_PARTS, MAX_CURVES, PALETTE } from "./state.js";

export const LINK_VERSION = 1;
const PREFIX = "s=";

/** The hash (without "#") that reproduces `state`. */
export function encodeState(state) {
  const payload = {
    v: LINK_VERSION,
    // a: 1 when the app named the curve (a preset's name, say), so it follows its
    // scheduler's type; 0 when the user did. (Older links lack it: the name decides.)
    c: state.curves.map((c) => ({ n: c.name, k: c.color, h: c.visible ? undefined : 1, a: c.autoName ? 1 : 0, s: c.spec })),
    i: Math.max(0, state.curves.findIndex((c) => c.id === state.selected)),
    x: state.view.x,
    y: state.view.y,
    l: state.view.lang,
    r: state.view.classroom ? state.view.classroom.hide : undefined,
    g: state.view.log || undefined, // a stored log's id (GET /api/logs/{id})
  };
  return PREFIX + toBase64Url(JSON.stringify(payload));
}

/**
 * Parse a hash (with or without "#"). Returns {ok: true, empty: true} for no hash,
 * {ok: true, value: {curves, selectedIndex, view}} for a good one, else {ok: false, reason}.
 * `catalog` is used to reject specs naming schedulers/optimizers that do not exist.
 */
export function decodeHash(hash, catalog) {
  const raw = (hash || "").replace(/^#/, "");
  if (!raw) return { ok: true, empty: true };
  if (!raw.startsWith(PREFIX)) return { ok: false, reason: "corrupt" };
  let payload;
  try {
    payload = JSON.parse(fromBase64Url(raw.slice(PREFIX.length)));
  } catch {
    return { ok: false, reason: "corrupt" };
  }
  if (!isObject(payload)) return { ok: false, reason: "corrupt" };
  if (payload.v !== LINK_VERSION) return { ok: false, reason: "version" };
  if (!Array.isArray(payload.c) || payload.c.length === 0 || payload.c.length > MAX_CURVES) {
    return { ok: false, reason: "corrupt" };
  }
  const curves = [];
  for (const [index, entry] of payload.c.entries()) {
    if (!isObject(entry) || !isObject(entry.s)) return { ok: false, reason: "corrupt" };
    if (!specIsKnown(entry.s, catalog)) return { ok: false, reason: "unknown" };
    curves.push({
      name: typeof entry.n === "string" ? entry.n.slice(0, 200) : `#${index + 1}`,
      color: /^#[0-9a-f]{6}$/i.test(entry.k) ? entry.k : PALETTE[index % PALETTE.length],
      visible: entry.h !== 1,
      spec: entry.s,
      ...(entry.a === 1 || entry.a === 0 ? { autoName: entry.a === 1 } : {}),
    });
  }
  const view = {};
  if (payload.x === "epoch" || payload.x === "step") view.x = payload.x;
  if (payload.y === "linear" || payload.y === "log") view.y = payload.y;
  if (payload.l === "en" || payload.l === "zh") view.lang = payload.l;
  if (Array.isArray(payload.r)) {
    view.classroom = { hide: CLASSROOM_PARTS.filter((part) => payload.r.includes(part)) };
  }
  if (typeof payload.g === "string" && /^[0-9a-f]{20}$/.test(payload.g)) view.log = payload.g;
  const selectedIndex = Number.isInteger(payload.i) ? payload.i : 0;
  return { ok: true, value: { curves, selectedIndex, view } };
}

/** The shape the editor relies on; the values themselves are the server's to judge. */
function specIsKnown(spec, catalog) {
  if (!isObject(spec.scheduler)) return false;
  if (spec.optimizer !== undefined) {
    const optimizer = spec.optimizer;
    if (!isObject(optimizer) || !catalog.optimizer(optimizer.type)) return false;
    const groups = optimizer.param_groups;
    if (groups !== undefined && !(Array.isArray(groups) && groups.every(isObject))) return false;
  }
  if (spec.metric !== undefined) {
    const metric = spec.metric;
    if (!isObject(metric)) return false;
    if (metric.values !== undefined && !Array.isArray(metric.values)) return false;
    if (metric.synthetic !== undefined && !isObject(metric.synthetic)) return false;
  }
  return schedulerIsKnown(spec.scheduler, catalog, 0);
}

function schedulerIsKnown(scheduler, catalog, depth) {
  if (!isObject(scheduler) || depth > 8) return false;
  const entry = catalog.scheduler(scheduler.type);
  if (!entry) return false;
  for (const param of entry.params) {
    if (param.type === "schedulers" && scheduler[param.name] !== undefined) {
      const children = scheduler[param.name];
      if (!Array.isArray(children)) return false;
      if (!children.every((child) => schedulerIsKnown(child, catalog, depth + 1))) return false;
    }
  }
  return true;
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
