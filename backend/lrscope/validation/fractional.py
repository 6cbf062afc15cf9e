"""``"interval": "fractional"``: only for a scheduler whose own ``step()`` takes an epoch
(the catalog's ``intervals``, catalog/intervals.py); any other, composites included, is a
422 at ``interval``. A Loop refuses every run-level interval already (validation/loop.py)."""

from __future__ import annotations

from lrscope.catalog.intervals import FRACTIONAL
from lrscope.validation.context import Context
from lrscope.validation.resolved import ResolvedScheduler


def check_fractional(ctx: Context, interval: str, scheduler: ResolvedScheduler) -> None:
    """Refuse ``fractional`` for a scheduler that cannot be stepped with an epoch."""
    if interval != FRACTIONAL or FRACTIONAL in scheduler.info.intervals:
        return
    takes = [s.name for s in ctx.catalog.schedulers.values() if FRACTIONAL in s.intervals]
    ctx.fail(
        ("interval",),
        "fractional_unsupported",
        scheduler=scheduler.info.name,
        schedulers=", ".join(takes),
    )
