// The share link's history entries (ui/share-link.js), under node --test with a stand-in
// window: each step (a preset, an added curve) is its own Back step, even when two come
// within the write delay, and value edits fold into the step before them.
import assert from "node:assert/strict";
import { test } from "node:test";

const entries = [];
globalThis.location = { hash: "", href: "" };
globalThis.history = {
  state: null,
  pushState: (_, __, url) => { entries.push(url); globalThis.location.hash = url; },
  replaceState: (_, __, url) => { entries[entries.length - 1] = url; globalThis.location.hash = url; },
};
globalThis.window = { addEventListener: () => {} };
globalThis.document = { documentElement: { dataset: {} } };

const { createShareLink } = await import("../../backend/lrscope/web/static/js/ui/share-link.js");
const { decodeHash } = await import("../../backend/lrscope/web/static/js/core/url-state.js");

const curve = (type, extra = {}) => ({ name: type, color: "#1f77b4", visible: true, spec: { scheduler: { type, ...extra }, epochs: 10 } });
const catalog = { scheduler: () => ({ params: [] }), optimizer: () => ({ params: [] }) };

test("two steps inside the write delay stay two history entries, the edit kept in the first", async () => {
  let state = { curves: [curve("StepLR")], selected: 0, view: { x: "epoch", y: "linear", lang: "en" } };
  entries.push("#start");
  const link = createShareLink({ getState: () => state, onExternalHash: () => {} });
  state = { ...state, curves: [curve("OneCycleLR", { max_lr: 0.1 })] };
  link.changed({ isStep: true }); // a preset
  state = { ...state, curves: [curve("OneCycleLR", { max_lr: 0.5 })] };
  link.changed(); // a value edit
  state = { ...state, curves: [...state.curves, curve("StepLR")] };
  link.changed({ isStep: true }); // an added curve, before the first step was written
  link.flush();
  assert.equal(entries.length, 3);
  const afterPreset = decodeHash(entries[1], catalog).value;
  const afterAdd = decodeHash(entries[2], catalog).value;
  assert.equal(afterPreset.curves.length, 1);
  assert.equal(afterPreset.curves[0].spec.scheduler.max_lr, 0.5);
  assert.equal(afterAdd.curves.length, 2);
});
