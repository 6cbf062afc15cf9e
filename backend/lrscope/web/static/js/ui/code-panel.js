// The PyTorch code of the selected curve (POST /api/code), with a copy button. The code
// is asked for only while the panel is open and on screen, a little after the last edit,
// so a burst of edits does not make the server write code nobody sees. Answers for an
// older spec are dropped.

import { TRANSIENT, generateCode, retryDelay } from "../net/api.js";
import { copyText } from "./dom.js";
import { t } from "../i18n/i18n.js";
import { errorText } from "../i18n/server.js";

const DELAY_MS = 300;

/** Wire the panel; returns {update(runSpec)} to call whenever the selected spec changes. */
export function createCodePanel({ details, output, copyButton, status }) {
  let wantedKey = null;
  let wantedSpec = null;
  let shownKey = null;
  let timer = null;
  let onScreen = false;
  let pending = null;
  let failures = 0;
  let retry = null;

  function fetchNow() {
    clearTimeout(timer);
    timer = null;
    const key = wantedKey;
    if (key === null || key === shownKey) return Promise.resolve();
    if (pending?.key === key && !pending.settled) return pending.promise;
    status.textContent = t("code.loading");
    const promise = generateCode(wantedSpec).then(
      ({ code }) => {
        failures = 0;
        if (key !== wantedKey) return;
        output.textContent = code;
        output.classList.remove("is-error");
        status.textContent = "";
        shownKey = key;
      },
      (error) => {
        if (key !== wantedKey) return;
        output.classList.add("is-error");
        status.textContent = t("code.error", { message: errorText(error) });
        if (TRANSIENT.has(error.status)) {
          // The server is away or busy: ask again (the same backoff as the chart's).
          failures += 1;
          clearTimeout(retry);
          retry = setTimeout(() => maybeLater(), retryDelay(error, failures));
          return;
        }
        shownKey = key;
      },
    );
    const entry = { key, promise, settled: false };
    promise.then(() => {
      entry.settled = true;
    });
    pending = entry;
    return promise;
  }

  function maybeLater() {
    clearTimeout(timer);
    if (details.open && onScreen && wantedKey !== shownKey) timer = setTimeout(fetchNow, DELAY_MS);
  }

  new IntersectionObserver((entries) => {
    onScreen = entries.some((entry) => entry.isIntersecting);
    if (onScreen && details.open) fetchNow();
  }).observe(output.parentElement);
  details.addEventListener("toggle", () => {
    if (details.open) fetchNow();
  });
  copyButton.addEventListener("click", async () => {
    await fetchNow(); // never copy code for an older spec
    const ok = await copyText(output.textContent);
    status.textContent = ok ? t("code.copied") : t("code.copyFailed");
  });

  return {
    update(runSpec) {
      wantedSpec = runSpec;
      wantedKey = JSON.stringify(runSpec);
      maybeLater();
    },
  };
}
