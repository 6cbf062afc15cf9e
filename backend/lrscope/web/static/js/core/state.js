// The one place UI state lives. Everything a share link must reproduce is here and
// nothing else is: the curves (each with its own RunSpec), which one is selected, and
// the view options. Modules change it only through the functions below; every change
// is announced to subscribers with a small description of what changed.

import { isAutomaticName, schedulerName, unusedName } from "./curve-names.js";

export const PALETTE = [
  "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
  "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
];

/** The most curves one view (and so one link) holds. */
export const MAX_CURVES = 24;

export const CLASSROOM_PARTS = ["editor", "curves", "code", "teach", "toolbar"];

export const DEFAULT_VIEW = Object.freeze({
  x: "epoch", // "epoch" | "step"
  y: "linear", // "linear" | "log"
  lang: "en", // "en" | "zh"
  classroom: null, // null, or {hide: [...CLASSROOM_PARTS subset]}
  pitfalls: [], // setup pitfall overlays drawn (names, see editor/setup-editor.js)
});

let nextId = 1;
let state = { curves: [], selected: null, view: { ...DEFAULT_VIEW } };
const listeners = new Set();

/** Read-only access; treat the returned objects as immutable. */
export function getState() {
  return state;
}

/** Call `listener(change, state)` after every change; returns an unsubscribe function. */
export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(change) {
  for (const listener of listeners) listener(change, state);
}

// `autoName`: the app named the curve (see curve-names.js), so the name follows the
// scheduler's type. Links carry it; without it, a curve named after its scheduler is taken
// as app-named.
function makeCurve({ name, color, visible = true, spec, autoName, follow = null }) {
  const id = `c${nextId++}`;
  const automatic = autoName ?? isAutomaticName(name, spec);
  // `follow`: the id of the preset whose proportions the curve keeps as the run length
  // changes (core/follow.js), until it is edited by hand.
  return { id, name: String(name), autoName: automatic, color, visible: Boolean(visible), spec: structuredClone(spec), follow };
}

function namesInUse(exceptId) {
  return new Set(state.curves.filter((c) => c.id !== exceptId).map((c) => c.name));
}

/** "warmup" -> "warmup (2)", "warmup (2)" -> "warmup (3)", skipping names in use. */
function copyName(name) {
  const base = name.replace(/ \(\d+\)$/, "");
  const used = namesInUse(null);
  used.add(base);
  return unusedName(base, used);
}

/** A name for a new curve with this spec: its scheduler's, numbered if taken. */
export function newCurveName(spec) {
  return unusedName(schedulerName(spec), namesInUse(null));
}

function unusedColor() {
  const used = new Set(state.curves.map((c) => c.color));
  return PALETTE.find((c) => !used.has(c)) ?? PALETTE[state.curves.length % PALETTE.length];
}

/** Replace the whole state (used at start-up and when a link is opened). */
export function loadState({ curves, selectedIndex = 0, view = {} }) {
  const made = curves.map((c) => makeCurve(c));
  const selected = made[Math.min(Math.max(selectedIndex, 0), made.length - 1)]?.id ?? null;
  state = { curves: made, selected, view: { ...DEFAULT_VIEW, ...view } };
  emit({ kind: "load" });
}

export function getCurve(id) {
  return state.curves.find((c) => c.id === id) ?? null;
}

export function selectedCurve() {
  return getCurve(state.selected);
}

/** Add a curve (selected, unless `select` is false); returns its id, or null when full. */
export function addCurve({ name, spec, color, select = true }) {
  if (state.curves.length >= MAX_CURVES) return null;
  const curve = makeCurve({ name: name ?? newCurveName(spec), spec, color: color ?? unusedColor() });
  state = { ...state, curves: [...state.curves, curve], selected: select ? curve.id : state.selected };
  emit({ kind: "curves", added: curve.id });
  return curve.id;
}

export function duplicateCurve(id) {
  const source = getCurve(id);
  if (!source || state.curves.length >= MAX_CURVES) return null;
  const copy = makeCurve({ ...source, color: unusedColor(), name: copyName(source.name) });
  const index = state.curves.indexOf(source);
  const curves = [...state.curves];
  curves.splice(index + 1, 0, copy);
  state = { ...state, curves, selected: copy.id };
  emit({ kind: "curves", added: copy.id });
  return copy.id;
}

export function removeCurve(id) {
  const index = state.curves.findIndex((c) => c.id === id);
  if (index < 0 || state.curves.length <= 1) return;
  const curves = state.curves.filter((c) => c.id !== id);
  const selected =
    state.selected === id ? curves[Math.min(index, curves.length - 1)].id : state.selected;
  state = { ...state, curves, selected };
  emit({ kind: "curves", removed: id });
}

/** Change presentation fields of a curve: name, color, visible. */
export function updateCurve(id, patch) {
  const allowed = {};
  for (const key of ["name", "color", "visible"]) if (key in patch) allowed[key] = patch[key];
  if ("name" in patch) allowed.autoName = false; // typed by the user: kept from now on
  state = {
    ...state,
    curves: state.curves.map((c) => (c.id === id ? { ...c, ...allowed } : c)),
  };
  emit({ kind: "curves", changed: id });
}

export function selectCurve(id) {
  if (!getCurve(id) || state.selected === id) return;
  state = { ...state, selected: id };
  emit({ kind: "select" });
}

/**
 * Replace a curve's RunSpec. `structural` says the editor must be rebuilt (a type
 * changed, a child was added); plain value edits keep the form as it is. `name` is a name
 * the app gives (a preset's); without one, an app-named curve follows its scheduler.
 */
export function setSpec(id, spec, { structural = true, name, follow } = {}) {
  const renamed = (c) => {
    if (name !== undefined) return { name: unusedName(String(name), namesInUse(c.id)), autoName: true };
    if (c.autoName && schedulerName(spec) !== schedulerName(c.spec)) {
      return { name: unusedName(schedulerName(spec), namesInUse(c.id)) };
    }
    return {};
  };
  state = {
    ...state,
    curves: state.curves.map((c) => (c.id === id ? { ...c, spec, ...renamed(c), ...(follow === undefined ? {} : { follow }) } : c)),
  };
  emit({ kind: "spec", curveId: id, structural });
}

/** Set (or, with `undefined`, delete) the value at `path` inside a curve's spec. */
export function setSpecValue(id, path, value, { structural = false } = {}) {
  const curve = getCurve(id);
  if (!curve) return;
  // A value typed by hand: the curve is no longer the preset's (it stops following it).
  setSpec(id, setIn(curve.spec, path, value), { structural, follow: null });
}

export function setView(patch) {
  state = { ...state, view: { ...state.view, ...patch } };
  emit({ kind: "view", keys: Object.keys(patch) });
}

/** Copy of `obj` with `path` set to `value`; `undefined` removes the key. */
export function setIn(obj, path, value) {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  const base = Array.isArray(obj) ? [...obj] : { ...(obj ?? {}) };
  const child = setIn(base[key], rest, value);
  if (child === undefined && !Array.isArray(base)) delete base[key];
  else base[key] = child;
  return base;
}
