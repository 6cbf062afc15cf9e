// "Saved runs": the runs this browser started (GET /api/jobs?mine=true), or everyone's with
// "Everyone's runs", listed each time the section is opened; any can be added to the loss
// chart. A teacher given the server's admin token enters it here (kept for this tab, sent
// as X-Lrscope-Admin): the list then says who started each run, and any queued or running
// run can be stopped.

import { h } from "../ui/dom.js";
import { cancelJob, listJobs } from "../net/train-api.js";
import { setAdminToken } from "../net/admin-token.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";

const ACTIVE = new Set(["queued", "running"]);

function label(run, everyone) {
  // Whose it is first: a long label is cut off at the select's right edge.
  const whose = [];
  if (everyone && run.mine) whose.push(t("train.mine"));
  if (run.owner) whose.push(t("train.savedOwner", { owner: run.owner }));
  return [...whose, t(`train.status.${run.status}`), run.scheduler, run.task, new Date(run.created * 1000).toLocaleString()].join(" · ");
}

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

/** "Saved runs": this browser's runs (or everyone's), listed when opened, each addable to the chart. */
export function savedRuns(onAdd) {
  const select = h("select", { id: "train-saved-select" });
  const add = h("button", { type: "button", class: "btn btn-small", dataset: { i18n: "train.savedAdd" } }, t("train.savedAdd"));
  const stop = h("button", { type: "button", class: "btn btn-small train-saved-stop", hidden: true, dataset: { i18n: "train.savedStop" } }, t("train.savedStop"));
  const everyone = h("input", { type: "checkbox", id: "train-saved-all" });
  const note = h("p", { class: "field-hint", role: "status" });
  const admin = h("p", { class: "field-hint train-admin-on", hidden: true, dataset: { i18n: "train.adminOn" } }, t("train.adminOn"));
  let runs = [];
  let isAdmin = false;

  const showStop = () => {
    const run = runs.find((r) => r.id === select.value);
    stop.hidden = !(run && ACTIVE.has(run.status) && (run.mine || isAdmin));
  };
  const refresh = async () => {
    try {
      ({ runs, admin: isAdmin } = await listJobs({ mine: !everyone.checked }));
      select.replaceChildren(...runs.map((run) => h("option", { value: run.id }, label(run, everyone.checked))));
      note.textContent = runs.length ? "" : t("train.savedNone");
      add.disabled = runs.length === 0;
    } catch (error) {
      if (error.issues?.some((i) => i.code === "admin_token_invalid")) setAdminToken("");
      runs = [];
      isAdmin = false;
      select.replaceChildren();
      note.textContent = t("train.savedFailed", { message: errorText(error) });
    }
    admin.hidden = !isAdmin;
    showStop();
  };

  const element = h("details", { class: "train-saved" },
    h("summary", { dataset: { i18n: "train.saved" } }, t("train.saved")),
    h("div", { class: "train-saved-row" },
      h("label", { for: "train-saved-select", class: "visually-hidden", dataset: { i18n: "train.savedPick" } }, t("train.savedPick")),
      select, add, stop),
    h("div", { class: "field field-boolean" }, everyone,
      h("label", { for: "train-saved-all", dataset: { i18n: "train.savedAll" } }, t("train.savedAll"))),
    adminRow(refresh), admin, note);
  element.addEventListener("toggle", () => {
    if (element.open) refresh();
  });
  everyone.addEventListener("change", refresh);
  select.addEventListener("change", showStop);
  add.addEventListener("click", () => {
    if (select.value) onAdd(select.value);
  });
  stop.addEventListener("click", async () => {
    const id = select.value;
    try {
      await cancelJob(id);
      await refresh();
      note.textContent = t("train.savedStopped", { id });
    } catch (error) {
      note.textContent = errorText(error);
    }
  });
  return { element };
}
