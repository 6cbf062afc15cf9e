// The evaluator's request for a curve with "resume": the resumed run and, beside it, the
// same spec without "resume" (one extra POST /api/schedule), attached as `uninterrupted`.

import { withoutResume } from "../core/resume.js";
import { evaluateSchedule } from "./api.js";

/** Wrap `evaluate(spec)` so an answer to a resumed spec carries `uninterrupted`. */
export function withUninterrupted(evaluate = evaluateSchedule) {
  return async (spec) => {
    if (!spec.resume) return evaluate(spec);
    const [resumed, plain] = await Promise.allSettled([evaluate(spec), evaluate(withoutResume(spec))]);
    if (resumed.status === "rejected") throw resumed.reason;
    // Without the uninterrupted run the resumed one still shows, without the overlay.
    return plain.status === "fulfilled" ? { ...resumed.value, uninterrupted: plain.value } : resumed.value;
  };
}
