// HTTP calls for training jobs. Failures become an ApiError (the page's one error shape:
// `issues` of {loc, msg}); a 429 also carries `retryAfter`, the seconds the server asks
// us to wait, read from its Retry-After header.

import { ApiError } from "./api.js";

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, [{ loc: [], msg: `The server could not be reached (${error.message}).` }]);
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (response.ok) return payload;
  const detail = payload?.detail;
  const issues = Array.isArray(detail)
    ? detail.map((d) => ({ loc: Array.isArray(d?.loc) ? d.loc : [], msg: typeof d?.msg === "string" ? d.msg : JSON.stringify(d) }))
    : [{ loc: [], msg: typeof detail === "string" ? detail : `The server answered ${response.status}.` }];
  const error = new ApiError(response.status, issues);
  const wait = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  error.retryAfter = Number.isFinite(wait) && wait >= 0 ? wait : null;
  throw error;
}

const jobPath = (id) => `/api/jobs/${encodeURIComponent(id)}`;

/** POST /api/jobs: TrainSpec -> {id, status}. */
export function submitJob(trainSpec) {
  return call("POST", "/api/jobs", trainSpec);
}

/** GET /api/jobs/{id}: status, spec, start, done, last_seq and the full series. */
export function fetchJob(id) {
  return call("GET", jobPath(id));
}

/** DELETE /api/jobs/{id}: stop a queued or running job. */
export function cancelJob(id) {
  return call("DELETE", jobPath(id));
}

/** GET /api/jobs: recent runs, newest first. */
export function listJobs(limit = 30) {
  return call("GET", `/api/jobs?limit=${limit}`);
}
