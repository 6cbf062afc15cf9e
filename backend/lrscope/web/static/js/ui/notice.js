// The dismissable notice under the top bar (a link that could not be opened, a failure).

/** Show `text` in the notice, or hide it for "". */
export function showNotice(text) {
  document.getElementById("notice-text").textContent = text;
  document.getElementById("notice").hidden = !text;
}
