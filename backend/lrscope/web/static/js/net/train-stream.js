// Follows one training job over its WebSocket. A dropped connection is retried with
// exponential backoff (and at once when the browser comes back online), asking only for
// the events after the last one received (`?after=<seq>`), so a resumed stream neither
// repeats nor skips an event. The stream ends with the job's `done` event, an unknown job
// (close code 4404) or a refusal (1008); anything else counts as a drop.

import { cancelJob } from "./train-api.js";

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;

/**
 * Follow job `id` from `after` (the last seq already known; -1 for all).
 * `onEvents(events)` gets each new batch, seq strictly increasing; `onConnection(info)`
 * gets {state: "connecting" | "open" | "waiting" (with retryAt) | "finished" | "missing"
 * | "refused" (with reason) | "closed"}.
 */
export function followJob(id, { after = -1, onEvents, onConnection }) {
  let last = after;
  let socket = null;
  let timer = null;
  let attempt = 0;
  let ended = false;

  function url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/ws/jobs/${encodeURIComponent(id)}?after=${last}`;
  }

  function finish(info) {
    ended = true;
    clearTimeout(timer);
    window.removeEventListener("online", retryNow);
    onConnection(info);
  }

  function connect() {
    timer = null;
    if (ended) return;
    const ws = new WebSocket(url());
    socket = ws;
    onConnection({ state: "connecting" });
    ws.addEventListener("open", () => {
      if (socket === ws) onConnection({ state: "open" });
    });
    ws.addEventListener("message", (message) => {
      if (socket !== ws) return;
      let batch;
      try {
        batch = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!Array.isArray(batch)) return;
      const fresh = [];
      for (const event of batch) {
        if (Number.isInteger(event?.seq) && event.seq > last) {
          fresh.push(event);
          last = event.seq;
        }
      }
      if (fresh.length === 0) return;
      attempt = 0;
      onEvents(fresh);
      if (fresh.some((event) => event.type === "done")) {
        socket = null;
        ws.close(1000);
        finish({ state: "finished" });
      }
    });
    ws.addEventListener("close", (event) => {
      if (socket !== ws) return;
      socket = null;
      if (ended) return;
      if (event.code === 4404) finish({ state: "missing" });
      else if (event.code === 1008) finish({ state: "refused", reason: event.reason });
      else {
        const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt) * (0.8 + 0.4 * Math.random());
        attempt += 1;
        timer = setTimeout(connect, delay);
        onConnection({ state: "waiting", retryAt: Date.now() + delay });
      }
    });
  }

  function retryNow() {
    if (ended || !timer) return;
    clearTimeout(timer);
    connect();
  }

  window.addEventListener("online", retryNow);
  connect();

  return {
    get lastSeq() {
      return last;
    },
    /** Ask the server to stop the job (over the socket when it is open). */
    async stop() {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "stop" }));
      else await cancelJob(id);
    },
    /** Reconnect now instead of waiting for the backoff. */
    retryNow,
    /** Stop following (the job itself goes on). */
    close() {
      const ws = socket;
      socket = null;
      finish({ state: "closed" });
      ws?.close(1000);
    },
  };
}
