// The run form's pure part (train/form.js): a run started from the page is paced live.
import assert from "node:assert/strict";
import { test } from "node:test";

import { LIVE_SECONDS, livePace } from "../../backend/lrscope/web/static/js/train/form.js";

test("the default over-fitting run (100 epochs x 2 batches of the 40 samples) takes about 15 s", () => {
  const pace = livePace({ train_size: 40 }, {}, 100, 32);
  assert.equal(pace, Math.round(200 / LIVE_SECONDS));
  const seconds = 200 / pace;
  assert.ok(seconds >= 10 && seconds <= 20, seconds);
});

test("the batch size of the form counts, and never exceeds the training set", () => {
  assert.equal(livePace({ train_size: 400 }, { batch_size: 8 }, 30, 32), Math.round((30 * 50) / LIVE_SECONDS));
  assert.equal(livePace({ train_size: 40 }, { batch_size: 400 }, 150, 32), Math.round(150 / LIVE_SECONDS));
});

test("a tiny run is paced at one step a second at least; an unknown task is not paced", () => {
  assert.equal(livePace({ train_size: 10 }, {}, 1, 32), 1);
  assert.equal(livePace(undefined, {}, 30, 32), undefined);
});
