// A run's decision boundary as the page folds it (core/train-runs.js): streamed frames and
// a saved run's series give the same run; the watched run is the newest shown one with a
// boundary (train/boundary.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { applyEvents, boundaryOf, newRun, runFromSnapshot } from "../../backend/lrscope/web/static/js/core/train-runs.js";
import { watchedRun } from "../../backend/lrscope/web/static/js/train/boundary.js";

const GRID = { every: 2, x: [-1, 0, 1], y: [-1, 1], points: { x: [0.5], y: [0.25], label: [1] } };
const START = { seq: 0, type: "start", epochs: 2, num_steps: 4, boundary: GRID };
const FRAMES = [
  { seq: 1, type: "boundary", epoch: 0, step: -1, z: [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]] },
  { seq: 2, type: "metrics", epoch: 1, step: 1, lr: [0.1], momentum: null, train_loss: 0.7, val_loss: 0.6, val_accuracy: 0.5 },
  { seq: 3, type: "metrics", epoch: 2, step: 3, lr: [0.1], momentum: null, train_loss: 0.5, val_loss: 0.4, val_accuracy: 0.8 },
  { seq: 4, type: "boundary", epoch: 2, step: 3, z: [[0, 0.2, 0.9], [0.1, 0.6, 1]] },
];

test("streamed frames are kept in order with the start event's grid", () => {
  const run = newRun({ id: "a", name: "a", color: "#000" });
  assert.equal(boundaryOf(run), null);
  applyEvents(run, [START, ...FRAMES]);
  const { grid, frames } = boundaryOf(run);
  assert.deepEqual(grid, GRID);
  assert.deepEqual(frames.epoch, [0, 2]);
  assert.deepEqual(frames.step, [-1, 3]);
  assert.deepEqual(frames.z, [FRAMES[0].z, FRAMES[3].z]);
});

test("a saved run's series gives the same boundary as its stream", () => {
  const streamed = newRun({ id: "a", name: "a", color: "#000" });
  applyEvents(streamed, [START, ...FRAMES]);
  const saved = runFromSnapshot({
    id: "a", status: "completed", start: START, last_seq: 4,
    series: { boundary: { epoch: [0, 2], step: [-1, 3], z: [FRAMES[0].z, FRAMES[3].z] } },
  }, { name: "a", color: "#000" });
  assert.deepEqual(boundaryOf(saved), boundaryOf(streamed));
});

test("a run without a boundary (a 1-D task) has none, and the newest shown run is watched", () => {
  const sine = newRun({ id: "s", name: "s", color: "#000" });
  applyEvents(sine, [{ ...START, boundary: null }]);
  assert.equal(boundaryOf(sine), null);
  const older = newRun({ id: "o", name: "o", color: "#000" });
  const newer = newRun({ id: "n", name: "n", color: "#000" });
  applyEvents(older, [START]);
  applyEvents(newer, [START]);
  assert.equal(watchedRun([older, newer, sine]), newer);
  newer.visible = false;
  assert.equal(watchedRun([older, newer, sine]), older);
  assert.equal(watchedRun([sine]), null);
});
