// "Saved runs": the server's recent runs (GET /api/jobs), listed each time the section is
// opened, any of which can be added to the loss chart.

import { h } from "../ui/dom.js";
import { listJobs } from "../net/train-api.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";

/** "Saved runs": the server's recent runs, listed when opened, each addable to the chart. */
export function savedRuns(onAdd) {
  const select = h("select", { id: "train-saved-select" });
  const add = h("button", { type: "button", class: "btn btn-small", dataset: { i18n: "train.savedAdd" } }, t("train.savedAdd"));
  const note = h("p", { class: "field-hint", role: "status" });
  const element = h("details", { class: "train-saved" },
    h("summary", { dataset: { i18n: "train.saved" } }, t("train.saved")),
    h("div", { class: "train-saved-row" },
      h("label", { for: "train-saved-select", class: "visually-hidden", dataset: { i18n: "train.savedPick" } }, t("train.savedPick")),
      select, add),
    note);
  element.addEventListener("toggle", async () => {
    if (!element.open) return;
    try {
      const { runs } = await listJobs();
      select.replaceChildren(...runs.map((run) => h("option", { value: run.id },
        `${new Date(run.created * 1000).toLocaleString()} · ${run.kind === "lr_range_test" ? t("range.title") : run.scheduler} · ${run.task} · ${run.status}`)));
      note.textContent = runs.length ? "" : t("train.savedNone");
      add.disabled = runs.length === 0;
    } catch (error) {
      note.textContent = t("train.savedFailed", { message: errorText(error) });
    }
  });
  add.addEventListener("click", () => {
    if (select.value) onAdd(select.value);
  });
  return { element };
}
