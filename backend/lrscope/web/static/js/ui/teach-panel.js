// "About this scheduler": our explanation of the scheduler being edited, or the
// catalog's summary for a scheduler we have not written about. It sits in the editor,
// right under the scheduler picker, and follows the block that has focus.

import { h, setChildren } from "./dom.js";
import { explanationFor } from "../i18n/explanations.js";
import { currentLanguage, t } from "../i18n/i18n.js";

/** Fill the panel (a <details> with #teach-title and #teach-body) for scheduler `name`. */
export function renderTeachPanel(root, { catalog, name }) {
  const entry = catalog.scheduler(name);
  const text = explanationFor(name, currentLanguage());
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
