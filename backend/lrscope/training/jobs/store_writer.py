"""Store writes in order on one thread, off the event loop."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from lrscope.training.jobs.store import RunStore

log = logging.getLogger(__name__)
LOG_EVERY_S = 60.0  # a store that keeps failing is logged once a minute, not per write


class StoreWriter:
    """Runs store writes in order on one thread, off the event loop."""

    def __init__(self, store: RunStore) -> None:
        self.store = store
        self._queue: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="lrscope-store", daemon=True)
        # Why the last write failed ("OperationalError: database or disk is full"); None
        # once a write succeeds again. Health reports it and new jobs are refused meanwhile.
        self.problem: str | None = None
        self._unlogged = 0
        self._logged_at = -LOG_EVERY_S

    def start(self) -> None:
        self._thread.start()

    def put(self, fn: Callable[..., Any], *args: Any) -> None:
        self._queue.put((fn, args))

    def call(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run ``fn(*args)`` in its turn, as ``put`` does, with a future of its result (a
        write the caller must know succeeded, e.g. a new run's row before its 202)."""
        future: Future[Any] = Future()

        def run() -> None:
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)
                raise  # counted as a failed write, as any other

        self.put(run)
        return future

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            fn, args = item
            try:
                fn(*args)
            except Exception as exc:  # a failed write must not stop later ones
                self._failed(exc)
            else:
                if self.problem is not None:
                    log.warning("lrscope: run store writes work again")
                self.problem = None

    def _failed(self, exc: Exception) -> None:
        self.problem = f"{type(exc).__name__}: {exc}"
        self._unlogged += 1
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY_S:
            log.error(
                "lrscope: %d run store write(s) failed, runs are not being saved: %s",
                self._unlogged,
                self.problem,
                exc_info=exc if self._unlogged == 1 else None,
            )
            self._logged_at = now
            self._unlogged = 0

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
