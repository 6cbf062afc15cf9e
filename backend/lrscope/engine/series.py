"""From scheduler values to the response's series: one point per optimizer step, checked
for non-finite values, and decimated to the display budget keeping every extreme."""

from __future__ import annotations

import math

import numpy as np

from lrscope.errors import SpecError, error
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
        arr = np.repeat(arr, run.steps_per_epoch)
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


def check_finite(values: np.ndarray, what: str, warnings: list[str]) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        raise SpecError(
            [
                error(
                    ("scheduler",),
                    f"the {what} becomes {values[i]} at step {i}; "
                    "check the expression or arguments",
                )
            ]
        )
    if (values < 0).any() and what == "learning rate":
        i = int(np.argmax(values < 0))
        warnings.append(
            f"The learning rate is negative ({values[i]:.6g}) from step {i}: an "
            "optimizer would climb the loss instead of descending it."
        )
