"""Small job specs the WebSocket tests share."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import uvicorn

from lrscope.settings import Settings
from lrscope.web.app import create_app

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


class LiveServer:
    """The app on a real uvicorn server in a thread, on a free port."""

    def __init__(self, settings: Settings, send_buffer: int | None = None) -> None:
        self.app = create_app(settings)
        self._socket = socket.socket()
        if send_buffer is not None:  # accepted sockets inherit it (and lose autotuning)
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", timeout_graceful_shutdown=5)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join()
        self._socket.close()


def worker_pids() -> set[int]:
    """Processes forked by this test process's fork server (job workers), from /proc."""
    children = _children(os.getpid())
    servers = [p for p in children if b"forkserver" in _cmdline(p)]
    return {w for s in servers for w in _children(s)}


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
