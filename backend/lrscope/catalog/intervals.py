"""When a scheduler may be stepped: every one per epoch or per step; ``"fractional"`` (after
each optimizer step, ``scheduler.step(e + i / steps_per_epoch)``) only for a scheduler whose
own ``step()`` takes an epoch (CosineAnnealingWarmRestarts in torch 2.13), found by
signature. The base class's deprecated ``step(epoch)`` and ReduceLROnPlateau's (which
takes a metric) do not count, nor do composites."""

from __future__ import annotations

import inspect

from torch.optim.lr_scheduler import LRScheduler

BASE_INTERVALS: tuple[str, ...] = ("epoch", "step")
FRACTIONAL = "fractional"


def takes_fractional_epoch(cls: type, needs_metric: bool, composite: bool) -> bool:
    """Whether ``cls.step`` is its own and takes an ``epoch`` argument."""
    step = getattr(cls, "step", None)
    if step is None or step is LRScheduler.step or needs_metric or composite:
        return False
    try:
        return "epoch" in inspect.signature(step).parameters
    except (TypeError, ValueError):
        return False


def intervals_of(cls: type, needs_metric: bool, composite: bool) -> tuple[str, ...]:
    """The run-level ``interval`` values this scheduler accepts, in the editor's order."""
    if takes_fractional_epoch(cls, needs_metric, composite):
        return (*BASE_INTERVALS, FRACTIONAL)
    return BASE_INTERVALS
