// The state a page opens with: the one a link describes, or the default view (with the
// reason the link was not used). Pure: the caller passes the browser's language.

import { defaultRunSpec } from "./catalog.js";
import { PALETTE } from "./state.js";
import { decodeHash } from "./url-state.js";

/** {value, notice}: `notice` is an i18n key ("notice.corrupt", ...) or null. */
export function initialState(catalog, hash, browserLanguage = "") {
  const decoded = decodeHash(hash, catalog);
  if (decoded.ok && !decoded.empty) return { value: decoded.value, notice: null };
  // With no link, speak the reader's language if we have it.
  const lang = String(browserLanguage).toLowerCase().startsWith("zh") ? "zh" : "en";
  const value = { curves: [{ name: "StepLR", color: PALETTE[0], spec: defaultRunSpec(catalog) }], selectedIndex: 0, view: { lang } };
  return { value, notice: decoded.ok ? null : `notice.${decoded.reason}` };
}

/** The short link a browser was sent back from because it does not exist (/s/ID answers
 * with /?missing_link=ID), or null; and `search` without it. */
export function missingShortLink(search) {
  const params = new URLSearchParams(search);
  const id = params.get("missing_link");
  params.delete("missing_link");
  const rest = params.toString();
  return { id: id === null ? null : id.slice(0, 64), search: rest ? `?${rest}` : "" };
}
