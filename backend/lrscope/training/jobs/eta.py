"""How long a running job still needs, from its own progress, and the ``Retry-After`` a
refused submit gets from that (the soonest a slot that matters frees up).

A job's progress is the last step its events report out of the start event's
``num_steps``; its rate so far gives the rest. A paced job cannot go faster than its
``steps_per_second``, and no job outlives the wall-clock cap. Before a job has reported
any step nothing is known but those two bounds, so the guess is ``UNKNOWN_S`` (within
them). Pure: the caller passes the clock readings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

UNKNOWN_S = 5.0  # a job that has reported no step yet: a short wait, then ask again


def remaining_s(
    events: Sequence[dict[str, Any]], elapsed_s: float, timeout_s: float, rate: float | None
) -> float:
    """Seconds the job probably still runs: ``elapsed_s`` in, with ``events`` so far."""
    total = next((e.get("num_steps") for e in events if e.get("type") == "start"), None)
    done = next((e["step"] + 1 for e in reversed(events) if isinstance(e.get("step"), int)), 0)
    left_by_cap = max(0.0, timeout_s - elapsed_s)
    if not isinstance(total, int) or total <= 0:
        return min(UNKNOWN_S, left_by_cap)
    to_go = max(0, total - done)
    paced = to_go / rate if rate else 0.0
    measured = elapsed_s * to_go / done if done > 0 else max(UNKNOWN_S, paced)
    return min(max(measured, paced), left_by_cap)


def retry_after_s(remaining: Iterable[float], timeout_s: float) -> int:
    """Whole seconds until the first of these jobs ends (at least 1, at most the cap)."""
    soonest = min(remaining, default=UNKNOWN_S)
    return int(min(max(1, math.ceil(soonest)), max(1, math.ceil(timeout_s))))
