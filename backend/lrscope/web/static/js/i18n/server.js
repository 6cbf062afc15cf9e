// What the server says, in the page's language. Each 422 item and each warning may carry
// a stable `code` and `params` (strings, numbers already written by the server); the zh
// table words them as `server.<code>`. Without a code, or with one the table lacks, the
// server's English `msg` shows. Messages the page makes itself carry a table `key`.

import { ownText, t } from "./i18n.js";

/** A server message {code, params, msg} in the page's language. */
export function serverText({ code, params, msg } = {}) {
  const own = code ? ownText(`server.${code}`, params ?? {}) : null;
  return own ?? msg ?? "";
}

/** One issue ({loc, msg, code?, params?} or the page's own {key, params}) as text. */
export function issueText(issue) {
  if (issue.key) return t(issue.key, issue.params ?? {});
  return serverText(issue);
}

/**
 * An ApiError (or any Error) as one line of text; a `located` error (the page's own, for
 * fields that do not parse) names each field.
 */
export function errorText(error) {
  const issues = Array.isArray(error?.issues) ? error.issues : [];
  if (!issues.length) return String(error?.message ?? error ?? "");
  const where = (issue) => (error.located && issue.loc?.length ? `${issue.loc.join(".")}: ` : "");
  return issues.map((issue) => where(issue) + issueText(issue)).join("; ");
}

/** A /api/schedule answer's warnings, worded; `warning_details` pairs with `warnings`. */
export function warningTexts(result) {
  const details = Array.isArray(result.warning_details) ? result.warning_details : [];
  return (result.warnings ?? []).map((msg, i) => serverText({ ...details[i], msg }));
}
