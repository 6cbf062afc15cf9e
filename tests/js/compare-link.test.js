// The comparison's link (train/address.js): the runs with their names, which are hidden,
// and the chart's smoothing, log x and log y, each left out at its default; old links
// (only `run=`) open with the defaults.
import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_WEIGHT } from "../../backend/lrscope/web/static/js/core/smoothing.js";
import { chartViewInLink, runsInLink, searchFor } from "../../backend/lrscope/web/static/js/train/address.js";

const RUNS = [
  { id: "a1", name: "StepLR · lr 0.1 · over-fitting", visible: true, color: "#1F77B4" },
  { id: "b2", name: "StepLR · lr 0.1 · over-fitting · dropout 0.5", visible: false, color: "#d62728" },
];
const DEFAULT_VIEW = { smoothing: DEFAULT_WEIGHT, xlog: false, y: "linear" };

test("a comparison round-trips: runs, names, hidden runs and chart options", () => {
  const search = searchFor(RUNS, { smoothing: 0.85, xlog: true, y: "log" }, "?lang=zh");
  assert.match(search, /^\?lang=zh&run=a1:/);
  assert.deepEqual(runsInLink(search), [
    { id: "a1", name: RUNS[0].name },
    { id: "b2", name: RUNS[1].name },
  ]);
  const { view, hidden, colors } = chartViewInLink(search);
  assert.deepEqual(view, { smoothing: 0.85, xlog: true, y: "log" });
  assert.deepEqual([...hidden], ["b2"]);
  assert.deepEqual(colors, ["#1f77b4", "#d62728"]);
});

test("defaults are left out, so an unchanged chart keeps the old link's shape", () => {
  const shown = RUNS.map((run) => ({ ...run, visible: true }));
  const search = searchFor(shown, DEFAULT_VIEW, "");
  assert.equal(search, `?run=${shown.map((r) => `${r.id}:${encodeURIComponent(r.name)}`).join(",")}&color=1F77B4,d62728`);
  assert.equal(searchFor([], { smoothing: 0.9, xlog: true, y: "log" }, "?run=a1&xlog=1&x=2"), "?x=2");
});

test("an old link or a bad value gives the defaults; bad run ids are dropped from the hidden set", () => {
  assert.deepEqual(chartViewInLink("?run=a1:one"), { view: DEFAULT_VIEW, hidden: new Set(), colors: [null] });
  const odd = chartViewInLink("?run=a1,b2&smooth=7&xlog=yes&ylog=0&hide=a1,<x>&color=red,00ff00");
  assert.deepEqual(odd.view, DEFAULT_VIEW);
  assert.deepEqual([...odd.hidden], ["a1"]);
  assert.deepEqual(odd.colors, [null, "#00ff00"]);
});
