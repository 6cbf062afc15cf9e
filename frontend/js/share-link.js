// Keeps the URL hash equal to the state (debounced, without adding history entries),
// opens links pasted into the same tab, and copies the link.

import { copyText } from "./dom.js";
import { encodeState } from "./url-state.js";

const WRITE_DELAY_MS = 80;

export function createShareLink({ getState, onExternalHash }) {
  let timer = null;
  let written = location.hash.replace(/^#/, "");

  function writeNow() {
    clearTimeout(timer);
    timer = null;
    delete document.documentElement.dataset.linkPending;
    const hash = encodeState(getState());
    if (hash === written) return;
    written = hash;
    history.replaceState(history.state, "", `#${hash}`);
  }

  window.addEventListener("hashchange", () => {
    const hash = location.hash.replace(/^#/, "");
    if (hash === written) return;
    written = hash;
    onExternalHash(location.hash);
  });

  return {
    /** Note that the state changed; the hash follows shortly. */
    changed() {
      clearTimeout(timer);
      document.documentElement.dataset.linkPending = "true"; // tests wait for it to go
      timer = setTimeout(writeNow, WRITE_DELAY_MS);
    },
    /** Write the hash now and return the full link. */
    flush() {
      writeNow();
      return location.href;
    },
    async copy() {
      return copyText(this.flush());
    },
  };
}
