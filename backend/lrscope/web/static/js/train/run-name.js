// A run's name says what sets it apart: its curve, its task, then each remedy it uses
// ("StepLR · over-fitting · dropout 0.5 · L2 0.003"), so runs that differ only in their
// regularisation can be told apart in the list and the chart's legend.

import { formatNumber } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";

// TrainSpec regularization field -> label key of its short name.
const REMEDY_NAMES = [
  ["weight_decay", "train.short.weightDecay"],
  ["l1", "train.short.l1"],
  ["dropout", "train.short.dropout"],
  ["input_noise", "train.short.inputNoise"],
];

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

/** `base` (curve · task) followed by how it fits the schedule's length and its remedies. */
export function runName(base, spec) {
  return [base, ...fitPart(spec), ...remedyParts(spec)].join(" · ");
}
