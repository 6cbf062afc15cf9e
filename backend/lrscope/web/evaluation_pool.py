"""Schedule evaluation in worker processes, so a heavy answer never takes the web process's
GIL and health, the catalog and cache hits stay near idle under load.

Each worker is forked from the fork server that already has torch loaded (training's
``preload.py``: ~10 ms a worker) and runs one call at a time: a function and its
arguments (pickled) in, its value or exception out, through a pipe. A call's ``Deadline``
is active in the worker while it runs, its cancel flag in memory both processes share, so
stepping stops when the client leaves or time is up. A worker that does not answer within
``GRACE_S`` of its deadline is killed; one that dies is replaced by the next call.

The calling thread blocks on the pipe with the GIL released: admission.py calls ``call``
from its own threads, at most its capacity at once. One pool serves the whole process
(``shared_pool``), so apps made by tests do not each fork their own.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import multiprocessing
import pickle
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import torch

from lrscope.engine import deadline

T = TypeVar("T")
# No lower priority for the workers: under bench/load.py, nice 10, 3 and 0 gave health p95
# of 5.8, 7.4 and 7.7 ms (noise: the GIL kept apart is what counts), while a lower priority
# would leave evaluations starved behind training jobs and browsers on the same cores.
GRACE_S = 5.0  # how long past its deadline a worker may take before it is killed
POLL_S = 0.25  # how often a waiting call looks at the clock
PRELOAD_MODULE = "lrscope.training.jobs.preload"  # the fork server's: torch, the catalog
WARM_MODULES = ("lrscope.web.schedule_answer",)  # what a worker imports as it starts


class WorkerLost(Exception):
    """The worker process died during the call (killed, or out of memory)."""


class _Worker:
    """One worker process, its pipe and its cancel flag."""

    def __init__(self, ctx: Any) -> None:
        self.flag = ctx.RawValue("b", 0)
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_serve, args=(child, self.flag), name="lrscope-eval", daemon=True
        )
        self.process.start()
        child.close()

    def call(self, token: deadline.Deadline, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        token.share(self.flag)
        try:
            self.conn.send((token.expires_at, fn, args))
            while not self.conn.poll(POLL_S):
                if time.monotonic() > token.expires_at + GRACE_S:
                    self.kill()
                    raise deadline.EvaluationCancelled("deadline")
            ok, value = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise WorkerLost(f"exit code {self.process.exitcode}") from exc
        finally:
            # A client that leaves after this must not cancel the worker's next call.
            token.unshare()
        if not ok:
            raise value
        return value

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and not self.conn.closed

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        self.conn.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        with contextlib.suppress(Exception):
            self.process.join(2)
        self.kill()


class EvaluationPool:
    """Worker processes for evaluation, started as they are needed and kept."""

    def __init__(self) -> None:
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload([PRELOAD_MODULE])
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self.started = 0  # workers started so far (a lost one is replaced)

    def warm(self, workers: int) -> None:
        """Start workers until ``workers`` are idle (blocking: the first start waits for the
        fork server to import torch, seconds)."""
        with self._lock:
            missing = workers - len(self._idle)
        fresh = [self._start() for _ in range(missing)]
        with self._lock:
            self._idle.extend(fresh)

    def call(self, token: deadline.Deadline, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in an idle worker (a new one if none is), under ``token`` (blocking)."""
        worker = self._take()
        try:
            return worker.call(token, fn, args)
        finally:
            if worker.alive:
                with self._lock:
                    self._idle.append(worker)

    def pids(self) -> set[int]:
        """The process ids of the workers alive now, idle or busy."""
        with self._lock:
            self._all = [w for w in self._all if w.alive]
            return {w.process.pid for w in self._all if w.process.pid is not None}

    def close(self) -> None:
        with self._lock:
            workers, self._idle, self._all = self._all, [], []
        for worker in workers:
            worker.close()

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                worker.kill()
        return self._start()

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx)
        with self._lock:
            self._all.append(worker)
            self.started += 1
        return worker


_shared: EvaluationPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> EvaluationPool:
    """The process's one evaluation pool (closed at exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = EvaluationPool()
            atexit.register(_shared.close)
        return _shared


def _serve(conn: Connection, flag: Any) -> None:
    """A worker's life: calls from the pipe, one at a time, until it closes or sends None."""
    torch.set_num_threads(1)
    for module in WARM_MODULES:
        importlib.import_module(module)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        expires_at, fn, args = request
        token = deadline.Deadline.until(expires_at, flag)
        try:
            with deadline.active(token):
                token.check()
                answer: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:
            answer = (False, _picklable(exc))
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return


def _picklable(exc: Exception) -> Exception:
    """``exc`` if it survives the pipe, else a RuntimeError with its words."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
