// A logged run against the selected curve: load a log file (file input or drop), ask the
// server to compare it (POST /api/compare), show the agree/differ badge, the first
// divergence and the diagnosis, and hand the logged points to the chart. The log's id goes
// into the view (so into the share link); a link opens the stored series
// (GET /api/logs/{id}), or says plainly that the server no longer has it.

import { compareLog, fetchLog } from "../net/api.js";
import { t } from "../i18n/i18n.js";
import { errorText, serverText } from "../i18n/server.js";

class LogPanel {
  constructor({ input, drop, badge, details, getSpec, onOverlay, onLogId }) {
    Object.assign(this, { badge, details, getSpec, onOverlay, onLogId });
    this.result = null; // the last comparison, or {logged} from a link
    this.error = null;
    this.loadedId = null;
    input.addEventListener("change", () => {
      if (input.files?.[0]) this.load(input.files[0]);
    });
    drop.addEventListener("dragover", (event) => event.preventDefault());
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      const file = event.dataTransfer?.files?.[0];
      if (file) this.load(file);
    });
  }

  async load(file) {
    this.show({ busy: true });
    try {
      const text = await file.text();
      const result = await compareLog({ spec: this.getSpec(), log: { text, format: "auto" } });
      this.result = result;
      this.error = null;
      this.loadedId = result.log_id;
      this.onLogId(result.log_id);
    } catch (error) {
      this.result = null;
      this.error = error;
    }
    this.show();
  }

  /** The view's log id changed (a link was opened): fetch that log unless it is shown. */
  async follow(logId) {
    if (!logId || logId === this.loadedId) return;
    this.loadedId = logId;
    try {
      const logged = await fetchLog(logId);
      this.result = { logged, fromLink: true };
      this.error = null;
    } catch (error) {
      this.result = null;
      this.error = error;
    }
    this.show();
  }

  show({ busy = false } = {}) {
    const { badge, details } = this;
    badge.className = "log-badge";
    details.replaceChildren();
    if (busy) {
      badge.textContent = t("log.loading");
      return;
    }
    if (this.error) {
      badge.textContent = t("log.failed");
      badge.classList.add("is-differ");
      details.append(line(errorText(this.error)));
    } else if (this.result?.fromLink) {
      badge.textContent = t("log.fromLink", { count: this.result.logged.lr.step.length });
    } else if (this.result) {
      const r = this.result;
      badge.textContent = t(r.agree ? "log.agree" : "log.differ", { matched: r.fit.matched, compared: r.fit.compared });
      badge.classList.add(r.agree ? "is-agree" : "is-differ");
      if (r.first_divergence) details.append(line(t("log.firstDivergence", r.first_divergence)));
      if (r.diagnosis) details.append(line(serverText(r.diagnosis), "log-diagnosis"));
    } else {
      badge.textContent = t("log.none");
    }
    this.onOverlay(this.overlay());
  }

  /** What the chart draws: the logged rate and the first divergence, or null. */
  overlay() {
    if (!this.result) return null;
    const { lr } = this.result.logged;
    return { step: lr.step, value: lr.value, divergence: this.result.first_divergence ?? null };
  }
}

function line(text, cls = "") {
  const p = document.createElement("p");
  p.textContent = text;
  if (cls) p.className = cls;
  return p;
}

/** Wire the panel; returns {follow(logId), show(), overlay()}. */
export function createLogPanel(parts) {
  return new LogPanel(parts);
}
