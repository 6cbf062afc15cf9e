"""A small LRU of encoded ``/api/schedule`` responses (JSON and its gzip bytes) keyed by
the canonical request."""

from __future__ import annotations

import threading
from collections import OrderedDict

from lrscope.web.encoding import Encoded

MAX_ENTRY_BYTES = 8_000_000  # exact million-point curves are not worth keeping


class ResponseCache:
    """A small LRU of encoded responses keyed by the canonical request."""

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._data: OrderedDict[str, Encoded] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Encoded | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    @staticmethod
    def keeps(size: int) -> bool:
        """Whether an answer of ``size`` JSON bytes is kept."""
        return size <= MAX_ENTRY_BYTES

    def put(self, key: str, value: Encoded) -> None:
        if not self.keeps(len(value.plain)):
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._entries:
                self._data.popitem(last=False)
