// Keeps the URL hash equal to the state (debounced), opens links pasted into the same tab
// or reached with Back/Forward, and gives the link (ui/share-dialog.js shares it). A step worth going back to (a preset,
// a new or removed curve, another scheduler type) adds a history entry; value edits update
// the current one, so Back undoes steps, not keystrokes.

import { encodeState } from "../core/url-state.js";

const WRITE_DELAY_MS = 80;

export function createShareLink({ getState, onExternalHash }) {
  let timer = null;
  let step = false;
  let pending = null; // the hash of the state at the last change, while unwritten
  let written = location.hash.replace(/^#/, "");

  function write(hash, push) {
    clearTimeout(timer);
    timer = null;
    step = false;
    pending = null;
    delete document.documentElement.dataset.linkPending;
    if (hash === written) return;
    written = hash;
    if (push) history.pushState(null, "", `#${hash}`);
    else history.replaceState(history.state, "", `#${hash}`);
  }

  const writeNow = () => write(encodeState(getState()), step);

  window.addEventListener("hashchange", () => {
    const hash = location.hash.replace(/^#/, "");
    if (hash === written) return;
    written = hash;
    onExternalHash(location.hash);
  });

  return {
    /** Note that the state changed; the hash follows shortly (in a new entry for a step). */
    changed({ isStep = false } = {}) {
      // A step while another is still unwritten: that one gets its entry first, with the
      // state it left (edits since included), so two quick steps stay two Back steps.
      if (isStep && step && pending !== null) write(pending, true);
      pending = encodeState(getState());
      step = step || isStep;
      clearTimeout(timer);
      document.documentElement.dataset.linkPending = "true"; // tests wait for it to go
      timer = setTimeout(writeNow, WRITE_DELAY_MS);
    },
    /** Write the hash now and return the full link. */
    flush() {
      writeNow();
      return location.href;
    },
  };
}
