// "Saved runs": the runs this browser started (GET /api/jobs?mine=true), or everyone's with
// "Everyone's runs", listed each time the section is opened, each with a check box; the
// ticked ones are added to the loss chart together, to be compared with this session's
// runs. A teacher given the server's admin token enters it here (kept for this tab, sent as
// X-Lrscope-Admin): the list then says who started each run, and any queued or running run
// can be stopped (a browser may stop its own).

import { h, uniqueId } from "../ui/dom.js";
import { cancelJob, listJobs } from "../net/train-api.js";
import { setAdminToken } from "../net/admin-token.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";

const ACTIVE = new Set(["queued", "running"]);

function adminRow(onChange) {
  const input = h("input", { type: "password", id: "train-admin-token", autocomplete: "off", spellcheck: "false" });
  const use = h("button", { type: "button", class: "btn btn-small", dataset: { i18n: "train.adminUse" } }, t("train.adminUse"));
  const forget = h("button", { type: "button", class: "btn btn-small", dataset: { i18n: "train.adminForget" } }, t("train.adminForget"));
  use.addEventListener("click", () => {
    setAdminToken(input.value.trim());
    input.value = "";
    onChange();
  });
  forget.addEventListener("click", () => {
    setAdminToken("");
    onChange();
  });
  return h("div", { class: "train-saved-row train-admin-row" },
    h("label", { for: "train-admin-token", dataset: { i18n: "train.admin" } }, t("train.admin")), input, use, forget);
}

/** Whose a listed run is, as shown beside it: "yours" among everyone's, the owner tag for an admin. */
function whose(run, everyone) {
  const tags = [];
  if (everyone && run.mine) tags.push(t("train.mine"));
  if (run.owner) tags.push(t("train.savedOwner", { owner: run.owner }));
  return tags.map((tag) => ` · ${tag}`).join("");
}

/** One listed run: its check box, name and details, and Stop when the caller may stop it. */
function savedItem(run, { isAdmin, everyone, onChart, nameOf, onTick, onStop }) {
  const id = uniqueId("saved");
  const box = h("input", { type: "checkbox", id, value: run.id, checked: onChart.has(run.id), disabled: onChart.has(run.id) });
  box.addEventListener("change", onTick);
  const when = new Date(run.created * 1000).toLocaleString();
  const meta = ` · ${when} · ${t(`train.status.${run.status}`)}${whose(run, everyone)}`;
  const stop = ACTIVE.has(run.status) && (run.mine || isAdmin)
    ? h("button", { type: "button", class: "btn btn-small train-saved-stop", dataset: { i18n: "train.savedStop" } }, t("train.savedStop"))
    : null;
  stop?.addEventListener("click", () => onStop(run.id));
  return h("li", { class: "train-saved-item", dataset: { runId: run.id, created: String(run.created) } },
    box, h("label", { for: id }, h("strong", {}, nameOf(run)), h("span", { class: "train-saved-meta" }, meta)), stop);
}

/**
 * "Saved runs". `onAdd(ids)` adds the ticked runs; `nameOf(listed)` names a listed run as
 * the chart would; `shown()` is the set of run ids already on the chart (ticked, fixed).
 */
export function savedRuns(onAdd, { nameOf = (run) => run.scheduler, shown = () => new Set() } = {}) {
  const list = h("ul", { class: "train-saved-list", "aria-labelledby": "train-saved-title" });
  const add = h("button", { type: "button", class: "btn btn-small train-saved-add", dataset: { i18n: "train.savedAddSelected" } }, t("train.savedAddSelected"));
  const everyone = h("input", { type: "checkbox", id: "train-saved-all" });
  const note = h("p", { class: "field-hint", role: "status" });
  const admin = h("p", { class: "field-hint train-admin-on", hidden: true, dataset: { i18n: "train.adminOn" } }, t("train.adminOn"));
  const boxes = () => [...list.querySelectorAll("input[type=checkbox]")];
  const refreshButton = () => {
    add.disabled = !boxes().some((box) => box.checked && !box.disabled);
  };

  const refresh = async () => {
    let isAdmin = false;
    try {
      const answer = await listJobs({ mine: !everyone.checked });
      isAdmin = answer.admin === true;
      const ctx = { isAdmin, everyone: everyone.checked, onChart: shown(), nameOf, onTick: refreshButton, onStop: stopRun };
      list.replaceChildren(...answer.runs.map((run) => savedItem(run, ctx)));
      note.textContent = answer.runs.length ? "" : t("train.savedNone");
    } catch (error) {
      if (error.issues?.some((i) => i.code === "admin_token_invalid")) setAdminToken("");
      list.replaceChildren();
      note.textContent = t("train.savedFailed", { message: errorText(error) });
    }
    admin.hidden = !isAdmin;
    refreshButton();
  };

  async function stopRun(id) {
    try {
      await cancelJob(id);
      await refresh();
      note.textContent = t("train.savedStopped", { id });
    } catch (error) {
      note.textContent = errorText(error);
    }
  }

  const element = h("details", { class: "train-saved" },
    h("summary", { id: "train-saved-title", dataset: { i18n: "train.saved" } }, t("train.saved")),
    h("p", { class: "field-hint", dataset: { i18n: "train.savedHint" } }, t("train.savedHint")),
    h("div", { class: "field field-boolean" }, everyone,
      h("label", { for: "train-saved-all", dataset: { i18n: "train.savedAll" } }, t("train.savedAll"))),
    list,
    h("div", { class: "train-saved-row" }, add),
    adminRow(refresh), admin, note);
  element.addEventListener("toggle", () => {
    if (element.open) refresh();
  });
  everyone.addEventListener("change", refresh);
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
