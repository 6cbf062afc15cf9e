// "About this scheduler": our explanation of the scheduler being edited, or the
// catalog's summary for a scheduler we have not written about. It sits in the editor,
// right under the scheduler picker, and follows the block that has focus.

import { h, setChildren } from "./dom.js";
import { t, text as maybeText } from "../i18n/i18n.js";

/** Fill the panel (a <details> with #teach-title and #teach-body) for scheduler `name`. */
export function renderTeachPanel(root, { catalog, name }) {
  const entry = catalog.scheduler(name);
  const text = explanationOf(name);
  root.querySelector("#teach-title").textContent = t("teach.title", { name });
  const body = root.querySelector("#teach-body");
  if (!text) {
    setChildren(body, h("p", {}, entry?.summary || t("teach.none")));
    return;
  }
  setChildren(
    body,
    h("p", {}, text.what),
    h("p", {}, h("strong", {}, `${t("teach.when")} `), text.when),
    h("p", { class: "formula" }, h("span", { class: "visually-hidden" }, `${t("teach.formula")}: `), text.formula),
    entry?.step_unit === "step" ? h("p", { class: "field-hint" }, t("teach.perBatch")) : null,
  );
}

/** {what, when, formula} in the page's language, or null when we have not written about it. */
function explanationOf(name) {
  const what = maybeText(`explain.${name}.what`);
  if (what === null) return null;
  return { what, when: maybeText(`explain.${name}.when`) ?? "", formula: maybeText(`explain.${name}.formula`) ?? "" };
}
