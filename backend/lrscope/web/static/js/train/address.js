// The runs on the loss chart live in the address as `?run=<id>:<name>,...` beside the
// view's hash, with how the chart shows them (`color=<hex>,...` in the same order, `hide=<id>,...`, `smooth=0.8`, `xlog=1`,
// `ylog=1`; each left out at its default), so the page's own "Copy link" and the chart's
// "Copy comparison link" carry the comparison: opened elsewhere, the page loads each run
// from GET /api/jobs/{id}. A run's own link also puts its exact schedule in the editor.
// Links from before the chart options had only `run=`: they open with the defaults.

import { DEFAULT_WEIGHT, weightFrom } from "../core/smoothing.js";
import { scheduleOf } from "../core/train-runs.js";
import { encodeState } from "../core/url-state.js";

export const MAX_RUNS = 12;
const RUN_ID = /^[\w-]{1,64}$/;

function decodeToken(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return "";
  }
}

/** The runs a link names: `?run=<id>[:<name>],...` (ids as the server makes them). */
export function runsInLink(search = location.search) {
  const match = /(?:^\?|&)run=([^&]*)/.exec(search);
  if (!match) return [];
  return match[1].split(",").map((token) => {
    const [id, ...name] = token.split(":");
    return { id: decodeToken(id), name: name.length ? decodeToken(name.join(":")).slice(0, 200) : null };
  }).filter((entry) => RUN_ID.test(entry.id)).slice(0, MAX_RUNS);
}

const runToken = (run) => `${encodeURIComponent(run.id)}:${encodeURIComponent(run.name)}`;
const OWN_KEYS = new Set(["run", "color", "hide", "smooth", "xlog", "ylog"]);
const COLOR = /^[0-9a-f]{6}$/i;

/**
 * The chart options a link gives: {smoothing, xlog, y}, the ids of the hidden runs, and
 * the runs' colours in the order of `run=` (null where the link gives none).
 */
export function chartViewInLink(search = location.search) {
  const params = new URLSearchParams(search);
  const hidden = new Set((params.get("hide") ?? "").split(",").filter((id) => RUN_ID.test(id)));
  const colors = (params.get("color") ?? "").split(",").slice(0, MAX_RUNS).map((hex) => (COLOR.test(hex) ? `#${hex.toLowerCase()}` : null));
  return {
    view: { smoothing: weightFrom(params.get("smooth")), xlog: params.get("xlog") === "1", y: params.get("ylog") === "1" ? "log" : "linear" },
    hidden,
    colors,
  };
}

/** The address's search part for `runs` shown with `view`, keeping the other parameters of `search`. */
export function searchFor(runs, view, search = location.search) {
  const params = [...new URLSearchParams(search)].filter(([key]) => !OWN_KEYS.has(key));
  const parts = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  if (runs.length) {
    parts.push(`run=${runs.map(runToken).join(",")}`);
    parts.push(`color=${runs.map((run) => (COLOR.test(String(run.color).slice(1)) ? run.color.slice(1) : "")).join(",")}`);
    const hidden = runs.filter((run) => !run.visible).map((run) => encodeURIComponent(run.id));
    if (hidden.length) parts.push(`hide=${hidden.join(",")}`);
    if (view.smoothing !== DEFAULT_WEIGHT) parts.push(`smooth=${view.smoothing}`);
    if (view.xlog) parts.push("xlog=1");
    if (view.y === "log") parts.push("ylog=1");
  }
  return parts.length ? `?${parts.join("&")}` : "";
}

/** Write `runs` and the chart's `view` into the address (keeping its other parameters and the hash). */
export function syncAddress(runs, view) {
  const search = searchFor(runs, view);
  if (search !== location.search) history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
}

/** The comparison's link: the runs and chart options, and the page's view `state` in the hash. */
export function comparisonLink(runs, view, state) {
  const url = new URL(location.href);
  url.search = searchFor(runs, view);
  url.hash = encodeState(state);
  return url.href;
}

/** A link to `run` alone, with its schedule as the one curve of the view `view`. */
export function runLink(run, view) {
  const url = new URL(location.href);
  url.search = `?run=${runToken(run)}`;
  const spec = scheduleOf(run);
  url.hash = spec
    ? encodeState({ curves: [{ id: "run", name: run.name, color: run.color, visible: true, spec }], selected: "run", view })
    : "";
  return url.href;
}
