// One labelled form control per catalog parameter, chosen by the parameter's type.
// Controls parse what is typed; text that does not parse is flagged inline and never
// sent. A type this file does not know (a future torch) gets a JSON text box.

import { h, uniqueId } from "../ui/dom.js";
import { formatNumber, formatValue } from "../i18n/format.js";
import { ownText, t } from "../i18n/i18n.js";

/**
 * Build the field for `param` showing `value` (undefined = not set: show the default).
 * `onChange(value)` receives the parsed value; `undefined` means "unset, use the default".
 * `renderChildren(field)` builds the nested-scheduler list for type "schedulers".
 * `owner` ({kind: "scheduler" | "optimizer", name}) finds the parameter's doc in the
 * language tables; without one (or in English) the catalog's description shows.
 */
export function paramField({ param, value, path, groupCount, onChange, renderChildren, owner = null }) {
  const id = uniqueId("f");
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const field = h("div", { class: `field field-${param.type}`, dataset: { path: path.join(".") } });
  const label = h("label", { for: id, class: "field-label" }, h("code", {}, param.name));
  if (param.required) label.append(h("span", { class: "badge" }, t("field.required")));
  const hint = h("p", { class: "field-hint", id: hintId }, hintText(param, owner));
  const error = h("p", { class: "field-error", id: errorId, role: "alert", hidden: true });
  const ctx = { id, describedBy: `${hintId} ${errorId}`, field, error, onChange, groupCount };

  let control;
  if (param.type === "schedulers") {
    field.append(h("span", { class: "field-label", id }, h("code", {}, param.name)), error, hint);
    field.append(renderChildren(field));
    return field;
  }
  if (param.type === "boolean") control = booleanControl(param, value, ctx);
  else if (param.type === "enum") control = enumControl(param, value, ctx);
  else if (param.per_group && (param.type === "number" || param.type === "expression")) {
    control = perGroupControl(param, value, ctx);
  } else if (param.type === "number_pair") control = pairControl(param, value, ctx);
  else control = textControl(param, value, ctx, parserFor(param));
  field.append(label, control, error, hint);
  return field;
}

/** The hint under a field: what to type, its doc, its default. */
export function hintText(param, owner = null) {
  const parts = [];
  const description = (owner && ownDoc(owner, param.name)) ?? param.description;
  // What to type comes first: the docstring after it may be clamped.
  if (param.type === "expression" && param.variable) {
    parts.push(t("field.expression", { variable: param.variable }));
  }
  if (description) parts.push(description);
  const docMentionsDefault = /default|默认|留空/i.test(description ?? "");
  if (param.default !== null && param.default !== undefined && !docMentionsDefault) {
    parts.push(t("field.defaultIs", { value: formatValue(param.default) }));
  } else if (param.nullable && !docMentionsDefault) {
    parts.push(t("field.nullHint"));
  }
  return parts.join(" · ");
}

/** The parameter's doc in the page's language, when the tables have one. */
export function ownDoc(owner, name) {
  return ownText(`param.${owner.name}.${name}`) ?? (owner.kind === "optimizer" ? ownText(`param.optimizer.${name}`) : null);
}

function shown(param, value) {
  return value === undefined ? param.default : value;
}

/**
 * Show or clear the error of what the user typed in a field, and tell the page: a field
 * whose text does not parse holds the curve back (see main.js), so the chart and the
 * banner never show a value the field no longer shows.
 */
export function reportInput(field, message) {
  setFieldError(field, message);
  field.dispatchEvent(new CustomEvent("lrscope:input", { bubbles: true, detail: { path: field.dataset.path, message: message || "" } }));
}

