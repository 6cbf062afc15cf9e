// The runs on the loss chart live in the address as `?run=<id>:<name>,...` beside the
// view's hash, so the page's own "Copy link" carries them too; a run's own link also puts
// its exact schedule in the editor.

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

/** Write `runs` into the address (keeping its other parameters and the hash). */
export function syncAddress(runs) {
  const params = [...new URLSearchParams(location.search)].filter(([key]) => key !== "run");
  const others = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  const parts = runs.length ? [...others, `run=${runs.map(runToken).join(",")}`] : others;
  const search = parts.length ? `?${parts.join("&")}` : "";
  if (search !== location.search) history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
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
