"""Which queued job runs next: round-robin across clients, not first come first served.

Each client has its own first-in-first-out line; the clients take turns, the one served
least recently first (a client never served yet before any that was). When a job of a
client starts (through ``pop``, or at once on submit: ``served``), that client goes to the
back of the turns, so a client with eight queued jobs gets one start per round while every
other waiting client gets one too. ``pop`` skips a job the caller says cannot start now
(its client is at its running cap, or its pool has no free slot) and looks at the next
client's, so a blocked client holds up nobody. Pure: no clock, no I/O;
``tests/training/jobs/test_fair_queue.py`` checks with hypothesis that no client starves
and that a cap is never passed.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class FairQueue(Generic[T]):
    """Items waiting per client; ``pop`` serves the clients in turn."""

    REMEMBERED = 10_000  # clients whose last start is kept (the oldest are forgotten)

    def __init__(self) -> None:
        # Client -> its waiting items, oldest first (in the order the clients arrived).
        self._lines: OrderedDict[str, deque[T]] = OrderedDict()
        self._client: dict[T, str] = {}
        self._last: OrderedDict[str, int] = OrderedDict()  # client -> tick of its last start
        self._tick = 0

    def __len__(self) -> int:
        return len(self._client)

    def __contains__(self, item: object) -> bool:
        return item in self._client

    def __iter__(self) -> Iterator[T]:
        """Every waiting item, in the order ``pop`` would serve them with no cap."""
        lines = [list(self._lines[client]) for client in self._turns()]
        for depth in range(max((len(line) for line in lines), default=0)):
            for line in lines:
                if depth < len(line):
                    yield line[depth]

    def _turns(self) -> list[str]:
        """The waiting clients, least recently served first (stable: ties by arrival)."""
        return sorted(self._lines, key=lambda client: self._last.get(client, 0))

    def served(self, client: str) -> None:
        """A job of ``client`` started: it goes to the back of the turns."""
        self._tick += 1
        self._last[client] = self._tick
        self._last.move_to_end(client)
        if len(self._last) > self.REMEMBERED:
            self._last.popitem(last=False)

    def push(self, item: T, client: str) -> None:
        """Queue ``item`` for ``client`` (a new client joins at the back of the turns)."""
        if item in self._client:
            raise ValueError("already queued")
        self._lines.setdefault(client, deque()).append(item)
        self._client[item] = client

    def remove(self, item: T) -> None:
        """Take a waiting item out (cancelled, abandoned)."""
        client = self._client.pop(item)
        line = self._lines[client]
        line.remove(item)
        if not line:
            del self._lines[client]

    def position(self, item: T) -> int:
        """1-based place of ``item`` in the order ``pop`` would serve with no cap."""
        for place, queued in enumerate(self, start=1):
            if queued == item:
                return place
        raise KeyError(item)

    def pop(self, can_start: Callable[[T, str], bool]) -> T | None:
        """The next item whose ``can_start(item, client)`` holds, taking turns; or None.

        Within a client's line the oldest startable item goes first; the client served
        moves to the back of the turn order.
        """
        for client in self._turns():
            line = self._lines[client]
            for item in line:
                if can_start(item, client):
                    line.remove(item)
                    del self._client[item]
                    if not line:
                        del self._lines[client]
                    self.served(client)
                    return item
        return None
