"""Store writes in order on one thread, off the event loop."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from lrscope.training.jobs.store import RunStore

log = logging.getLogger(__name__)


class StoreWriter:
    """Runs store writes in order on one thread, off the event loop."""

    def __init__(self, store: RunStore) -> None:
        self.store = store
        self._queue: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="lrscope-store", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def put(self, fn: Callable[..., Any], *args: Any) -> None:
        self._queue.put((fn, args))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            fn, args = item
            try:
                fn(*args)
            except Exception:  # a failed write must not stop later ones
                log.exception("lrscope: a run store write failed")

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
