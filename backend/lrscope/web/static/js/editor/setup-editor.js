// The "from my training setup" section: the run length from a dataset, batch size, devices
// and accumulation, counted the way the chosen framework counts (the server does the
// arithmetic; this section shows what it resolved), and the pitfall overlays to toggle.

import { formatValue } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";
import { serverText } from "../i18n/server.js";
import { h, setChildren, uniqueId } from "../ui/dom.js";
import { paramField } from "./param-controls.js";

export const FRAMEWORKS = ["torch", "hf", "lightning"];
export const PITFALLS = ["per_process", "per_micro_batch", "per_epoch_horizon"];
const STARTER = { dataset_size: 50000, batch_size: 32, devices: 1, grad_accum: 1, drop_last: false, framework: "hf" };
const COUNTS = ["micro_batches_per_epoch", "steps_per_epoch", "epochs", "total_steps"];

/** A spec with a setup in place of its epochs and steps per epoch (the setup decides). */
export function withSetup(spec) {
  const next = { ...spec, setup: { ...STARTER, epochs: spec.epochs ?? 3 } };
  delete next.epochs;
  delete next.steps_per_epoch;
  return next;
}

/** A spec without its setup, keeping the run length it resolved to (when known). */
export function withoutSetup(spec, resolved) {
  const next = { ...spec };
  delete next.setup;
  if (resolved) {
    next.epochs = resolved.epochs;
    next.steps_per_epoch = resolved.steps_per_epoch;
  }
  return next;
}

/**
 * The section's content. `change(path, value, structural)` writes the spec; `resolved()`
 * is the server's `setup` answer for this spec or null; `pitfalls` = {shown(), toggle(name, on)}.
 */
export function setupSection(spec, { change, resolved, pitfalls }) {
  const on = spec.setup !== undefined && spec.setup !== null;
  const id = uniqueId("setup");
  const box = h("input", { type: "checkbox", id, "data-role": "setup-toggle" });
  box.checked = on;
  box.addEventListener("change", () => {
    change([], box.checked ? withSetup(spec) : withoutSetup(spec, resolved()), true);
  });
  const head = h("div", { class: "field field-boolean setup-toggle" },
    h("label", { for: id, class: "field-label" }, box, " ", t("setup.use")),
    h("p", { class: "field-hint" }, t("setup.hint")));
  if (!on) return h("div", { class: "field-stack setup" }, head);
  const fields = setupFields(spec.setup, change);
  const counts = h("div", { class: "setup-resolved", "data-role": "setup-resolved", "aria-live": "polite" });
  const overlays = h("fieldset", { class: "setup-pitfalls", "data-role": "setup-pitfalls" });
  const root = h("div", { class: "field-stack setup" }, head, h("div", { class: "field-grid" }, fields), counts, overlays);
  root.showResolved = (answer) => {
    renderCounts(counts, answer);
    renderPitfalls(overlays, answer, pitfalls);
  };
  root.showResolved(resolved());
  return root;
}

function setupFields(setup, change) {
  const integer = (name, minimum, required) => ({ name, type: "integer", minimum, required, default: required ? null : 1, description: t(`setup.${name}`) });
  const params = [
    { name: "framework", type: "enum", enum: FRAMEWORKS, default: "torch", description: t("setup.framework") },
    integer("dataset_size", 1, true),
    integer("batch_size", 1, true),
    integer("devices", 1, false),
    integer("grad_accum", 1, false),
    { name: "drop_last", type: "boolean", default: false, description: t("setup.drop_last") },
  ];
  const fields = params.map((param) => {
    const path = ["setup", param.name];
    return paramField({ param, value: setup[param.name], path, groupCount: 1, onChange: (v) => change(path, v, false) });
  });
  const unit = setup.max_steps !== undefined && setup.max_steps !== null ? "max_steps" : "epochs";
  const length = { name: "length", type: "enum", enum: ["epochs", "max_steps"], default: "epochs", description: t("setup.length") };
  fields.push(paramField({
    param: length,
    value: unit,
    path: ["setup", "length"],
    groupCount: 1,
    onChange: (v) => {
      const next = { ...setup, [v]: setup[unit] ?? 1 };
      delete next[v === "epochs" ? "max_steps" : "epochs"];
      change(["setup"], next, true);
    },
  }));
  const path = ["setup", unit];
  fields.push(paramField({ param: integer(unit, 1, true), value: setup[unit], path, groupCount: 1, onChange: (v) => change(path, v, false) }));
  return fields;
}

function renderCounts(el, answer) {
  if (!answer) {
    setChildren(el, h("p", { class: "field-hint" }, t("setup.waiting")));
    return;
  }
  const rows = COUNTS.map((name) => h("div", { class: "setup-count", dataset: { count: name } },
    h("dt", {}, t(`setup.count.${name}`)),
    h("dd", {}, h("strong", {}, formatValue(answer[name])), " ", h("code", { class: "setup-how" }, answer.how?.[name] ?? ""))));
  const partial = answer.last_epoch_steps < answer.steps_per_epoch
    ? h("p", { class: "field-hint", "data-role": "setup-partial" }, t("setup.partial", { steps: answer.last_epoch_steps, epoch: answer.epochs }))
    : null;
  setChildren(el, h("h4", {}, t("setup.resolved")), h("dl", {}, rows), partial);
}

function renderPitfalls(el, answer, pitfalls) {
  const found = answer?.pitfalls ?? [];
  if (!found.length) {
    setChildren(el, h("legend", {}, t("setup.pitfalls")), h("p", { class: "field-hint" }, t("setup.noPitfalls")));
    return;
  }
  const shown = new Set(pitfalls.shown());
  const items = found.map((p) => {
    const id = uniqueId("pit");
    const box = h("input", { type: "checkbox", id, dataset: { pitfall: p.name }, disabled: !p.groups });
    box.checked = Boolean(p.groups) && shown.has(p.name);
    box.addEventListener("change", () => pitfalls.toggle(p.name, box.checked));
    return h("div", { class: "setup-pitfall" },
      h("label", { for: id }, box, " ", t(`setup.pitfall.${p.name}`, { factor: p.factor })),
      h("p", { class: "field-hint" }, serverText(p.skipped ?? p)));
  });
  setChildren(el, h("legend", {}, t("setup.pitfalls")), ...items);
}
