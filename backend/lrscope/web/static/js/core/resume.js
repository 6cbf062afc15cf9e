// A curve that resumes from a checkpoint ("resume" in its spec) is drawn with the run it
// departs from: the same spec without "resume". Pure helpers, so node --test covers them.

export const RESUME_HOWS = ["state_dict", "last_epoch", "rebuild"];

/** The spec without its resume: the uninterrupted run. */
export function withoutResume(spec) {
  const plain = { ...spec };
  delete plain.resume;
  return plain;
}

/**
 * A starting resume for `spec`: halfway through the run, after the last step of an epoch
 * (per-epoch schedulers can only be checkpointed there), rebuilt from scratch.
 */
export function starterResume(spec, defaults) {
  const epochs = spec.epochs ?? spec.setup?.epochs ?? defaults.epochs ?? 10;
  const perEpoch = spec.steps_per_epoch ?? defaults.steps_per_epoch ?? 1;
  const half = Math.max(1, Math.floor(epochs / 2));
  return { at_step: half * perEpoch - 1, how: "rebuild" };
}

/**
 * Indices into `resumed.x` of the drawn points whose rate (any group) differs from the
 * uninterrupted run's at the same step. Both answers may be decimated differently, so
 * points are matched by step, not by position.
 */
export function departures(resumed, uninterrupted) {
  if (!resumed || !uninterrupted) return [];
  const at = uninterrupted.x.map((step, i) => [step, i]);
  const index = new Map(at);
  const out = [];
  resumed.x.forEach((step, i) => {
    const j = index.get(step);
    if (j === undefined) return;
    const differs = resumed.groups.some((group, g) => group.lr[i] !== uninterrupted.groups[g]?.lr[j]);
    if (differs) out.push(i);
  });
  return out;
}