/** Show or clear a field's inline error. */
export function setFieldError(field, message) {
  const error = field.querySelector(":scope > .field-error");
  if (!error) return;
  error.textContent = message || "";
  error.hidden = !message;
  field.classList.toggle("has-error", Boolean(message));
  for (const input of field.querySelectorAll(":scope > input, :scope > select, :scope > textarea, :scope > .inputs input")) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

// ---- parsers: text -> {value} | {error} ------------------------------------------------

function parseNumberText(text, integer) {
  const trimmed = text.trim();
  const number = Number(trimmed);
  if (trimmed === "" || Number.isNaN(number)) return { error: t("error.notNumber") };
  if (!Number.isFinite(number)) return { error: t("error.tooLarge") };
  if (integer && !Number.isInteger(number)) return { error: t("error.notInteger") };
  return { value: number };
}

function listParser(integer) {
  return (text) => {
    const items = text.split(/[\s,;]+/).filter(Boolean);
    const values = [];
    for (const item of items) {
      const parsed = parseNumberText(item, integer);
      if (parsed.error) return { error: `${item}: ${parsed.error}` };
      values.push(parsed.value);
    }
    return { value: values };
  };
}

/**
 * The catalog's bounds, checked here as the server checks them (same words), so a value
 * out of range holds its curve back at once instead of costing a request and a 422.
 */
export function boundsError(param, v) {
  if (param.minimum != null && v < param.minimum) return t("error.atLeast", { bound: formatNumber(param.minimum), got: formatNumber(v) });
  if (param.exclusive_minimum != null && v <= param.exclusive_minimum) return t("error.greaterThan", { bound: formatNumber(param.exclusive_minimum), got: formatNumber(v) });
  if (param.maximum != null && v > param.maximum) return t("error.atMost", { bound: formatNumber(param.maximum), got: formatNumber(v) });
  if (param.exclusive_maximum != null && v >= param.exclusive_maximum) return t("error.lessThan", { bound: formatNumber(param.exclusive_maximum), got: formatNumber(v) });
  return null;
}

function bounded(parse, param) {
  return (text) => {
    const parsed = parse(text);
    if (parsed.error) return parsed;
    for (const v of Array.isArray(parsed.value) ? parsed.value : [parsed.value]) {
      const error = typeof v === "number" ? boundsError(param, v) : null;
      if (error) return { error };
    }
    return parsed;
  };
}

function parserFor(param) {
  switch (param.type) {
    case "number":
      return bounded((text) => parseNumberText(text, false), param);
    case "integer":
      return bounded((text) => parseNumberText(text, true), param);
    case "integer_list":
      return bounded(listParser(true), param);
    case "number_list":
      return bounded(listParser(false), param);
    case "string":
    case "expression":
      return (text) => ({ value: text });
    default:
      return (text) => {
        try {
          return { value: JSON.parse(text) };
        } catch {
          return { error: t("error.notJson") };
        }
      };
  }
}

function displayText(param, value) {
  const v = shown(param, value);
  if (v === null || v === undefined) return "";
  if (["number", "integer", "integer_list", "number_list", "string", "expression"].includes(param.type)) {
    return formatValue(v);
  }
  return JSON.stringify(v);
}

// ---- controls ----------------------------------------------------------------------------

function textControl(param, value, ctx, parse) {
  const numeric = param.type === "number" || param.type === "integer";
  const input = h("input", {
    id: ctx.id,
    type: "text",
    class: param.type === "expression" ? "input-code" : null,
    inputmode: numeric ? (param.type === "integer" ? "numeric" : "decimal") : null,
    spellcheck: "false",
    autocomplete: "off",
    placeholder: param.nullable && param.default === null ? t("field.auto") : null,
    "aria-describedby": ctx.describedBy,
    value: displayText(param, value),
  });
  if (numeric) enableArrowNudge(input, param.type === "integer");
  input.addEventListener("input", () => {
    const text = input.value;
    if (text.trim() === "") {
      if (param.required && param.default === null && !param.nullable) {
        reportInput(ctx.field, t("error.required"));
        return;
      }
      reportInput(ctx.field, "");
      ctx.onChange(undefined);
      return;
    }
    const parsed = parse(text);
    if (parsed.error) {
      reportInput(ctx.field, parsed.error);
      return;
    }
    reportInput(ctx.field, "");
    ctx.onChange(parsed.value);
  });
  return input;
}

/**
 * ArrowUp/ArrowDown change a number by one unit of its second significant digit
 * (0.1 -> 0.11, 30 -> 31; integers by 1, Shift x10), so a curve can be swept from the keyboard.
 */
function enableArrowNudge(input, integer) {
  input.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    const current = Number(input.value.trim());
    if (input.value.trim() === "" || !Number.isFinite(current)) return;
    event.preventDefault();
    const sign = event.key === "ArrowUp" ? 1 : -1;
    let step = integer ? 1 : current === 0 ? 0.01 : 10 ** (Math.floor(Math.log10(Math.abs(current))) - 1);
    if (event.shiftKey) step *= 10;
    const next = Number((current + sign * step).toPrecision(12));
    input.value = formatNumber(next);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

function booleanControl(param, value, ctx) {
  const current = shown(param, value);
  if (param.nullable) {
    const select = h(
      "select",
      { id: ctx.id, "aria-describedby": ctx.describedBy },
      h("option", { value: "" }, t("field.auto")),
      h("option", { value: "true" }, "True"),
      h("option", { value: "false" }, "False"),
    );
    select.value = current === true ? "true" : current === false ? "false" : "";
    select.addEventListener("change", () => {
      ctx.onChange(select.value === "" ? undefined : select.value === "true");
    });
    return select;
  }
  const box = h("input", {
    id: ctx.id,
    type: "checkbox",
    checked: Boolean(current),
    "aria-describedby": ctx.describedBy,
  });
  box.addEventListener("change", () => ctx.onChange(box.checked));
  return box;
}

function enumControl(param, value, ctx) {
  const current = shown(param, value);
  const select = h(
    "select",
    { id: ctx.id, "aria-describedby": ctx.describedBy },
    param.nullable ? h("option", { value: "" }, t("field.auto")) : null,
    (param.enum ?? []).map((choice) => h("option", { value: String(choice) }, String(choice))),
  );
  select.value = current === null || current === undefined ? "" : String(current);
  select.addEventListener("change", () => {
    const choice = (param.enum ?? []).find((c) => String(c) === select.value);
    ctx.onChange(select.value === "" ? undefined : choice);
  });
  return select;
}

function pairControl(param, value, ctx) {
  const current = shown(param, value);
  const pair = Array.isArray(current) ? current : [null, null];
  const inputs = pair.slice(0, 2).map((v, i) =>
    h("input", {
      id: i === 0 ? ctx.id : `${ctx.id}-${i}`,
      type: "text",
      inputmode: "decimal",
      autocomplete: "off",
      "aria-label": `${param.name}[${i}]`,
      "aria-describedby": ctx.describedBy,
      value: formatValue(v),
    }),
  );
  const parse = bounded((text) => parseNumberText(text, false), param);
  const onInput = () => {
    const parsed = inputs.map((input) => parse(input.value));
    const bad = parsed.find((p) => p.error);
    if (bad) {
      reportInput(ctx.field, bad.error);
      return;
    }
    reportInput(ctx.field, "");
    ctx.onChange(parsed.map((p) => p.value));
  };
  for (const input of inputs) input.addEventListener("input", onInput);
  return h("div", { class: "inputs inputs-pair" }, inputs);
}

/** A number or expression that may be one value for all groups or one per group. */
function perGroupControl(param, value, ctx) {
  const current = shown(param, value);
  const isList = Array.isArray(current);
  const wrap = h("div", { class: "per-group" });
  const groups = Math.max(1, ctx.groupCount);
  const parse = parserFor({ ...param, per_group: false });
  const toggleId = `${ctx.id}-pg`;
  const toggle = h("input", { id: toggleId, type: "checkbox", checked: isList });
  const toggleRow = h("label", { for: toggleId, class: "inline-check" }, toggle, t("field.perGroup"));
  const inputsBox = h("div", { class: "inputs" });

  const build = (listMode) => {
    const base = isList ? current : Array(groups).fill(current);
    const values = listMode ? Array.from({ length: groups }, (_, i) => base[i] ?? base[0]) : [isList ? current[0] : current];
    const inputs = values.map((v, i) =>
      h("input", {
        id: i === 0 ? ctx.id : `${ctx.id}-${i}`,
        type: "text",
        class: param.type === "expression" ? "input-code" : null,
        inputmode: param.type === "number" ? "decimal" : null,
        spellcheck: "false",
        autocomplete: "off",
        "aria-label": listMode ? `${param.name} · ${t("field.group")} ${i}` : null,
        "aria-describedby": ctx.describedBy,
        value: formatValue(v),
      }),
    );
    const emit = () => {
      if (!listMode && !param.required && inputs[0].value.trim() === "") {
        reportInput(ctx.field, "");
        ctx.onChange(undefined); // unset: the default applies
        return;
      }
      const parsed = inputs.map((input) => (input.value.trim() === "" ? { error: t("error.required") } : parse(input.value)));
      const bad = parsed.find((p) => p.error);
      if (bad) {
        reportInput(ctx.field, bad.error);
        return;
      }
      reportInput(ctx.field, "");
      const list = parsed.map((p) => p.value);
      ctx.onChange(listMode ? list : list[0]);
    };
    for (const input of inputs) input.addEventListener("input", emit);
    inputsBox.replaceChildren(...inputs);
    return emit;
  };
  build(isList);
  toggle.addEventListener("change", () => build(toggle.checked)());
  wrap.append(inputsBox);
  if (groups > 1 || isList) wrap.append(toggleRow);
  return wrap;
}
