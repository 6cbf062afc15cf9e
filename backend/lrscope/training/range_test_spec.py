"""The LR range test's knobs (``"kind": "lr_range_test"``) and the rates it sweeps.

Defaults follow the two libraries that agree on them: fastai's ``LRFinder`` and
Lightning's ``lr_find`` smooth the loss with an exponential moving average of
``beta = 0.98`` (bias-corrected) and stop once the smoothed loss passes 4 x the best one
(fastai's ``smooth_loss > 4*self.best_loss``, Lightning's ``early_stop_threshold=4.0``);
pytorch-lr-finder's ``diverge_th`` is 5. fastai sweeps 1e-7 to 10 in 100 steps.

The rate of step ``i`` of ``N`` is the formula pytorch-lr-finder's ``ExponentialLR`` and
``LinearLR`` use (``r = i / (N - 1)``), so the last step uses ``max_lr`` (up to rounding):
``exp``: ``min_lr * (max_lr / min_lr) ** (i / (N - 1))``; ``linear``:
``min_lr + (max_lr - min_lr) * (i / (N - 1))``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_RANGE_STEPS = 1_000


class RangeTestSpec(BaseModel):
    """How an LR range test sweeps the learning rate and when it stops."""

    model_config = ConfigDict(extra="forbid")
    min_lr: Annotated[
        float, Field(strict=True, gt=0, le=1e3, description="the rate of the first step")
    ] = 1e-7
    max_lr: Annotated[
        float, Field(strict=True, gt=0, le=1e3, description="the rate of the last step")
    ] = 10.0
    steps: Annotated[
        int,
        Field(strict=True, ge=10, le=MAX_RANGE_STEPS, description="optimizer steps in the sweep"),
    ] = 100
    mode: Literal["exp", "linear"] = Field(
        default="exp", description="exp: evenly spaced in log lr; linear: evenly spaced in lr"
    )
    smooth: Annotated[
        float,
        Field(
            strict=True,
            ge=0,
            lt=1,
            description="beta of the loss's bias-corrected moving average (fastai: 0.98)",
        ),
    ] = 0.98
    diverge_factor: Annotated[
        float,
        Field(
            strict=True,
            gt=1,
            le=1e6,
            description="stop once the smoothed loss exceeds this times its best (fastai: 4)",
        ),
    ] = 4.0


def lr_at(spec: RangeTestSpec, i: int) -> float:
    """The learning rate of sweep step ``i`` (0-based), the formula above, in Python floats."""
    r = i / (spec.steps - 1)
    if spec.mode == "exp":
        return spec.min_lr * (spec.max_lr / spec.min_lr) ** r
    return spec.min_lr + (spec.max_lr - spec.min_lr) * r


def sweep(spec: RangeTestSpec) -> list[float]:
    """Every rate of the sweep, in order."""
    return [lr_at(spec, i) for i in range(spec.steps)]
