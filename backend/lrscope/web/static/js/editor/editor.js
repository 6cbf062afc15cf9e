// The editor for the selected curve: scheduler, metric (when the scheduler needs one),
// run length and optimizer. It is rebuilt only on structural changes (another curve, a
// new type, a child added); value edits go straight to the state and leave focus alone.

import { setIn } from "../core/state.js";
import { groupOverrideParams, intervalChoices, schedulerSpan, treeStepUnit } from "../core/catalog.js";
import { isLoop, loopNeedsMetric } from "../core/loop.js";
import { h, icon, setChildren, uniqueId } from "../ui/dom.js";
import { showIssues } from "./field-errors.js";
import { formatValue } from "../i18n/format.js";
import { ownText, t } from "../i18n/i18n.js";
import { metricSection } from "./metric-editor.js";
import { hintText, paramField } from "./param-controls.js";
import { schedulerBlock } from "./scheduler-editor.js";
import { resumeSection } from "./resume-editor.js";
import { setupSection } from "./setup-editor.js";

const MAIN_OPTIMIZER_PARAMS = ["lr", "momentum", "betas", "weight_decay"];
const NO_SETUP = { resolved: () => null, pitfalls: { shown: () => [], toggle() {} } };

/**
 * Render into `root` the editor for `curve`. `change(path, value, structural)` writes to
 * the state; `serverInterval()` is the interval the server used for this spec, or null
 * while it has not answered. Returns nothing; call again to rebuild.
 */
export function renderEditor(root, { catalog, curve, change, serverInterval = () => null, setup = NO_SETUP }) {
  const focusedPath = document.activeElement?.closest?.("[data-path]")?.dataset.path;
  const focusedId = document.activeElement?.id;
  const spec = curve.spec;
  const groupCount = Math.max(1, spec.optimizer?.param_groups?.length ?? 1);
  // How often the scheduler steps: the server's word once it answered, else the same rule.
  const span = () => schedulerSpan(catalog, spec, serverInterval() ?? undefined);
  const spanWith = (path, scheduler) => schedulerSpan(catalog, setIn(spec, path, scheduler));
  const ctx = { catalog, runSpec: spec, span, spanWith, groupCount, change };
  const entry = catalog.scheduler(spec.scheduler?.type);

  const summary = h("div", { class: "issues", role: "alert", hidden: true });
  setChildren(
    root,
    summary,
    section("editor.schedulerSection", schedulerBlock(ctx, spec.scheduler ?? { type: "StepLR" }, ["scheduler"], 0)),
    entry?.needs_metric || loopNeedsMetric(catalog, spec.scheduler) ? section("editor.metricSection", metricSection(catalog, spec, ctx.span, change)) : null,
    section("editor.runSection", runFields(catalog, spec, change)),
    section("editor.setupSection", setupSection(spec, { change, ...setup })),
    section("editor.resumeSection", resumeSection(catalog, spec, change)),
    section("editor.optimizerSection", optimizerFields(catalog, spec, change)),
  );
  root.issueSummary = summary;
  restoreFocus(root, focusedPath, focusedId);
}

/** Show the server's `setup` answer (or null) in the setup section. */
export function showResolvedSetup(root, answer) {
  root.querySelector(".setup")?.showResolved?.(answer);
}

/** Say in the interval field's hint which interval the server resolved "auto" to. */
export function showResolvedInterval(root, interval) {
  root.querySelector('[data-path="interval"]')?.setUnit?.(interval);
}

/** Show API issues (a list of {loc, msg}) in the rendered editor. */
export function showEditorIssues(root, issues) {
  if (root.issueSummary) showIssues(root, root.issueSummary, issues);
}

function section(titleKey, ...content) {
  const id = uniqueId("sec");
  return h("section", { class: "editor-section", "aria-labelledby": id },
    h("h3", { id }, t(titleKey)), ...content);
}

function restoreFocus(root, path, id) {
  if (!path) return;
  const field = root.querySelector(`[data-path="${CSS.escape(path)}"]`);
  const target = (id && root.querySelector(`#${CSS.escape(id)}`)) || field?.querySelector("input, select, button");
  target?.focus({ preventScroll: true });
}

