// A curve's automatic name says which scheduler it runs: "CosineAnnealingLR", or for a
// composite "SequentialLR(LinearLR → CosineAnnealingLR)". A curve named by the app (a new
// curve, a preset) follows its scheduler when the type changes; one the user has named
// keeps that name.

/** The automatic name of a RunSpec's scheduler. */
export function schedulerName(spec) {
  const scheduler = spec?.scheduler;
  if (!scheduler || typeof scheduler !== "object" || typeof scheduler.type !== "string") return "?";
  const children = Array.isArray(scheduler.schedulers) ? scheduler.schedulers : [];
  if (children.length === 0) return scheduler.type;
  const parts = children.map((child) => schedulerName({ scheduler: child }));
  return `${scheduler.type}(${parts.join(scheduler.type === "SequentialLR" ? " → " : " + ")})`;
}

/** Whether `name` is the automatic name of `spec`, or a numbered copy of it. */
export function isAutomaticName(name, spec) {
  return String(name).replace(/ \(\d+\)$/, "") === schedulerName(spec);
}

/** `base`, or "base (2)", "base (3)"... whichever no name in `used` takes. */
export function unusedName(base, used) {
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base} (${n})`)) n += 1;
  return `${base} (${n})`;
}
