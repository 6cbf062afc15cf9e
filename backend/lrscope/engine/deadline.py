"""A per-evaluation deadline and cancel flag, polled by the steppers every ``POLL_EVERY`` steps.

The web layer starts one for each request it evaluates (``active``) and sets ``cancel()``
when the client leaves; stepping then stops with ``EvaluationCancelled`` instead of running
on for nobody. Outside ``active`` (the CLI, tests, the self-check) ``check()`` costs nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

POLL_EVERY = 4096  # steps between two looks at the clock (about a millisecond of stepping)


class EvaluationCancelled(Exception):
    """Stepping stopped: its deadline passed (``reason`` "deadline") or its client left."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Deadline:
    """When an evaluation must stop, and whether its client is still there."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def check(self) -> None:
        if self.cancelled:
            raise EvaluationCancelled("client_left")
        if time.monotonic() >= self.expires_at:
            raise EvaluationCancelled("deadline")


_current = threading.local()


@contextmanager
def active(deadline: Deadline | None) -> Iterator[Deadline | None]:
    """Make ``deadline`` the one ``check()`` polls in this thread while the block runs
    (None: none, for work that must finish whatever request runs it, the self-check)."""
    previous = getattr(_current, "deadline", None)
    _current.deadline = deadline
    try:
        yield deadline
    finally:
        _current.deadline = previous


def check(step: int) -> None:
    """Stop stepping if this thread's deadline passed or its client left (every POLL_EVERY)."""
    if step % POLL_EVERY == 0:
        deadline: Deadline | None = getattr(_current, "deadline", None)
        if deadline is not None:
            deadline.check()