function runFields(catalog, spec, change) {
  const defaults = catalog.defaults;
  const fromSetup = spec.setup !== undefined && spec.setup !== null;
  const fields = (fromSetup ? [] : [
    { name: "epochs", type: "integer", minimum: 1, default: defaults.epochs, description: t("run.epochs") },
    { name: "steps_per_epoch", type: "integer", minimum: 1, default: defaults.steps_per_epoch, description: t("run.stepsPerEpoch") },
  ]).map((param) => {
    const path = [param.name];
    // The run length changes what starter values make sense, but nothing structural.
    return paramField({ param, value: spec[param.name], path, groupCount: 1, onChange: (v) => change(path, v, false) });
  });
  const interval = (unit) => ({
    name: "interval",
    type: "enum",
    enum: intervalChoices(catalog, spec.scheduler),
    nullable: true,
    default: null,
    description: t("run.interval", { unit: t(`unit.${unit}`) }),
  });
  const field = paramField({ param: interval(treeStepUnit(catalog, spec.scheduler)), value: spec.interval, path: ["interval"], groupCount: 1, onChange: (v) => change(["interval"], v, false) });
  field.setUnit = (unit) => {
    field.querySelector(".field-hint").textContent = hintText(interval(unit));
  };
  // A Loop's entries state their own intervals; the run-level one shows only to be cleared.
  if (!isLoop(spec.scheduler) || spec.interval != null) fields.push(field);
  if (fromSetup) fields.unshift(h("p", { class: "field-hint" }, t("setup.decides")));
  return h("div", { class: "field-grid" }, fields);
}

function optimizerFields(catalog, spec, change) {
  const optimizer = spec.optimizer ?? { ...catalog.defaults.optimizer };
  const entry = catalog.optimizer(optimizer.type);
  const typeId = uniqueId("opt");
  const select = h("select", { id: typeId },
    catalog.optimizerNames.map((name) => h("option", { value: name }, name)));
  select.value = optimizer.type;
  select.addEventListener("change", () => {
    // Keep the learning rate and the param groups; other arguments belong to the old type.
    const next = { type: select.value, lr: optimizer.lr };
    if (optimizer.param_groups) next.param_groups = optimizer.param_groups.map((g) => ("lr" in g ? { lr: g.lr } : {}));
    change(["optimizer"], next, true);
  });
  const summary = ownText(`summary.${optimizer.type}`) ?? entry?.summary;
  const head = h("div", { class: "field field-type", dataset: { path: "optimizer" } },
    h("label", { for: typeId, class: "field-label" }, t("editor.optimizer")),
    select,
    h("p", { class: "field-error", role: "alert", hidden: true }),
    summary ? h("p", { class: "field-hint" }, summary) : null);

  const main = [];
  const more = [];
  for (const param of entry?.params ?? []) {
    const path = ["optimizer", param.name];
    const field = paramField({ param, value: optimizer[param.name], path, groupCount: 1, owner: { kind: "optimizer", name: optimizer.type }, onChange: (v) => change(path, v, false) });
    (MAIN_OPTIMIZER_PARAMS.includes(param.name) || param.required ? main : more).push(field);
  }
  const moreBox = more.length
    ? h("details", { class: "more" }, h("summary", {}, t("editor.moreArgs", { n: more.length })), more)
    : null;
  return h("div", { class: "field-stack" }, head, ...main, moreBox, paramGroups(catalog, optimizer, entry, change));
}

function paramGroups(catalog, optimizer, entry, change) {
  const groups = optimizer.param_groups ?? [];
  const max = catalog.limits?.max_param_groups ?? 16;
  const overrides = groupOverrideParams(entry);
  const wrap = h("div", { class: "param-groups", dataset: { path: "optimizer.param_groups" } },
    h("h4", {}, t("editor.paramGroups")),
    h("p", { class: "field-hint" }, t("editor.paramGroupsHint")),
    h("p", { class: "block-error field-error", role: "alert", hidden: true }));
  const list = h("ol", { class: "groups" });
  groups.forEach((group, index) => {
    const item = h("li", { class: "group", dataset: { path: `optimizer.param_groups.${index}` } });
    const head = h("div", { class: "child-head" }, h("span", { class: "child-title" }, `${t("field.group")} ${index}`));
    const remove = h("button", { type: "button", class: "btn btn-icon", "aria-label": t("editor.removeGroup", { n: index }), title: t("editor.removeGroup", { n: index }) }, icon("close"));
    remove.addEventListener("click", () => {
      const next = groups.filter((_, i) => i !== index);
      const keep = next.length > 1 || (next.length === 1 && Object.keys(next[0]).length > 0);
      change(["optimizer", "param_groups"], keep ? next : undefined, true);
    });
    head.append(remove);
    item.append(head);
    for (const param of overrides) {
      const path = ["optimizer", "param_groups", index, param.name];
      const inherited = optimizer[param.name] ?? param.default;
      item.append(paramField({
        param: { ...param, default: null, nullable: true, required: false, description: t("editor.inherits", { value: formatValue(inherited) }) },
        value: group[param.name],
        path,
        groupCount: 1,
        onChange: (v) => change(path, v, false),
      }));
    }
    list.append(item);
  });
  const add = h("button", { type: "button", class: "btn btn-small", disabled: groups.length >= max }, t("editor.addGroup"));
  add.addEventListener("click", () => {
    const lr = optimizer.lr ?? entry?.params.find((p) => p.name === "lr")?.default ?? 0.1;
    const next = groups.length ? [...groups, { lr: lr / 10 }] : [{}, { lr: lr / 10 }];
    change(["optimizer", "param_groups"], next, true);
  });
  wrap.append(list, add);
  return wrap;
}
