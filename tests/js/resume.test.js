// A resumed curve's helpers (core/resume.js) and its extra request
// (net/resume-evaluate.js): the uninterrupted run is the same spec without "resume";
// departures are matched by step, whatever each answer's decimation kept.
import assert from "node:assert/strict";
import { test } from "node:test";

import { departures, starterResume, withoutResume } from "../../backend/lrscope/web/static/js/core/resume.js";
import { withUninterrupted } from "../../backend/lrscope/web/static/js/net/resume-evaluate.js";
import { withWindow } from "../../backend/lrscope/web/static/js/core/zoom.js";

const answer = (x, lr) => ({ x, epoch: x, groups: [{ lr }] });

test("the uninterrupted spec is the spec without resume, the spec itself untouched", () => {
  const spec = { scheduler: { type: "StepLR", step_size: 3 }, resume: { at_step: 4, how: "rebuild" } };
  assert.deepEqual(withoutResume(spec), { scheduler: { type: "StepLR", step_size: 3 } });
  assert.ok(spec.resume);
});

test("a starting resume ends an epoch halfway through the run", () => {
  assert.deepEqual(starterResume({ epochs: 10, steps_per_epoch: 4 }, {}), { at_step: 19, how: "rebuild" });
  assert.deepEqual(starterResume({}, { epochs: 3, steps_per_epoch: 1 }), { at_step: 0, how: "rebuild" });
});

test("departures are the drawn steps whose rates differ, matched by step", () => {
  // StepLR(step_size=3, gamma=0.1) rebuilt after step 4: steps 5.. restart at 0.1.
  const plain = answer([0, 1, 2, 3, 4, 5, 6, 7], [0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001]);
  const resumed = answer([0, 3, 5, 6, 7], [0.1, 0.01, 0.1, 0.1, 0.1]);
  assert.deepEqual(departures(resumed, plain), [2, 3, 4]);
  assert.deepEqual(departures(plain, plain), []);
  assert.deepEqual(departures(resumed, null), []);
});

test("a resumed spec is asked for twice, the answer carrying the uninterrupted run", async () => {
  const asked = [];
  const evaluate = withUninterrupted(async (spec) => {
    asked.push(spec);
    return { resumed: Boolean(spec.resume) };
  });
  const spec = { scheduler: { type: "StepLR" }, resume: { at_step: 1, how: "rebuild" } };
  assert.deepEqual(await evaluate(spec), { resumed: true, uninterrupted: { resumed: false } });
  assert.equal(asked.length, 2);
  assert.deepEqual(await evaluate({ scheduler: { type: "StepLR" } }), { resumed: false });
  assert.equal(asked.length, 3);
});

test("a refused resume is the answer's error; a failed uninterrupted run only drops the overlay", async () => {
  const refused = withUninterrupted(async (spec) => {
    if (spec.resume) throw new Error("resume refused");
    return {};
  });
  await assert.rejects(refused({ resume: { at_step: 1, how: "rebuild" } }), /resume refused/);
  const lonely = withUninterrupted(async (spec) => {
    if (!spec.resume) throw new Error("busy");
    return { ok: 1 };
  });
  assert.deepEqual(await lonely({ resume: { at_step: 1, how: "rebuild" } }), { ok: 1 });
});

test("a zoomed window refines the uninterrupted run with the resumed one", () => {
  const full = { ...answer([0, 4, 8], [1, 1, 1]), uninterrupted: answer([0, 4, 8], [1, 2, 2]) };
  const part = { ...answer([4, 5, 6], [1, 1, 1]), uninterrupted: answer([4, 5, 6], [2, 2, 3]) };
  const merged = withWindow(full, part);
  assert.deepEqual(merged.uninterrupted.x, [0, 4, 5, 6, 8]);
  assert.deepEqual(merged.uninterrupted.groups[0].lr, [1, 2, 2, 3, 2]);
  assert.deepEqual(departures(merged, merged.uninterrupted), [1, 2, 3, 4]);
  assert.equal("uninterrupted" in withWindow(answer([0, 4], [1, 1]), answer([2], [1])), false);
});
