// "About this scheduler": our explanation of the scheduler being edited, or the
// catalog's summary for a scheduler we have not written about.

import { h, setChildren } from "./dom.js";
import { explanationFor } from "./explanations.js";
import { t, currentLanguage } from "./i18n.js";

export function renderTeachPanel(root, { catalog, name }) {
  const entry = catalog.scheduler(name);
  const text = explanationFor(name, currentLanguage());
  const title = h("h2", { id: "teach-title" }, t("teach.title", { name }));
  if (!text) {
    root.replaceChildren(title, h("p", {}, entry?.summary || t("teach.none")));
    return;
  }
  setChildren(
    root,
    title,
    h("p", {}, text.what),
    h("p", {}, h("strong", {}, `${t("teach.when")} `), text.when),
    h("p", { class: "formula" }, h("span", { class: "visually-hidden" }, `${t("teach.formula")}: `), text.formula),
    entry?.step_unit === "step" ? h("p", { class: "field-hint" }, t("teach.perBatch")) : null,
  );
}
