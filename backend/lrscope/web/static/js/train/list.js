// The list of runs on the loss chart: colour, name, status, progress with time left,
// and Stop / show-hide / copy-link / remove buttons. Rows are built once per run and
// updated in place, so keyboard focus stays put while events stream in.

import { h, icon } from "../ui/dom.js";
import { formatCount } from "../i18n/format.js";
import { t } from "../i18n/i18n.js";
import { serverText } from "../i18n/server.js";
import { taskText } from "./form.js";
import { ACTIVE, progressOf, secondsLeft } from "../core/train-runs.js";

/** Show `runs` in the <ul> `list`; `actions` has stop, toggle, copyLink, remove, retry (by id). */
export function renderRunList(list, runs, actions) {
  const rows = [...list.children];
  const same = rows.length === runs.length && rows.every((row, i) => row.dataset.runId === runs[i].id);
  if (!same) {
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
    const byId = new Map(rows.map((row) => [row.dataset.runId, row]));
    list.replaceChildren(...runs.map((run) => byId.get(run.id) ?? buildRow(run, actions)));
    if (focused) list.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
  }
  for (const [i, row] of [...list.children].entries()) updateRow(row, runs[i]);
}

function tool(role, id, iconName, onClick) {
  const button = h("button", { type: "button", class: `btn btn-icon run-${role}`, dataset: { role, focusKey: `${id}:${role}` } }, icon(iconName));
  button.addEventListener("click", onClick);
  return button;
}

function buildRow(run, actions) {
  const id = run.id;
  const stop = h("button", { type: "button", class: "btn btn-small run-stop", dataset: { role: "stop", focusKey: `${id}:stop` } });
  stop.addEventListener("click", () => actions.stop(id));
  const copy = tool("copy", id, "copy", async () => {
    const ok = await actions.copyLink(id);
    copy.title = t(ok ? "train.copied" : "train.copyFailed");
    copy.classList.add("run-copied");
    setTimeout(() => {
      copy.classList.remove("run-copied");
      copy.title = copy.getAttribute("aria-label");
    }, 2000);
  });
  const retry = h("button", { type: "button", class: "btn btn-small run-retry", dataset: { role: "retry", i18n: "train.retryNow", focusKey: `${id}:retry` } }, t("train.retryNow"));
  retry.addEventListener("click", () => actions.retry(id));
  return h("li", { class: "run-row", dataset: { runId: id } },
    h("span", { class: "run-swatch", "aria-hidden": "true", dataset: { role: "swatch" } }),
    h("div", { class: "run-main" },
      h("div", { class: "run-head" },
        h("strong", { class: "run-name", dataset: { role: "name" } }),
        h("span", { class: "run-status", role: "status", dataset: { role: "status" } })),
      h("div", { class: "run-progress" },
        h("progress", { max: 1, dataset: { role: "progress" } }),
        h("span", { class: "run-progress-text", dataset: { role: "progress-text" } })),
      h("p", { class: "run-detail", dataset: { role: "detail" } }),
      h("p", { class: "run-message", dataset: { role: "message" } }, h("span", { dataset: { role: "message-text" } }), retry)),
    h("div", { class: "run-tools" },
      stop,
      tool("toggle", id, "eye", () => actions.toggle(id)),
      copy,
      tool("remove", id, "close", () => actions.remove(id))));
}

function setLabel(el, text) {
  el.setAttribute("aria-label", text);
  if (!el.classList.contains("run-copied")) el.title = text;
}

/** "12 s" or "3 min 4 s". */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? t("train.seconds", { n: s }) : t("train.minutes", { m: Math.floor(s / 60), s: s % 60 });
}

function connectionText(run) {
  const info = run.connection;
  if (!info || !ACTIVE.has(run.status)) return "";
  if (info.state === "waiting") return t("train.reconnecting", { seconds: Math.max(0, Math.ceil((info.retryAt - Date.now()) / 1000)) });
  if (info.state === "connecting" && run.lastSeq >= 0) return t("train.connecting");
  return "";
}

