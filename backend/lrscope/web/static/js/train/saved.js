// "Saved runs": the server's recent runs (GET /api/jobs), listed each time the section is
// opened, each with a check box; the ticked ones are added to the loss chart together, to
// be compared with this session's runs.

import { h, uniqueId } from "../ui/dom.js";
import { listJobs } from "../net/train-api.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";

/**
 * "Saved runs". `onAdd(ids)` adds the ticked runs; `nameOf(listed)` names a listed run as
 * the chart would; `shown()` is the set of run ids already on the chart (ticked, fixed).
 */
export function savedRuns(onAdd, { nameOf = (run) => run.scheduler, shown = () => new Set() } = {}) {
  const list = h("ul", { class: "train-saved-list", "aria-labelledby": "train-saved-title" });
  const add = h("button", { type: "button", class: "btn btn-small train-saved-add", dataset: { i18n: "train.savedAddSelected" } }, t("train.savedAddSelected"));
  const note = h("p", { class: "field-hint", role: "status" });
  const element = h("details", { class: "train-saved" },
    h("summary", { id: "train-saved-title", dataset: { i18n: "train.saved" } }, t("train.saved")),
    h("p", { class: "field-hint", dataset: { i18n: "train.savedHint" } }, t("train.savedHint")),
    list,
    h("div", { class: "train-saved-row" }, add),
    note);
  const boxes = () => [...list.querySelectorAll("input[type=checkbox]")];
  const refreshButton = () => {
    add.disabled = !boxes().some((box) => box.checked && !box.disabled);
  };
  element.addEventListener("toggle", async () => {
    if (!element.open) return;
    try {
      const { runs } = await listJobs();
      const onChart = shown();
      list.replaceChildren(...runs.map((run) => {
        const id = uniqueId("saved");
        const box = h("input", { type: "checkbox", id, value: run.id, checked: onChart.has(run.id), disabled: onChart.has(run.id) });
        box.addEventListener("change", refreshButton);
        const when = new Date(run.created * 1000).toLocaleString();
        return h("li", { class: "train-saved-item", dataset: { runId: run.id, created: String(run.created) } },
          box, h("label", { for: id }, h("strong", {}, nameOf(run)), h("span", { class: "train-saved-meta" }, ` · ${when} · ${t(`train.status.${run.status}`)}`)));
      }));
      note.textContent = runs.length ? "" : t("train.savedNone");
      refreshButton();
    } catch (error) {
      note.textContent = t("train.savedFailed", { message: errorText(error) });
    }
  });
  add.addEventListener("click", () => {
    // Oldest first, as they were run (the list shows the newest first).
    const created = (box) => Number(box.closest("li").dataset.created);
    const picked = boxes().filter((box) => box.checked && !box.disabled).sort((a, b) => created(a) - created(b));
    for (const box of picked) box.disabled = true;
    refreshButton();
    if (picked.length) onAdd(picked.map((box) => box.value));
  });
  return { element };
}
