// Thin client for the lrscope HTTP API. Every failure becomes an ApiError whose
// `issues` is a list of {loc, msg, code?, params?} (FastAPI's error shape with the
// server's message codes), so callers can put each message next to the field it names,
// worded in the page's language (i18n/server.js). Failures the page words itself carry
// a table `key` instead of a code.

import { identityHeaders } from "./admin-token.js";

export class ApiError extends Error {
  constructor(status, issues) {
    super(issues.map((i) => i.msg).join("; ") || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.issues = issues;
  }
}

/** Statuses worth asking again for: 0 (the server could not be reached), busy, restarting. */
export const TRANSIENT = new Set([0, 429, 502, 503, 504]);

/** How long to wait before the `failures`-th retry: 1, 2, 4 (at most 5) s, or longer if the server says so. */
export function retryDelay(error, failures) {
  const backoff = Math.min(5000, 1000 * 2 ** (failures - 1));
  return Math.max(backoff, (error.retryAfter ?? 0) * 1000);
}

/** One HTTP call: the JSON answer, or an ApiError (with `retryAfter` from a 429). */
export async function request(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...identityHeaders(), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const msg = `The server could not be reached (${error.message}).`;
    throw new ApiError(0, [{ loc: [], msg, key: "net.unreachable", params: { message: error.message } }]);
  }
  let payload;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (response.ok) return payload;
  const error = new ApiError(response.status, issuesFrom(response.status, payload));
  const wait = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  error.retryAfter = Number.isFinite(wait) && wait >= 0 ? wait : null;
  throw error;
}

function issuesFrom(status, payload) {
  const detail = payload?.detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => ({
      loc: Array.isArray(d?.loc) ? d.loc : [],
      msg: typeof d?.msg === "string" ? d.msg : JSON.stringify(d),
      ...(typeof d?.code === "string" ? { code: d.code, params: isObject(d.params) ? d.params : {} } : {}),
    }));
  }
  if (typeof detail === "string") return [{ loc: [], msg: detail }];
  if (status === 413) return [{ loc: [], msg: "The request is too large for the server.", key: "net.tooLarge" }];
  return [{ loc: [], msg: `The server answered ${status}.`, key: "net.status", params: { status } }];
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function fetchCatalog() {
  return request("GET", "/api/schedulers");
}

/** POST /api/schedule: RunSpec -> {x, epoch, groups, warnings, warning_details, interval, decimated, num_steps}. */
export function evaluateSchedule(runSpec) {
  return request("POST", "/api/schedule", runSpec);
}

/** POST /api/import: {text, values} -> {spec, format, warnings, warning_details}. */
export function importText(text, values) {
  return request("POST", "/api/import", { text, values });
}

/** POST /api/code: RunSpec -> {code}; `style` "hf" writes the HF get_scheduler call. */
export function generateCode(runSpec, style = "torch") {
  return request("POST", style === "hf" ? "/api/code?style=hf" : "/api/code", runSpec);
}

/** POST /api/range_test_code: an LR range test's spec -> {code}, a plain-torch script. */
export function rangeTestCode(body) {
  return request("POST", "/api/range_test_code", body);
}

/** POST /api/hf_recipe: {recipe: HF get_scheduler call, lr} -> {scheduler, recipe, warnings}. */
export function hfRecipe(recipe, lr) {
  return request("POST", "/api/hf_recipe", { recipe, lr });
}

/** POST /api/compare: {spec, log: {text, format}} -> {agree, first_divergence, diagnosis, logged, log_id, ...}. */
export function compareLog(body) {
  return request("POST", "/api/compare", body);
}

/** GET /api/logs/{id}: a stored log's parsed series {log_id, format, lr, loss}. */
export function fetchLog(logId) {
  return request("GET", `/api/logs/${encodeURIComponent(logId)}`);
}
