// The evaluator (net/evaluator.js) with a fake server: edits made while a request is out
// are merged into one follow-up; an answer to an older spec is never shown.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createEvaluator } from "../../backend/lrscope/web/static/js/net/evaluator.js";

const catalog = { scheduler: () => ({ needs_metric: false }) };
const curve = (gamma) => ({ id: "c1", spec: { scheduler: { type: "StepLR", gamma } } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

function fakeServer() {
  const calls = [];
  const evaluate = (spec) => new Promise((resolve) => calls.push({ spec, resolve }));
  return { calls, evaluate };
}

test("edits during a request become one request with the latest spec", async () => {
  const server = fakeServer();
  const evaluator = createEvaluator({ catalog, onUpdate: () => {}, evaluate: server.evaluate });
  evaluator.sync([curve(0.1)]);
  await settle();
  assert.equal(server.calls.length, 1);
  evaluator.sync([curve(0.2)]);
  evaluator.sync([curve(0.3)]);
  server.calls[0].resolve({ gamma: 0.1 }); // the answer to a spec that changed: dropped
  await settle();
  assert.equal(evaluator.status("c1").good, null);
  assert.equal(server.calls.length, 2);
  assert.equal(server.calls[1].spec.scheduler.gamma, 0.3);
  server.calls[1].resolve({ gamma: 0.3 });
  await settle();
  assert.deepEqual(evaluator.status("c1").good, { gamma: 0.3 });
  assert.equal(evaluator.idle(), true);
});

test("a held-back curve is not sent; its status is the page's own issues", async () => {
  const server = fakeServer();
  const held = [{ loc: ["scheduler", "gamma"], msg: "not a number" }];
  const evaluator = createEvaluator({ catalog, onUpdate: () => {}, evaluate: server.evaluate, heldBack: () => held });
  evaluator.sync([curve(0.1)]);
  await settle();
  assert.equal(server.calls.length, 0);
  assert.deepEqual(evaluator.status("c1").error.issues, held);
  assert.equal(evaluator.idle(), true);
});
