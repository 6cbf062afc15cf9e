"""WebSocket endpoint streaming a training job's events (thin: the job backend does the work).

Each connection runs two tasks: a sender that reads the job's event log at its own cursor
(so a client that stops reading stalls nobody else) and a receiver that takes
``{"type": "stop"}`` and notices when the client leaves.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse

from lrscope.errors import error, got
from lrscope.training.jobs.backend import EventBatch, JobBackend
from lrscope.web.identity import AdminTokenInvalid, caller_of
from lrscope.web.security import origin_allowed

router = APIRouter()

SEND_INTERVAL_S = 0.05  # at most ~20 messages a second per connection
MAX_EVENTS_PER_MESSAGE = 500
MAX_CURSOR = 2**62  # seq numbers are SQLite integers (at most 2**63 - 1)


def _encode(events: list[dict[str, Any]]) -> str:
    return json.dumps(events, separators=(",", ":"), allow_nan=False)


def parse_cursor(raw: str) -> int | None:
    """``after`` as a seq number (-1: from the start), or None when it is not one."""
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if -1 <= value <= MAX_CURSOR else None


async def _refuse_cursor(websocket: WebSocket, raw: str) -> None:
    """A 422 naming ``after`` where the server can answer a handshake with HTTP, else 1008."""
    if "websocket.http.response" not in websocket.scope.get("extensions", {}):
        await websocket.close(code=1008, reason="after must be a whole number >= -1")
        return
    item = error(("query", "after"), "cursor_invalid", "int_parsing", maximum="2**62", **got(raw))
    await websocket.send_denial_response(JSONResponse({"detail": [item]}, status_code=422))


@router.websocket("/ws/jobs/{job_id}")
async def job_events(websocket: WebSocket, job_id: str, after: str = "-1") -> None:
    """Stream events with ``seq > after`` as JSON arrays, oldest first, until ``done``."""
    settings = websocket.app.state.settings
    jobs: JobBackend = websocket.app.state.jobs
    if not origin_allowed(websocket.headers, settings):
        await websocket.close(code=1008, reason="origin not allowed")
        return
    cursor = parse_cursor(after)
    if cursor is None:
        await _refuse_cursor(websocket, after)
        return
    may_stop = await _may_stop(websocket, jobs, job_id)
    if may_stop is None:
        await websocket.close(code=1008, reason="not the admin token")
        return
    first = await jobs.events_after(job_id, cursor, wait_s=0)
    await websocket.accept()
    if first is None:
        await websocket.close(code=4404, reason="no such job")
        return
    jobs.attach(job_id)
    try:
        async with anyio.create_task_group() as tg:

            async def send_events() -> None:
                batch: EventBatch | None = first
                seen = cursor
                try:
                    while batch is not None:
                        events = batch.events
                        for i in range(0, len(events), MAX_EVENTS_PER_MESSAGE):
                            await websocket.send_text(
                                _encode(events[i : i + MAX_EVENTS_PER_MESSAGE])
                            )
                        if events:
                            seen = events[-1]["seq"]
                        if batch.finished or any(e["type"] == "done" for e in events):
                            await websocket.close(code=1000)
                            break
                        await asyncio.sleep(SEND_INTERVAL_S)
                        batch = await jobs.events_after(job_id, seen)
                except Exception:  # the client went away mid-send
                    pass
                tg.cancel_scope.cancel()

            async def receive_commands() -> None:
                try:
                    while True:
                        text = await websocket.receive_text()
                        if may_stop and _is_stop(text):
                            tg.start_soon(jobs.cancel, job_id, "stopped")
                except (WebSocketDisconnect, RuntimeError, KeyError):
                    pass
                tg.cancel_scope.cancel()

            tg.start_soon(send_events)
            tg.start_soon(receive_commands)
    finally:
        jobs.detach(job_id)


async def _may_stop(websocket: WebSocket, jobs: JobBackend, job_id: str) -> bool | None:
    """Whether this socket's stop is taken: only from the client that started the job (its
    token, by cookie or X-Lrscope-Client on the handshake) or the admin; anyone else's is
    ignored. None for a wrong admin token."""
    try:
        caller = caller_of(websocket.scope, websocket.app.state.settings.admin_token)
    except AdminTokenInvalid:
        return None
    return caller.may_stop(await jobs.owner(job_id) or "")


def _is_stop(text: str) -> bool:
    try:
        message = json.loads(text)
    except ValueError:
        return False
    return isinstance(message, dict) and message.get("type") == "stop"
