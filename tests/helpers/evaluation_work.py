"""Work for the evaluation worker processes (web/evaluation_pool.py) that tests need: each a
module-level function, so it pickles by name and a worker can import it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from lrscope.engine import deadline, evaluate_resolved
from lrscope.web.encoding import Encoded, encode, with_gzip
from lrscope.web.schedule_answer import evaluate_and_encode


def step_until_stopped() -> None:
    """Steps until its deadline passes or its client leaves, as a long schedule would."""
    step = 0
    while True:
        deadline.check(step)
        step += 1


def evaluate_after(release: Path, started: Path, *args: Any) -> Encoded:
    """``evaluate_and_encode(*args)`` once ``release`` exists (touching ``started`` first)."""
    started.touch()
    stop = time.monotonic() + 60
    while not release.exists() and time.monotonic() < stop:
        time.sleep(0.01)
    return evaluate_and_encode(*args)


def pid_and_wait(started: Path, *args: Any) -> Encoded:
    """Writes its worker's pid into ``started``, then waits to be killed (at most 60 s)."""
    started.write_text(str(os.getpid()))
    time.sleep(60)
    return evaluate_and_encode(*args)


def ignore_the_deadline(seconds: float) -> str:
    """Sleeps without looking at its deadline, as a stuck C call would."""
    time.sleep(seconds)
    return "done"


def gzip_after(release: Path, started: Path, resolved: Any, torch_version: str, *_: Any) -> Encoded:
    """An answer evaluated and encoded, then gzipped once ``release`` exists (touching
    ``started`` as its compression begins)."""
    plain = encode(evaluate_resolved(resolved, torch_version))
    started.touch()
    stop = time.monotonic() + 60
    while not release.exists() and time.monotonic() < stop:
        time.sleep(0.01)
    return with_gzip(plain, True)


def die() -> None:
    """Kills its own worker process, as the kernel's out-of-memory killer would."""
    os.kill(os.getpid(), signal.SIGKILL)
