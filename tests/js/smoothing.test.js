// TensorBoard's debiased EMA (core/smoothing.js) against values worked out by hand:
// last = w * last + (1 - w) * v, starting at 0, shown as last / (1 - w^n).
import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_WEIGHT, MAX_WEIGHT, smoothed, weightFrom } from "../../backend/lrscope/web/static/js/core/smoothing.js";

function close(actual, expected) {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, i) => {
    if (expected[i] === null || Number.isNaN(expected[i])) assert.deepEqual(value, expected[i], `point ${i}`);
    else assert.ok(Math.abs(value - expected[i]) < 1e-12, `point ${i}: ${value} != ${expected[i]}`);
  });
}

test("weight 0.5 on 1, 2, 3: 0.5/0.5, 1.25/0.75, 2.125/0.875", () => {
  close(smoothed([1, 2, 3], 0.5), [1, 5 / 3, 17 / 7]);
});

test("weight 0.9 on 10, 0: the first point is itself, the second 0.9/0.19", () => {
  close(smoothed([10, 0], 0.9), [10, 90 / 19]);
});

test("a missing or NaN point passes through and is not counted", () => {
  // 1 -> 1; null stays; 3: last = 0.5 * 0.5 + 0.5 * 3 = 1.75, n = 2, 1.75 / 0.75.
  close(smoothed([1, null, 3], 0.5), [1, null, 7 / 3]);
  // NaN stays; 4 -> 2 / 0.5; 2: last = 0.5 * 2 + 0.5 * 2 = 2, n = 2, 2 / 0.75.
  close(smoothed([NaN, 4, 2], 0.5), [NaN, 4, 8 / 3]);
});

test("weight 0 and a constant series are unchanged; the input is never changed", () => {
  const values = [3, 1, 4, 1, 5];
  assert.deepEqual(smoothed(values, 0), values);
  assert.notEqual(smoothed(values, 0), values);
  smoothed(values, 0.8);
  assert.deepEqual(values, [3, 1, 4, 1, 5]);
  assert.deepEqual(smoothed([0.3, 0.3, 0.3], 0.99), [0.3, 0.3, 0.3]);
});

test("a weight from a link: a number from 0 to the slider's top, else the default", () => {
  assert.equal(weightFrom("0.8"), 0.8);
  assert.equal(weightFrom("0"), 0);
  assert.equal(weightFrom(null), DEFAULT_WEIGHT);
  assert.equal(weightFrom("2"), DEFAULT_WEIGHT);
  assert.equal(weightFrom("-0.1"), DEFAULT_WEIGHT);
  assert.equal(weightFrom("x"), DEFAULT_WEIGHT);
  assert.equal(weightFrom(String(MAX_WEIGHT)), MAX_WEIGHT);
});
