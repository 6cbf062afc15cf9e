"""A per-evaluation deadline and cancel flag, polled by the steppers every ``POLL_EVERY`` steps.

The web layer starts one for each request it evaluates and sets ``cancel()`` when the
client leaves; the evaluation worker (web/evaluation_pool.py) makes it ``active`` while it
steps, sharing its cancel flag through memory both processes see (``share``); stepping then
stops with ``EvaluationCancelled`` instead of running on for nobody. Outside ``active`` (the
CLI, tests, the self-check) ``check()`` costs nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

POLL_EVERY = 4096  # steps between two looks at the clock (about a millisecond of stepping)


class EvaluationCancelled(Exception):
    """Stepping stopped: its deadline passed (``reason`` "deadline") or its client left."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Flag:
    """A cancel flag in this process (a ``multiprocessing`` shared value has the same
    ``value``)."""

    value = 0


class Deadline:
    """When an evaluation must stop, and whether its client is still there.

    ``expires_at`` is on ``time.monotonic``'s clock, which every process on the machine
    shares (Linux's CLOCK_MONOTONIC), so a worker process can check a deadline set here.
    """

    def __init__(self, seconds: float, flag: Any = None) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self._flag = flag if flag is not None else Flag()

    @classmethod
    def until(cls, expires_at: float, flag: Any) -> Deadline:
        """The deadline ``expires_at``, cancelled through ``flag`` (in a worker process)."""
        token = cls(0.0, flag)
        token.expires_at = expires_at
        return token

    @property
    def cancelled(self) -> bool:
        return bool(self._flag.value)

    def cancel(self) -> None:
        self._flag.value = 1

    def share(self, flag: Any) -> None:
        """Keep the cancel flag in ``flag`` from now on (memory a worker process reads),
        carrying over a cancel that came first."""
        flag.value = self._flag.value
        self._flag = flag

    def unshare(self) -> None:
        """Back to a flag of its own (the worker's is another call's from now on), keeping
        whether it was cancelled."""
        own = Flag()
        own.value = self._flag.value
        self._flag = own

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
