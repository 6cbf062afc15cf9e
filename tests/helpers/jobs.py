"""Training-job tests' shared parts: short settings, two job specs, reading a job's events
(TestClient or real socket), waiting, and the worker processes."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from websockets.asyncio.client import connect

from lrscope.settings import Settings
from lrscope.web.evaluation_pool import shared_pool

T = TypeVar("T")


def job_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings that keep job tests short, with runs stored under ``data_dir``."""
    base = Settings(
        data_dir=data_dir,
        workers=1,
        queue_size=2,
        jobs_per_client=4,
        cancel_grace_s=2.0,
        prewarm_workers=False,
        static_dir=data_dir,
    )
    return dataclasses.replace(base, **overrides)


QUICK: dict[str, Any] = {
    "scheduler": {"type": "StepLR", "step_size": 1, "gamma": 0.5},
    "epochs": 3,
    "task": {"name": "moons", "train_size": 64, "val_size": 64},
    "batch_size": 16,
}
# Runs for minutes unless stopped: the tests that use it stop it.
LONG: dict[str, Any] = {
    "scheduler": {"type": "StepLR", "step_size": 1},
    "epochs": 1000,
    "task": {"name": "moons", "train_size": 100, "val_size": 16},
    "batch_size": 1,
}


def read_to_done(ws: Any) -> list[dict[str, Any]]:
    """Event batches from a TestClient WebSocket, until the ``done`` event."""
    events: list[dict[str, Any]] = []
    while not events or events[-1]["type"] != "done":
        batch = ws.receive_json()
        assert isinstance(batch, list) and batch
        events += batch
    return events


async def read_events(url: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Events from a real socket (``websockets``) until ``done``, or until at least
    ``limit`` events, then leave."""
    events: list[dict[str, Any]] = []
    async with connect(url, max_size=None) as ws:
        async for message in ws:
            events += json.loads(message)
            if limit is not None and len(events) >= limit:
                break
    return events


def contiguous(events: list[dict[str, Any]], start: int = 0) -> bool:
    """The events' ``seq`` run from ``start`` with no gap."""
    return [e["seq"] for e in events] == list(range(start, start + len(events)))


def worker_pids() -> set[int]:
    """Processes forked by this test process's fork server for jobs, from /proc (the
    evaluation workers, forked by the same server, left out)."""
    children = _children(os.getpid())
    servers = [p for p in children if b"forkserver" in _cmdline(p)]
    return {w for s in servers for w in _children(s)} - shared_pool().pids()


def _children(pid: int) -> set[int]:
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                out.add(int(entry))
    return out


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def wait_for(condition: Callable[[], bool], what: str, limit_s: float = 60) -> None:
    """Poll until ``condition`` holds; a generous bound, not a timing assertion."""
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on a thread of its own: the main thread may already run a loop
    (Playwright's sync API does, in the browser tests of the same session)."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coro))
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]
