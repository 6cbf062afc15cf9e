// The "resume from a checkpoint" section: off by default; on, the spec carries
// "resume": {at_step, how} (so share links carry it) and the chart overlays the resumed
// run on the uninterrupted one. Each way of resuming says in one line what it does.

import { RESUME_HOWS, starterResume } from "../core/resume.js";
import { t } from "../i18n/i18n.js";
import { h, uniqueId } from "../ui/dom.js";
import { paramField } from "./param-controls.js";

/** The section's content; `change(path, value, structural)` writes the spec. */
export function resumeSection(catalog, spec, change) {
  const resume = spec.resume ?? null;
  const id = uniqueId("resume");
  const box = h("input", { type: "checkbox", id, "data-role": "resume-toggle" });
  box.checked = resume !== null;
  box.addEventListener("change", () => {
    change(["resume"], box.checked ? starterResume(spec, catalog.defaults ?? {}) : undefined, true);
  });
  const head = h("div", { class: "field field-boolean resume-toggle" },
    h("label", { for: id, class: "field-label" }, box, " ", t("resume.use")),
    h("p", { class: "field-hint" }, t("resume.hint")));
  if (resume === null) return h("div", { class: "field-stack resume" }, head);
  const atStep = paramField({
    param: { name: "at_step", type: "integer", minimum: 0, required: true, default: null, description: t("resume.atStep") },
    value: resume.at_step,
    path: ["resume", "at_step"],
    groupCount: 1,
    onChange: (v) => change(["resume", "at_step"], v, false),
  });
  return h("div", { class: "field-stack resume" }, head, atStep, howChoices(resume.how, change));
}

function howChoices(current, change) {
  const name = uniqueId("how");
  const legendId = uniqueId("howl");
  const items = RESUME_HOWS.map((how) => {
    const id = uniqueId("how");
    const hintId = `${id}-hint`;
    const radio = h("input", { type: "radio", id, name, value: how, "data-how": how, "aria-describedby": hintId });
    radio.checked = how === current;
    radio.addEventListener("change", () => {
      if (radio.checked) change(["resume", "how"], how, true);
    });
    return h("div", { class: "resume-how" },
      h("label", { for: id }, radio, " ", h("code", {}, how)),
      h("p", { class: "field-hint", id: hintId }, t(`resume.how.${how}`)));
  });
  return h("fieldset", { class: "field resume-hows", dataset: { path: "resume.how" }, "aria-labelledby": legendId },
    h("legend", { id: legendId, class: "field-label" }, t("resume.howLabel")),
    ...items,
    h("p", { class: "field-error", role: "alert", hidden: true }));
}
