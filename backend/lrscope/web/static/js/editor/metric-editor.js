// What ReduceLROnPlateau steps on: a seeded synthetic validation-loss curve with a few
// knobs, or values the user pastes (one per scheduler step).

import { h, uniqueId } from "../ui/dom.js";
import { t, text } from "../i18n/i18n.js";
import { paramField, reportInput } from "./param-controls.js";

// The synthetic curve's knobs, their defaults and limits come from the catalog
// (`metric_fields`: "synthetic.<knob>" -> {type, default, minimum?, ...}). An older server
// without them gets the knobs by name, and applies its own defaults to those left empty.
const KNOWN_KNOBS = { seed: "integer", initial: "number", final: "number", decay_steps: "number", noise: "number" };

function syntheticKnobs(catalog) {
  const fromServer = Object.entries(catalog.metricFields)
    .filter(([path]) => path.startsWith("synthetic."))
    .map(([path, info]) => ({ ...info, name: path.slice("synthetic.".length) }));
  if (fromServer.length) return fromServer;
  return Object.entries(KNOWN_KNOBS).map(([name, type]) => ({ name, type, default: null, nullable: true }));
}

/** A loss-like starting list with one value per scheduler step, to edit from. */
function startingValues(span) {
  return Array.from({ length: span }, (_, i) => Number((0.5 + 1.5 * 0.9 ** Math.min(i, 30)).toFixed(3)));
}

/** The metric part of the editor; `span()` is how many times the scheduler steps. */
export function metricSection(catalog, spec, span, change) {
  const metric = spec.metric ?? {};
  const mode = Array.isArray(metric.values) ? "values" : "synthetic";
  const modeId = uniqueId("metric");
  const select = h("select", { id: modeId },
    h("option", { value: "synthetic" }, t("metric.synthetic")),
    h("option", { value: "values" }, t("metric.values")));
  select.value = mode;
  select.addEventListener("change", () => {
    change(["metric"], select.value === "values" ? { values: startingValues(span()) } : undefined, true);
  });
  const head = h("div", { class: "field field-type", dataset: { path: "metric" } },
    h("label", { for: modeId, class: "field-label" }, t("metric.source")),
    select,
    h("p", { class: "field-error", role: "alert", hidden: true }),
    h("p", { class: "field-hint" }, t("metric.hint")));
  return h("div", { class: "field-stack" }, head, mode === "values" ? valuesField(metric, change) : syntheticFields(catalog, metric, change));
}

function syntheticFields(catalog, metric, change) {
  const synthetic = metric.synthetic ?? {};
  return h("div", { class: "field-grid" }, syntheticKnobs(catalog).map((knob) => {
    const path = ["metric", "synthetic", knob.name];
    return paramField({
      param: { ...knob, description: text(`metric.${knob.name}`) ?? knob.description ?? null },
      value: synthetic[knob.name],
      path,
      groupCount: 1,
      onChange: (value) => change(path, value, false),
    });
  }));
}

function valuesField(metric, change) {
  const id = uniqueId("values");
  const field = h("div", { class: "field", dataset: { path: "metric.values" } });
  const area = h("textarea", { id, rows: 4, spellcheck: "false", class: "input-code", "aria-describedby": `${id}-hint` });
  area.value = (metric.values ?? []).join(", ");
  area.addEventListener("input", () => {
    const items = area.value.split(/[\s,;]+/).filter(Boolean);
    const values = items.map(Number);
    const bad = items.find((_, i) => !Number.isFinite(values[i]));
    if (bad !== undefined) {
      reportInput(field, `${bad}: ${t("error.notNumber")}`);
      return;
    }
    reportInput(field, "");
    change(["metric"], { values }, false);
  });
  field.append(
    h("label", { for: id, class: "field-label" }, t("metric.valuesLabel")),
    area,
    h("p", { class: "field-error", role: "alert", hidden: true }),
    h("p", { class: "field-hint", id: `${id}-hint` }, t("metric.valuesHint")),
  );
  return field;
}