function messageOf(run) {
  if (run.status === "missing") return t("train.missing", { id: run.id });
  if (run.connection?.state === "refused") return t("train.refused", { reason: run.connection.reason || "" });
  if (run.done?.error) {
    // A newer server words the end with a code; else the table words the reason.
    const { code, reason, params, error } = run.done;
    return serverText({ code: code ?? (reason ? `done.${reason}` : null), params: { ...params, error }, msg: error });
  }
  if (run.status === "interrupted") return t("train.interrupted");
  return connectionText(run);
}

function progressText(run) {
  const parts = [];
  const epochs = run.start?.epochs ?? run.spec?.epochs;
  if (run.status === "queued" && run.position) parts.push(t("train.queuedAt", { position: run.position }));
  if (epochs) parts.push(t("train.epochOf", { epoch: run.epochs.epoch.at(-1) ?? 0, epochs }));
  // No estimate while the stream is down: the run may be stalled, or gone with the server.
  const left = run.connection && run.connection.state !== "open" ? null : secondsLeft(run);
  if (left !== null) parts.push(t("train.eta", { time: formatDuration(left) }));
  const best = run.done?.best_epoch ?? null;
  if (best !== null && run.done?.best_val_loss !== null && run.done?.best_val_loss !== undefined) {
    parts.push(t("train.best", { loss: run.done.best_val_loss.toPrecision(4), epoch: best }));
  }
  return parts.join(" · ");
}

function detailText(run) {
  const start = run.start;
  if (!start) return "";
  const details = t("train.details", {
    task: taskText("taskShort", start.task), samples: start.train_size, width: start.model.width,
    depth: start.model.depth, steps: start.num_steps, batch: start.batch_size,
  });
  return [details, fitText(start.fit)].filter(Boolean).join(" · ");
}

/** What the start event says of the run's length fit (training/length_fit.py). */
function fitText(fit) {
  if (!fit) return "";
  if (fit.to === "schedule") return t("train.fit.detailOwn");
  return t("train.fit.detailRescaled", { from: formatCount(fit.schedule.num_steps), to: formatCount(fit.job.num_steps) });
}

function updateRow(row, run) {
  const part = (role) => row.querySelector(`[data-role="${role}"]`);
  const active = ACTIVE.has(run.status);
  row.dataset.status = run.status;
  row.dataset.lastSeq = String(run.lastSeq);
  row.dataset.received = String(run.received);
  row.classList.toggle("run-hidden", !run.visible);
  part("swatch").style.background = run.color;
  part("name").textContent = run.name;
  part("status").textContent = t(`train.status.${run.status}`);
  const progress = part("progress");
  const p = progressOf(run);
  if (p === null) progress.removeAttribute("value");
  else progress.value = p;
  setLabel(progress, t("train.progress", { name: run.name }));
  part("progress-text").textContent = progressText(run);
  part("detail").textContent = detailText(run);
  const message = messageOf(run);
  part("message-text").textContent = message;
  part("message").hidden = !message;
  part("message").classList.toggle("is-error", Boolean(run.done?.error) || run.status === "missing");
  part("retry").hidden = !(active && run.connection?.state === "waiting");
  const stop = part("stop");
  stop.hidden = !active;
  stop.textContent = t("train.stop");
  stop.setAttribute("aria-label", t("train.stopLabel", { name: run.name }));
  const toggle = part("toggle");
  toggle.replaceChildren(icon(run.visible ? "eye" : "eyeOff"));
  toggle.setAttribute("aria-pressed", run.visible ? "false" : "true");
  setLabel(toggle, t(run.visible ? "train.hide" : "train.show", { name: run.name }));
  setLabel(part("copy"), t("train.copyLink", { name: run.name }));
  setLabel(part("remove"), t("train.remove", { name: run.name }));
}
