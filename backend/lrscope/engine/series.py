"""From scheduler values to the response's series: one point per optimizer step, checked
for non-finite values, and decimated to the display budget keeping every extreme."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lrscope.errors import SpecError, error
from lrscope.messages import message
from lrscope.validation import ResolvedRun


def metric_series(run: ResolvedRun) -> np.ndarray | None:
    """ReduceLROnPlateau's metric per training step: the value passed to scheduler.step() at
    the end of that step's epoch (or step), so a drop in the rate follows the values that
    caused it. NaN where none is passed (the last epoch or step)."""
    if not run.metric:
        return None
    values = np.full(run.scheduler_values, np.nan)
    values[: len(run.metric)] = run.metric[: run.scheduler_values]
    return per_step(values, run)


def per_step(values: list[float] | np.ndarray, run: ResolvedRun) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if run.interval == "epoch" and run.steps_per_epoch > 1:
        arr = np.repeat(arr, run.steps_per_epoch)[: run.num_steps]  # a setup may stop part way
    return arr


def decimate(series: list[np.ndarray], max_points: int) -> np.ndarray | None:
    """Indices that keep each bucket's min and max of every series (plus both ends).

    Returns None when every point fits. The union over series stays within max_points.
    """
    n = len(series[0])
    if max_points == 0 or n <= max_points:
        return None
    buckets = max(1, (max_points - 2) // (2 * len(series)))
    size = math.ceil(n / buckets)
    pad = buckets * size - n
    keep = [np.array([0, n - 1])]
    offsets = np.arange(buckets) * size
    for s in series:
        padded = np.concatenate([s, np.full(pad, s[-1])]) if pad else s
        grid = padded.reshape(buckets, size)
        for pick in (grid.argmin(axis=1), grid.argmax(axis=1)):
            keep.append(np.minimum(offsets + pick, n - 1))
    return np.unique(np.concatenate(keep))


def check_finite(lrs: np.ndarray, warnings: list[dict[str, Any]]) -> None:
    """Refuse a learning-rate curve that is not finite; warn when it goes negative."""
    bad = ~np.isfinite(lrs)
    if bad.any():
        i = int(np.argmax(bad))
        raise SpecError([error(("scheduler",), "lr_not_finite", value=str(lrs[i]), step=str(i))])
    if (lrs < 0).any():
        i = int(np.argmax(lrs < 0))
        warnings.append(message("negative_lr", value=f"{lrs[i]:.6g}", step=str(i)))
