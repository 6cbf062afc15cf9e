// The PyTorch code of the selected curve (POST /api/code), with a copy button and, for a
// curve from an HF preset, a switch to the HF get_scheduler call (?style=hf); or, for any
// curve, an LR range test script with its optimizer (POST /api/range_test_code). The code
// is asked for only while the panel is open and on screen, a little after the last edit,
// so a burst of edits does not make the server write code nobody sees. Answers for an
// older spec are dropped.

import { onRangeTestSettings, rangeTestSettings } from "../core/range-test.js";
import { TRANSIENT, generateCode, rangeTestCode, retryDelay } from "../net/api.js";
import { copyText } from "./dom.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";

const DELAY_MS = 300;

class CodePanel {
  constructor({ details, output, copyButton, status, styles }) {
    Object.assign(this, { details, output, status, styles });
    this.style = "torch"; // or "hf": the transformers get_scheduler call (an HF preset's curve)
    for (const input of styles) {
      input.addEventListener("change", () => {
        if (!input.checked) return;
        this.style = input.value;
        this.update(this.wantedSpec);
        this.fetchNow();
      });
    }
    onRangeTestSettings(() => {
      if (this.style === "lr_finder") this.update(this.wantedSpec);
    });
    this.wantedKey = null;
    this.wantedSpec = null;
    this.shownKey = null;
    this.timer = null;
    this.onScreen = false;
    this.pending = null;
    this.failures = 0;
    this.retry = null;
    new IntersectionObserver((entries) => {
      this.onScreen = entries.some((entry) => entry.isIntersecting);
      if (this.onScreen && details.open) this.fetchNow();
    }).observe(output.parentElement);
    details.addEventListener("toggle", () => {
      if (details.open) this.fetchNow();
    });
    copyButton.addEventListener("click", async () => {
      await this.fetchNow(); // never copy code for an older spec
      const ok = await copyText(output.textContent);
      status.textContent = ok ? t("code.copied") : t("code.copyFailed");
    });
  }

  fetchNow() {
    clearTimeout(this.timer);
    this.timer = null;
    const key = this.wantedKey;
    if (key === null || key === this.shownKey) return Promise.resolve();
    if (this.pending?.key === key && !this.pending.settled) return this.pending.promise;
    this.status.textContent = t("code.loading");
    const promise = this.request().then(
      ({ code }) => this.show(key, code),
      (error) => this.failed(key, error),
    );
    const entry = { key, promise, settled: false };
    promise.then(() => {
      entry.settled = true;
    });
    this.pending = entry;
    return promise;
  }

  /** The code for the wanted spec in the chosen style, from the server. */
  request() {
    if (this.style !== "lr_finder") return generateCode(this.wantedSpec, this.style);
    // The script sweeps one rate for all of your model's parameters: no param groups.
    const optimizer = { ...(this.wantedSpec?.optimizer ?? {}) };
    delete optimizer.param_groups;
    const withOptimizer = optimizer.type ? { optimizer } : {};
    return rangeTestCode({ kind: "lr_range_test", ...withOptimizer, range_test: rangeTestSettings() });
  }

  show(key, code) {
    this.failures = 0;
    if (key !== this.wantedKey) return;
    this.output.textContent = code;
    this.output.classList.remove("is-error");
    this.status.textContent = "";
    this.shownKey = key;
  }

  failed(key, error) {
    if (key !== this.wantedKey) return;
    this.output.classList.add("is-error");
    this.status.textContent = t("code.error", { message: errorText(error) });
    if (TRANSIENT.has(error.status)) {
      // The server is away or busy: ask again (the same backoff as the chart's).
      this.failures += 1;
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.maybeLater(), retryDelay(error, this.failures));
      return;
    }
    this.shownKey = key;
  }

  maybeLater() {
    clearTimeout(this.timer);
    if (this.details.open && this.onScreen && this.wantedKey !== this.shownKey) this.timer = setTimeout(() => this.fetchNow(), DELAY_MS);
  }

  update(runSpec) {
    // The HF call exists only for a curve that came from an HF preset (its `recipe`).
    const hf = Boolean(runSpec?.recipe);
    if (!hf && this.style === "hf") this.style = "torch";
    for (const input of this.styles) {
      if (input.value === "hf") input.disabled = !hf;
      input.checked = input.value === this.style;
    }
    this.wantedSpec = runSpec;
    const finder = this.style === "lr_finder" ? rangeTestSettings() : null;
    this.wantedKey = JSON.stringify([this.style, runSpec, finder]);
    this.maybeLater();
  }
}

/** Wire the panel; returns {update(runSpec)} to call whenever the selected spec changes. */
export function createCodePanel(parts) {
  return new CodePanel(parts);
}
