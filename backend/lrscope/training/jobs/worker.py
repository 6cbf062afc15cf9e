"""What runs inside a job's worker process (the fork server preloads ``preload``)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

import torch

from lrscope.catalog import default_catalog
from lrscope.settings import Limits
from lrscope.training.events import Event, done_from_events
from lrscope.training.job_kinds import job_events, resolve_job
from lrscope.training.spec import parse_train_spec

# Values of the shared stop flag the parent sets; 0 means "keep going".
STOP_REASONS = {1: "stopped", 2: "time_limit", 3: "shutdown", 4: "abandoned"}
STOP_CODES = {reason: code for code, reason in STOP_REASONS.items()}
SEND_INTERVAL_S = 0.05  # events are sent in batches at most this often (except start, done)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent (the fork server) exits.

    The fork server exits when the app process does, so a killed server leaves no worker.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return


def run_job(
    spec: dict[str, Any], limits: Limits, conn: Connection, stop_flag: Any, time_limit_s: float
) -> None:
    """Run one job and send its events to ``conn`` in batches; return when it is done."""
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        return
    torch.set_num_threads(1)
    deadline = time.monotonic() + time_limit_s

    def should_stop() -> str | None:
        code = stop_flag.value
        if code:
            return STOP_REASONS.get(code, "stopped")
        if time.monotonic() > deadline:
            return "time_limit"
        return None

    try:
        stream_events(spec, limits, conn.send, should_stop)
    except (BrokenPipeError, ConnectionResetError):
        return  # nobody is listening any more
    finally:
        conn.close()


def stream_events(
    spec: dict[str, Any],
    limits: Limits,
    send: Callable[[list[Event]], None],
    should_stop: Callable[[], str | None],
) -> None:
    """Train and ``send`` the events in batches (``event_batches``)."""
    for batch in event_batches(spec, limits, should_stop):
        send(batch)


def event_batches(
    spec: dict[str, Any], limits: Limits, should_stop: Callable[[], str | None]
) -> Iterator[list[Event]]:
    """Train and yield the events in batches (at most ~20 a second); every executor runs
    this, so a job's events do not depend on where it ran. A crash still ends the run with
    a complete ``done`` event, its counts taken from the events yielded."""
    batch: list[Event] = []
    sent: list[Event] = []
    last_send = 0.0
    try:
        plan = resolve_job(parse_train_spec(spec), default_catalog(), limits)
        for event in job_events(plan, should_stop):
            batch.append(event)
            sent.append(event)
            now = time.monotonic()
            if event["type"] in ("start", "done") or now - last_send >= SEND_INTERVAL_S:
                yield batch
                batch, last_send = [], now
    except Exception as exc:  # the parent validated the spec; this is a bug, report it
        error = f"{type(exc).__name__}: {exc}"
        yield [*batch, done_from_events(sent, "failed", "error", error)]


def noop() -> None:
    """Started once at boot so that the fork server (and its torch import) is warm."""
