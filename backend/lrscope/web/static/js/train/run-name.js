// A run's name says what sets it apart: its curve, its learning rate, its task, then each
// remedy it uses ("StepLR · lr 0.1 · over-fitting · dropout 0.5 · L2 0.003"). Runs whose
// names still match (they differ only in the seed, the epochs, a scheduler argument...)
// get what differs appended ("· seed 1"), or a number when nothing does, so every run in
// the list and the chart's legend has a name of its own.

import { formatNumber, formatValue } from "../i18n/format.js";
import { t, text } from "../i18n/i18n.js";

// TrainSpec regularization field -> label key of its short name.
const REMEDY_NAMES = [
  ["weight_decay", "train.short.weightDecay"],
  ["l1", "train.short.l1"],
  ["dropout", "train.short.dropout"],
  ["input_noise", "train.short.inputNoise"],
];
// Already in the name, or not changing the numbers (the pace).
const NAMED = /^(regularization|fit\.to$|optimizer\.lr$|task\.name$|steps_per_second$|log_every$)/;
// The spec fields most likely to set two runs apart first, with their short names.
const FIELD_NAMES = {
  seed: "train.short.seed",
  epochs: "train.short.epochs",
  batch_size: "train.short.batch",
  "model.width": "train.short.width",
  "model.depth": "train.short.depth",
};
const ORDER = ["seed", "epochs", "batch_size", "model.", "task.", "optimizer.", "interval", "scheduler.", "resume"];
const MAX_PARTS = 3;

/** The short names of the remedies `spec` (a TrainSpec) uses, in a fixed order. */
export function remedyParts(spec) {
  const reg = spec?.regularization ?? {};
  const parts = REMEDY_NAMES.filter(([key]) => Number(reg[key]) > 0).map(([key, label]) => `${t(label)} ${formatNumber(reg[key])}`);
  if (reg.early_stopping) parts.push(t("train.short.earlyStopping", { patience: reg.early_stopping.patience ?? 10 }));
  return parts;
}

/** How the run fits a schedule of another length (`spec.fit`), or nothing. */
export function fitPart(spec) {
  if (spec?.fit?.to === "schedule") return [t("train.short.ownLength")];
  if (spec?.fit?.to === "task") return [t("train.short.rescaled")];
  return [];
}

/** "lr 0.1": the optimizer's learning rate in `spec`, else `defaultLr`; "" when neither is known. */
export function lrPart(spec, defaultLr) {
  const lr = spec?.optimizer?.lr ?? defaultLr;
  return typeof lr === "number" ? t("train.short.lr", { lr: formatNumber(lr) }) : "";
}

/** `curve` · its lr · the task of `spec` · how it fits the schedule's length · its remedies. */
export function runName(curve, spec, { defaultLr } = {}) {
  const task = spec?.task?.name;
  const taskName = task ? text(`train.taskShort.${task}`) ?? task : "";
  return [curve, lrPart(spec, defaultLr), taskName, ...fitPart(spec), ...remedyParts(spec)].filter(Boolean).join(" · ");
}

/** `spec` as dotted paths -> values (lists and scalars are leaves). */
function flatten(value, prefix = "", out = new Map()) {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out.set(prefix, value ?? null);
  }
  return out;
}

function rank(path) {
  const index = ORDER.findIndex((start) => path === start || (start.endsWith(".") && path.startsWith(start)));
  return index < 0 ? ORDER.length : index;
}

/**
 * The paths whose values differ among `specs`. A path one spec leaves out counts as its
 * default from `defaults` (dotted path -> value); with no default known it is not compared,
 * since a run's own spec leaves the server's defaults out while a saved one has them all.
 */
function differingPaths(specs, defaults) {
  const flat = specs.map((spec) => flatten(spec ?? {}));
  const paths = new Set(flat.flatMap((map) => [...map.keys()]));
  const differ = [];
  for (const path of paths) {
    if (NAMED.test(path)) continue;
    const values = flat.map((map) => (map.has(path) && map.get(path) !== null ? map.get(path) : defaults[path] ?? null));
    if (values.some((v) => v === null)) continue;
    if (new Set(values.map((v) => JSON.stringify(v))).size > 1) differ.push(path);
  }
  return differ.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function partFor(path, value) {
  const label = FIELD_NAMES[path];
  if (label) return t(label, { value: formatValue(value) });
  if (typeof value === "string") return `${path.split(".").at(-1)} ${value}`;
  return `${path.split(".").at(-1)} ${typeof value === "object" ? JSON.stringify(value) : formatValue(value)}`;
}

/**
 * Names for `entries` ([{name, spec}]) in which no two are the same: each group of equal
 * names gets the fields its specs differ in (up to MAX_PARTS), then "#2", "#3"... for any
 * still equal. An entry without a spec keeps its name.
 */
export function distinctNames(entries, defaults = {}) {
  const names = entries.map((entry) => entry.name);
  const groups = new Map();
  entries.forEach((entry, i) => {
    if (entry.spec) groups.set(entry.name, [...(groups.get(entry.name) ?? []), i]);
  });
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const specs = members.map((i) => entries[i].spec);
    const paths = differingPaths(specs, defaults).slice(0, MAX_PARTS);
    members.forEach((i, k) => {
      const flat = flatten(specs[k]);
      const parts = paths.map((path) => partFor(path, flat.has(path) && flat.get(path) !== null ? flat.get(path) : defaults[path]));
      names[i] = [entries[i].name, ...parts].join(" · ");
    });
  }
  const seen = new Map();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} #${count}`;
  });
}
