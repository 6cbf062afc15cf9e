"""The predicted curve and the common mistakes as alternative predictions.

Alignment: a logged value at step ``s`` is compared with point ``s`` of the predicted curve,
the rate the optimizer uses for 0-based optimizer step ``s`` (HF logs ``get_last_lr()``
after ``s`` optimizer and scheduler steps; Lightning's ``LearningRateMonitor`` logs the
rate at the start of batch ``s``: both are that point). Each mistake maps a logged step to
the point the run really used, or swaps the curve:

- ``scheduler_too_fast`` (k): ``scheduler.step()`` ran k times per optimizer step: once
  per process on k devices (accelerate), or once per micro-batch with gradient
  accumulation k. The run used point ``k * s``.
- ``scheduler_too_slow`` (k): it ran once every k optimizer steps: point ``s // k``.
- ``off_by_one`` (+1 / -1): the log is read on the other side of ``scheduler.step()``.
- ``warmup_missing``: the spec's warm-up (the first child of a SequentialLR) never ran.
- ``restarted`` (at r): the run resumed after step r with a new scheduler that did not
  load its ``state_dict``, so after r the run used point ``s - r``.

Points past the spec's run come from the same spec evaluated longer, used only when its
first points equal the spec's own (a length-dependent default would change them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lrscope.catalog import Catalog
from lrscope.engine import exact_curves
from lrscope.engine.series import per_step
from lrscope.errors import SpecError, error
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run

FACTORS = (2, 3, 4, 8, 16)
WARMUP_TYPES = ("LinearLR", "ConstantLR", "LambdaLR")
Index = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Prediction:
    cause: str
    params: dict[str, str]
    curve: np.ndarray
    index: Index = field(default=lambda s: s)


def curve_of(spec: RunSpec, catalog: Catalog, limits: Limits, group: int) -> np.ndarray:
    run = resolve_run(spec, catalog, limits)
    lr = exact_curves(run).lr
    if not 0 <= group < len(lr):
        raise SpecError([error(("group",), "log_group_missing", group=str(group),
                               groups=str(len(lr)))])  # fmt: skip
    return per_step(lr[group], run)


def extended(
    spec: RunSpec,
    base: np.ndarray,
    last_step: int,
    catalog: Catalog,
    limits: Limits,
    group: int,
    factors: tuple[int, ...] = FACTORS,
) -> np.ndarray:
    """The spec's curve run on far enough for the fastest mistake that it allows (a
    OneCycleLR cannot run past total_steps), where that keeps its first points."""
    per_epoch = spec.steps_per_epoch
    for k in sorted(factors, reverse=True):
        epochs = min(
            math.ceil((k * last_step + 1) / per_epoch), limits.max_total_steps // per_epoch
        )
        if epochs <= spec.epochs:
            return base
        try:
            longer = curve_of(spec.model_copy(update={"epochs": epochs}), catalog, limits, group)
        except SpecError:
            continue
        return longer if np.array_equal(longer[: len(base)], base) else base
    return base


def without_warmup(spec: RunSpec) -> RunSpec | None:
    """The spec with its SequentialLR's first child (a warm-up) taken out."""
    sched: dict[str, Any] = spec.model_dump()["scheduler"]
    children = sched.get("schedulers") or []
    if sched.get("type") != "SequentialLR" or len(children) < 2:
        return None
    if children[0].get("type") not in WARMUP_TYPES:
        return None
    first, rest = sched["milestones"][0], sched["milestones"][1:]
    if len(children) == 2:
        new = children[1]
    else:
        new = {**sched, "schedulers": children[1:], "milestones": [m - first for m in rest]}
    try:
        return RunSpec.model_validate({**spec.model_dump(), "scheduler": new})
    except ValueError:
        return None


def _fast(k: int) -> Index:
    return lambda s: s * k


def _slow(k: int) -> Index:
    return lambda s: s // k


def _shift(d: int) -> Index:
    return lambda s: s + d


def _restart(r: int) -> Index:
    return lambda s: np.where(s <= r, s, s - r)


def restarted(curve: np.ndarray, r: int) -> Prediction:
    return Prediction("restarted", {"step": str(r)}, curve, _restart(r))


def alternatives(curve: np.ndarray) -> list[Prediction]:
    out = [Prediction("scheduler_too_fast", {"factor": str(k)}, curve, _fast(k)) for k in FACTORS]
    out += [Prediction("scheduler_too_slow", {"factor": str(k)}, curve, _slow(k)) for k in FACTORS]
    out += [Prediction("off_by_one", {"shift": f"{d:+d}"}, curve, _shift(d)) for d in (1, -1)]
    return out
