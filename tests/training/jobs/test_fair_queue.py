"""The fair queue (``training/jobs/fair_queue.py``): clients take turns, so no client starves
behind another's many jobs, a blocked client holds up nobody, and a running cap that the
caller enforces through ``pop`` is never passed (hypothesis, against a simulation of slots
that free up one by one)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrscope.training.jobs.fair_queue import FairQueue


def _always(_item: str, _client: str) -> bool:
    return True


def test_one_busy_client_does_not_starve_the_others() -> None:
    queue: FairQueue[str] = FairQueue()
    for i in range(8):
        queue.push(f"a{i}", "a")
    queue.push("b0", "b")
    queue.push("c0", "c")
    order = [queue.pop(_always) for _ in range(10)]
    assert order == ["a0", "b0", "c0", "a1", "a2", "a3", "a4", "a5", "a6", "a7"]
    assert queue.pop(_always) is None and len(queue) == 0


def test_position_is_the_order_pop_serves() -> None:
    queue: FairQueue[str] = FairQueue()
    for item, client in [("a0", "a"), ("a1", "a"), ("a2", "a"), ("b0", "b"), ("c0", "c")]:
        queue.push(item, client)
    assert [queue.position(x) for x in ["a0", "b0", "c0", "a1", "a2"]] == [1, 2, 3, 4, 5]
    queue.remove("b0")
    assert list(queue) == ["a0", "c0", "a1", "a2"] and "b0" not in queue
    with pytest.raises(KeyError):
        queue.position("b0")


def test_a_blocked_client_is_skipped_not_waited_for() -> None:
    queue: FairQueue[str] = FairQueue()
    queue.push("a0", "a")
    queue.push("b0", "b")
    assert queue.pop(lambda _item, client: client != "a") == "b0"
    assert queue.pop(lambda _item, client: client != "a") is None
    assert queue.pop(_always) == "a0"


def test_the_same_item_cannot_be_queued_twice() -> None:
    queue: FairQueue[str] = FairQueue()
    queue.push("x", "a")
    with pytest.raises(ValueError):
        queue.push("x", "b")


# A scenario: jobs arrive for clients (client index, how many), then slots free up one at a
# time; the cap limits how many jobs of one client may run at once.
arrivals = st.lists(st.tuples(st.integers(0, 5), st.integers(1, 8)), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(arrivals=arrivals, slots=st.integers(1, 4), cap=st.integers(1, 3))
def test_no_client_starves_and_the_cap_holds(
    arrivals: list[tuple[int, int]], slots: int, cap: int
) -> None:
    queue: FairQueue[str] = FairQueue()
    for client, count in arrivals:
        for _ in range(count):
            queue.push(f"c{client}:{len(queue)}", f"c{client}")
    waiting = Counter(f"c{client}" for client, count in arrivals for _ in range(count))
    running: list[tuple[str, str]] = []  # (item, client), oldest first
    started: list[str] = []

    def can_start(_item: str, client: str) -> bool:
        return len(running) < slots and sum(c == client for _, c in running) < cap

    while len(queue):
        item = queue.pop(can_start)
        if item is None:  # every slot is taken or every waiting client is at its cap
            assert running, "nothing runs, yet nothing may start"
            running.pop(0)  # the oldest running job ends
            continue
        client = item.split(":")[0]
        assert sum(c == client for _, c in running) < cap  # the cap is never passed
        running.append((item, client))
        started.append(client)
    # No starvation: while a client still waits, every other waiting client starts at most
    # one job more than it between two of its starts (turns), so each client's k-th start
    # comes before any client's (k + 2)-th.
    nth: dict[str, list[int]] = {}
    for index, client in enumerate(started):
        nth.setdefault(client, []).append(index)
    for a, starts_a in nth.items():
        for b, starts_b in nth.items():
            for k in range(len(starts_a)):
                if k + 2 < len(starts_b):
                    assert starts_a[k] < starts_b[k + 2], (a, b, k, started)
    assert Counter(started) == waiting


def test_a_client_served_at_once_waits_behind_those_never_served() -> None:
    """A job that started on submit (no queue) counts as that client's turn."""
    queue: FairQueue[str] = FairQueue()
    queue.served("a")  # a0 started at once
    queue.push("a1", "a")
    queue.push("b0", "b")
    assert list(queue) == ["b0", "a1"] and queue.position("a1") == 2
    assert queue.pop(_always) == "b0"
