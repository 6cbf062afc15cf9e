"""A small LRU of encoded ``/api/schedule`` responses keyed by the canonical request."""

from __future__ import annotations

import threading
from collections import OrderedDict


class ResponseCache:
    """A small LRU of encoded responses keyed by the canonical request."""

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        if len(value) > 8_000_000:  # exact million-point curves are not worth keeping
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._entries:
                self._data.popitem(last=False)
