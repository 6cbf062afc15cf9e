// The Loop composite's editor: its entries in order (add, remove, move up and down), each
// with its own scheduler editor and the fields that say when the training loop steps it
// (interval, every, begin, end), as the catalog's `loop.entry_params` describe them.

import { starterScheduler } from "../core/catalog.js";
import { loopEntry } from "../core/loop.js";
import { selectedCurve } from "../core/state.js";
import { h, icon } from "../ui/dom.js";
import { t } from "../i18n/i18n.js";
import { paramField } from "./param-controls.js";

const OWNER = { kind: "scheduler", name: "Loop" };

/**
 * The entry list of the Loop `spec` at `path`. `schedulerBlock(ctx, spec, path, depth,
 * opts)` is the scheduler editor each entry's scheduler is edited with.
 */
export function loopEditor(ctx, spec, path, schedulerBlock) {
  const entry = ctx.catalog.scheduler("Loop");
  const entries = Array.isArray(spec.schedulers) ? spec.schedulers : [];
  const listPath = [...path, "schedulers"];
  const commit = (next) => ctx.change(listPath, next, true);
  // Value edits do not rebuild this form, so list edits start from the state's entries.
  const current = () => {
    const now = listPath.reduce((node, key) => node?.[key], selectedCurve()?.spec);
    return Array.isArray(now) ? now : entries;
  };
  const list = h("ol", { class: "children loop-entries", dataset: { path: listPath.join(".") } });
  entries.forEach((item, index) => {
    const itemPath = [...listPath, index];
    const title = t("loop.entry", { n: index + 1 });
    const tools = h("div", { class: "child-tools", role: "group", "aria-label": title },
      button(icon("up"), t("loop.moveUp", { n: index + 1 }), index === 0, () => commit(swap(current(), index, index - 1))),
      button(icon("down"), t("loop.moveDown", { n: index + 1 }), index === entries.length - 1, () => commit(swap(current(), index, index + 1))),
      button(icon("close"), t("loop.remove", { n: index + 1 }), entries.length <= 1, () => commit(current().filter((_, i) => i !== index))),
    );
    const fields = (entry?.entryParams ?? []).map((param) => {
      const fieldPath = [...itemPath, param.name];
      return paramField({
        param,
        value: item?.[param.name],
        path: fieldPath,
        groupCount: 1,
        owner: OWNER,
        onChange: (value) => ctx.change(fieldPath, value, param.name === "interval"),
      });
    });
    const scheduler = item?.scheduler ?? { type: "StepLR" };
    list.append(
      h("li", { class: "child loop-entry", dataset: { path: itemPath.join(".") } },
        h("div", { class: "child-head" }, h("span", { class: "child-title" }, title), tools),
        h("div", { class: "field-grid loop-when" }, fields),
        schedulerBlock(ctx, scheduler, [...itemPath, "scheduler"], 1, { entry: true })),
    );
  });
  const add = h("button", { type: "button", class: "btn btn-small loop-add" }, t("loop.add"));
  add.addEventListener("click", () => {
    commit([...current(), loopEntry(starterScheduler(ctx.catalog, "ConstantLR", ctx.span()))]);
  });
  return h("div", { class: "children-wrap loop" },
    h("p", { class: "field-hint" }, t("loop.hint")), list, add);
}

function swap(items, a, b) {
  const next = [...items];
  [next[a], next[b]] = [next[b], next[a]];
  return next;
}

function button(text, label, disabled, onClick) {
  const el = h("button", { type: "button", class: "btn btn-icon", "aria-label": label, title: label, disabled }, text);
  el.addEventListener("click", onClick);
  return el;
}
