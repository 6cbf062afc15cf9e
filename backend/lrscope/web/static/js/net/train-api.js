// HTTP calls for training jobs. Failures become an ApiError (the page's one error shape:
// `issues` of {loc, msg}); a 429 also carries `retryAfter`, the seconds the server asks
// us to wait, read from its Retry-After header (see api.js).

import { request as call } from "./api.js";

const jobPath = (id) => `/api/jobs/${encodeURIComponent(id)}`;

/** POST /api/jobs: TrainSpec -> {id, status}. */
export function submitJob(trainSpec) {
  return call("POST", "/api/jobs", trainSpec);
}

/** POST /api/fit: TrainSpec with `fit` -> both ways to train a schedule of another length. */
export function fitJob(trainSpec) {
  return call("POST", "/api/fit", trainSpec);
}

/** GET /api/jobs/{id}: status, spec, start, done, last_seq and the full series. */
export function fetchJob(id) {
  return call("GET", jobPath(id));
}

/** DELETE /api/jobs/{id}: stop a queued or running job. */
export function cancelJob(id) {
  return call("DELETE", jobPath(id));
}

/** GET /api/jobs: recent runs, newest first (`mine`: only this browser's); {runs, admin}. */
export function listJobs({ limit = 30, mine = true } = {}) {
  return call("GET", `/api/jobs?limit=${limit}${mine ? "&mine=true" : ""}`);
}
