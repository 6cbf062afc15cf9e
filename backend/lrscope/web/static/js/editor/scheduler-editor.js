// The scheduler part of the editor: a type picker and one field per catalog parameter,
// with composite schedulers (SequentialLR, ChainedScheduler, and any scheduler whose
// parameter has type "schedulers") edited as a list of nested children.

import { starterScheduler } from "../core/catalog.js";
import { h, icon, uniqueId } from "../ui/dom.js";
import { t } from "../i18n/i18n.js";
import { paramField } from "./param-controls.js";
import { loopEditor } from "./loop-editor.js";

/**
 * Build the block for the scheduler spec at `path`.
 * ctx: {catalog, runSpec, span(), spanWith(path, scheduler), groupCount, change(path, value, structural)}.
 */
export function schedulerBlock(ctx, spec, path, depth, opts = {}) {
  const entry = ctx.catalog.scheduler(spec.type);
  const block = h("div", {
    class: `scheduler-block depth-${depth}`,
    dataset: { path: path.join("."), schedulerType: spec.type },
  });
  const typeId = uniqueId("type");
  const select = typeSelect(ctx, depth, spec.type, typeId, opts);
  select.addEventListener("change", () => {
    ctx.change(path, starterScheduler(ctx.catalog, select.value, ctx.spanWith(path, { type: select.value })), true);
  });
  block.append(
    h("div", { class: "field field-type" },
      h("label", { for: typeId, class: "field-label" }, t(depth === 0 ? "editor.scheduler" : "editor.childType")),
      select,
      h("p", { class: "field-error", role: "alert", hidden: true })),
  );
  if (!entry) {
    block.append(h("p", { class: "field-error" }, t("editor.unknownScheduler", { name: spec.type })));
    return block;
  }
  if (entry.loop) {
    block.append(loopEditor(ctx, spec, path, schedulerBlock));
    return block;
  }
  for (const param of entry.params) {
    const paramPath = [...path, param.name];
    block.append(
      paramField({
        param,
        value: spec[param.name],
        path: paramPath,
        groupCount: ctx.groupCount,
        owner: { kind: "scheduler", name: spec.type },
        onChange: (value) => ctx.change(paramPath, value, false),
        renderChildren: () => childList(ctx, spec, entry, param, paramPath, depth),
      }),
    );
  }
  return block;
}

function typeSelect(ctx, depth, current, id, opts) {
  const maxDepth = ctx.catalog.limits?.max_depth ?? 4;
  const names = ctx.catalog.schedulerNames.filter((name) => {
    const entry = ctx.catalog.scheduler(name);
    if (depth === 0) return true;
    if (entry.loop) return false; // a Loop is only the run's own scheduler
    if (entry.needs_metric) return Boolean(opts.entry); // torch's composites reject ReduceLROnPlateau
    return !entry.composite || depth + 1 < maxDepth;
  });
  if (!names.includes(current)) names.unshift(current);
  const select = h("select", { id }, names.map((name) => h("option", { value: name }, name)));
  select.value = current;
  return select;
}

/** The nested schedulers of a composite, with add/remove/reorder. */
function childList(ctx, spec, entry, param, listPath, depth) {
  const children = Array.isArray(spec[param.name]) ? spec[param.name] : [];
  const parentPath = listPath.slice(0, -1);
  // Composites that switch children at milestones keep one milestone per boundary.
  const hasMilestones = entry.params.some((p) => p.name === "milestones" && p.type === "integer_list");
  const list = h("ol", { class: "children" });

  const commit = (nextChildren, nextMilestones) => {
    let next = { ...spec, [param.name]: nextChildren };
    if (hasMilestones && nextMilestones) next = { ...next, milestones: nextMilestones };
    ctx.change(parentPath, next, true);
  };
  const milestones = Array.isArray(spec.milestones) ? spec.milestones : [];

  children.forEach((child, index) => {
    const childPath = [...listPath, index];
    const title = `${t("editor.child")} ${index + 1}`;
    const tools = h("div", { class: "child-tools", role: "group", "aria-label": title },
      button(icon("up"), t("editor.moveUp", { n: index + 1 }), index === 0, () => {
        const next = [...children];
        [next[index - 1], next[index]] = [next[index], next[index - 1]];
        commit(next);
      }),
      button(icon("down"), t("editor.moveDown", { n: index + 1 }), index === children.length - 1, () => {
        const next = [...children];
        [next[index + 1], next[index]] = [next[index], next[index + 1]];
        commit(next);
      }),
      button(icon("close"), t("editor.removeChild", { n: index + 1 }), children.length <= 1, () => {
        const next = children.filter((_, i) => i !== index);
        const drop = Math.max(0, index - 1);
        commit(next, hasMilestones ? milestones.filter((_, i) => i !== drop) : null);
      }),
    );
    list.append(
      h("li", { class: "child" },
        h("div", { class: "child-head" }, h("span", { class: "child-title" }, title), tools),
        schedulerBlock(ctx, child, childPath, depth + 1)),
    );
  });

  const add = h("button", { type: "button", class: "btn btn-small" }, t("editor.addChild"));
  add.addEventListener("click", () => {
    const next = [...children, starterScheduler(ctx.catalog, "ConstantLR", ctx.span())];
    let nextMilestones = null;
    if (hasMilestones && next.length > 1) {
      const last = milestones.length ? milestones[milestones.length - 1] : 0;
      nextMilestones = [...milestones, last + Math.max(1, Math.round(ctx.span() / 10))];
    }
    commit(next, nextMilestones);
  });
  return h("div", { class: "children-wrap" }, list, add);
}

function button(text, label, disabled, onClick) {
  const el = h("button", { type: "button", class: "btn btn-icon", "aria-label": label, title: label, disabled }, text);
  el.addEventListener("click", onClick);
  return el;
}
