"""Momentum of 1 or more in CyclicLR/OneCycleLR: torch computes the schedule, SGD diverges.

``/api/schedule`` evaluates such a schedule (torch's own tests cycle momentum between 1 and
22) with a warning; a training job refuses it at the field, since it cannot train.
"""

from __future__ import annotations

from typing import Any

from lrscope.errors import Loc, error, fmt
from lrscope.validation.context import Context
from lrscope.validation.resolved import ResolvedRun, ResolvedScheduler

MOMENTUM_ARGS = ("base_momentum", "max_momentum")


def momenta_at_least_one(r: ResolvedScheduler) -> list[tuple[Loc, str, float]]:
    """Each cycled momentum value >= 1 of ``r``: (loc, argument, value)."""
    if r.info.param("base_momentum") is None or not r.kwargs.get("cycle_momentum", True):
        return []
    found = []
    for name in MOMENTUM_ARGS:
        value: Any = r.kwargs.get(name)
        values = value if isinstance(value, list) else [value]
        for g, v in enumerate(values):
            if isinstance(v, (int, float)) and v >= 1:
                loc = (*r.loc, name, g) if isinstance(value, list) else (*r.loc, name)
                found.append((loc, name, float(v)))
    return found


def warn_momentum(ctx: Context, r: ResolvedScheduler) -> None:
    """Warn once per argument whose cycled momentum reaches 1."""
    for _loc, name, v in momenta_at_least_one(r):
        ctx.warn("momentum_diverges", scheduler=r.info.name, argument=name, value=fmt(v))


def untrainable_momentum(run: ResolvedRun) -> list[dict[str, Any]]:
    """422 items for a training job: every cycled momentum >= 1 in the run's tree."""
    return [
        error(loc, "momentum_cannot_train", argument=name, value=fmt(v))
        for node in run.scheduler.walk()
        for loc, name, v in momenta_at_least_one(node)
    ]
