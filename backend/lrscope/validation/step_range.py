"""The step window a request asks for (``range``): checked against the run's length."""

from __future__ import annotations

from lrscope.spec import RunSpec
from lrscope.validation.context import Context


def step_window(ctx: Context, run: RunSpec, num_steps: int) -> tuple[int, int] | None:
    """``(start, stop)`` of the requested steps (stop exclusive), or None for the whole run.

    Reports a stop at or below start, or past the run's end, at ``range.stop``."""
    if run.range is None:
        return None
    start, stop = run.range.start, run.range.stop
    if stop <= start:
        ctx.fail(("range", "stop"), "range_empty", start=str(start), stop=str(stop))
    elif stop > num_steps:
        ctx.fail(
            ("range", "stop"),
            "range_outside_run",
            steps=str(num_steps),
            last=str(num_steps - 1),
            stop=str(stop),
        )
    return start, stop


def window_length(window: tuple[int, int] | None, num_steps: int) -> int:
    """How many points the response can hold at most."""
    return num_steps if window is None else max(0, min(window[1], num_steps) - window[0])
