// The PyTorch code of the selected curve (POST /api/code), fetched while the panel is
// open, with a copy button. Answers for an older spec are dropped.

import { generateCode } from "./api.js";
import { copyText } from "./dom.js";
import { t } from "./i18n.js";

// Long enough that a burst of edits asks for code once, after the curves.
const DELAY_MS = 350;

/** Wire the panel; returns {update(runSpec)} to call whenever the selected spec changes. */
export function createCodePanel({ details, output, copyButton, status }) {
  let wantedKey = null;
  let wantedSpec = null;
  let shownKey = null;
  let timer = null;

  async function fetchNow() {
    timer = null;
    const key = wantedKey;
    if (!details.open || key === shownKey || key === null) return;
    status.textContent = t("code.loading");
    try {
      const { code } = await generateCode(wantedSpec);
      if (key !== wantedKey) return;
      output.textContent = code;
      output.classList.remove("is-error");
      status.textContent = "";
    } catch (error) {
      if (key !== wantedKey) return;
      output.classList.add("is-error");
      status.textContent = t("code.error", { message: error.message });
    }
    shownKey = key;
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(fetchNow, DELAY_MS);
  }

  details.addEventListener("toggle", () => {
    if (details.open) fetchNow();
  });
  copyButton.addEventListener("click", async () => {
    const ok = await copyText(output.textContent);
    status.textContent = ok ? t("code.copied") : t("code.copyFailed");
  });

  return {
    update(runSpec) {
      wantedSpec = runSpec;
      wantedKey = JSON.stringify(runSpec);
      if (details.open) later();
    },
  };
}
