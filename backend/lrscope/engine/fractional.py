"""The epoch ``"interval": "fractional"`` passes to ``scheduler.step`` after an optimizer
step: torch's CosineAnnealingWarmRestarts docstring example, ``epoch + i / iters``."""

from __future__ import annotations


def fractional_epoch(k: int, steps_per_epoch: int) -> float:
    """After optimizer step ``k`` of the run (step ``i`` of epoch ``e``): ``e + i / spe``."""
    e, i = divmod(k, steps_per_epoch)
    return e + i / steps_per_epoch
