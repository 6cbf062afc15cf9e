// Follows one training job over its WebSocket. A dropped connection is retried with
// exponential backoff (and at once when the browser comes back online), asking only for
// the events after the last one received (`?after=<seq>`), so a resumed stream neither
// repeats nor skips an event. The stream ends with the job's `done` event, an unknown job
// (close code 4404) or a refusal (1008); anything else counts as a drop.

import { cancelJob } from "./train-api.js";

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;

class JobStream {
  constructor(id, { after, onEvents, onConnection }) {
    Object.assign(this, { id, last: after, onEvents, onConnection });
    this.socket = null;
    this.timer = null;
    this.attempt = 0;
    this.ended = false;
    this.retryNow = this.retryNow.bind(this);
    window.addEventListener("online", this.retryNow);
    this.connect();
  }

  get lastSeq() {
    return this.last;
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/ws/jobs/${encodeURIComponent(this.id)}?after=${this.last}`;
  }

  finish(info) {
    this.ended = true;
    clearTimeout(this.timer);
    window.removeEventListener("online", this.retryNow);
    this.onConnection(info);
  }

  connect() {
    this.timer = null;
    if (this.ended) return;
    const ws = new WebSocket(this.url());
    this.socket = ws;
    this.onConnection({ state: "connecting" });
    ws.addEventListener("open", () => {
      if (this.socket === ws) this.onConnection({ state: "open" });
    });
    ws.addEventListener("message", (message) => {
      if (this.socket === ws) this.receive(ws, message.data);
    });
    ws.addEventListener("close", (event) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (!this.ended) this.closed(event);
    });
  }

  /** A batch of events: pass on the new ones; the `done` event ends the stream. */
  receive(ws, data) {
    let batch;
    try {
      batch = JSON.parse(data);
    } catch {
      return;
    }
    if (!Array.isArray(batch)) return;
    const fresh = [];
    for (const event of batch) {
      if (Number.isInteger(event?.seq) && event.seq > this.last) {
        fresh.push(event);
        this.last = event.seq;
      }
    }
    if (fresh.length === 0) return;
    this.attempt = 0;
    this.onEvents(fresh);
    if (fresh.some((event) => event.type === "done")) {
      this.socket = null;
      ws.close(1000);
      this.finish({ state: "finished" });
    }
  }

  closed(event) {
    if (event.code === 4404) this.finish({ state: "missing" });
    else if (event.code === 1008) this.finish({ state: "refused", reason: event.reason });
    else {
      const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempt) * (0.8 + 0.4 * Math.random());
      this.attempt += 1;
      this.timer = setTimeout(() => this.connect(), delay);
      this.onConnection({ state: "waiting", retryAt: Date.now() + delay });
    }
  }

  /** Reconnect now instead of waiting for the backoff. */
  retryNow() {
    if (this.ended || !this.timer) return;
    clearTimeout(this.timer);
    this.connect();
  }

  /** Ask the server to stop the job (over the socket when it is open). */
  async stop() {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: "stop" }));
    else await cancelJob(this.id);
  }

  /** Stop following (the job itself goes on). */
  close() {
    const ws = this.socket;
    this.socket = null;
    this.finish({ state: "closed" });
    ws?.close(1000);
  }
}

/**
 * Follow job `id` from `after` (the last seq already known; -1 for all).
 * `onEvents(events)` gets each new batch, seq strictly increasing; `onConnection(info)`
 * gets {state: "connecting" | "open" | "waiting" (with retryAt) | "finished" | "missing"
 * | "refused" (with reason) | "closed"}. Returns {lastSeq, stop(), retryNow(), close()}.
 */
export function followJob(id, { after = -1, onEvents, onConnection }) {
  return new JobStream(id, { after, onEvents, onConnection });
}
