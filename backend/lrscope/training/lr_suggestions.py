"""An LR range test's loss curve -> the learning rates people are told to pick from it.

Pure functions of the recorded rates and smoothed losses (the ``step`` events' ``lr`` and
``smoothed_loss``), each as its library computes it:

- ``steepest``: where the smoothed loss falls fastest against log lr, skipping the first
  10 points and the last one (Lightning's ``_LRFinder.suggestion(skip_begin=10,
  skip_end=1)``, non-finite losses dropped). Lightning takes the gradient against lr itself,
  pytorch-lr-finder against the point index; lrscope takes it against log10(lr), which for
  an exponential sweep is pytorch-lr-finder's (evenly spaced) and, unlike lr itself, does
  not favour the crowded low end of a log-x chart.
- ``valley``: fastai's default (``fastai.callback.schedule.valley``): the longest run of
  decreasing losses (a longest decreasing subsequence), then the point 1/2 of the way into
  it (``start + int(len / 3) + int(len / 6)``), on the curve trimmed as ``lr_find`` trims
  it (the first ``steps // 10`` and the last 5 points dropped, cut at the first NaN).
- ``minimum``: fastai's ``minimum``: a tenth of the rate where the smoothed loss is lowest
  (same trimming).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

STEEPEST_SKIP_BEGIN, STEEPEST_SKIP_END = 10, 1  # Lightning's suggestion() defaults

Suggestion = dict[str, Any]


class Smoother:
    """The bias-corrected exponential moving average of fastai's ``AvgSmoothLoss`` and
    Lightning's ``_LRCallback``: ``avg = beta * avg + (1 - beta) * loss``, shown as
    ``avg / (1 - beta ** n)`` after ``n`` losses."""

    def __init__(self, beta: float) -> None:
        self.beta = beta
        self.avg = 0.0
        self.count = 0

    def add(self, loss: float) -> float:
        self.count += 1
        self.avg = self.beta * self.avg + (1 - self.beta) * loss
        return self.avg / (1 - self.beta**self.count)


def gradient(values: Sequence[float], coords: Sequence[float]) -> list[float]:
    """d values / d coords as ``numpy.gradient`` and ``torch.gradient`` compute it: second
    order central differences inside (for uneven spacing too), first order at the edges."""
    n = len(values)
    if n < 2:
        return []
    out = [(values[1] - values[0]) / (coords[1] - coords[0])]
    for i in range(1, n - 1):
        h1, h2 = coords[i] - coords[i - 1], coords[i + 1] - coords[i]
        out.append(
            (h1**2 * values[i + 1] + (h2**2 - h1**2) * values[i] - h2**2 * values[i - 1])
            / (h1 * h2 * (h1 + h2))
        )
    out.append((values[-1] - values[-2]) / (coords[-1] - coords[-2]))
    return out


def _floats(losses: Sequence[float | None]) -> list[float]:
    """The losses with a missing (non-finite, sent as null) one as NaN."""
    return [math.nan if v is None else float(v) for v in losses]


def steepest(lrs: Sequence[float], losses: Sequence[float | None]) -> int | None:
    """The index of the steepest descent of ``losses`` against log10(lr), or None."""
    values = _floats(losses)
    end = len(values) - STEEPEST_SKIP_END
    kept = [i for i in range(STEEPEST_SKIP_BEGIN, end) if math.isfinite(values[i])]
    if len(kept) < 2:
        return None
    grads = gradient([values[i] for i in kept], [math.log10(lrs[i]) for i in kept])
    return kept[min(range(len(grads)), key=grads.__getitem__)]


def fastai_window(losses: Sequence[float | None], steps: int) -> range:
    """The indices fastai's ``lr_find`` keeps: ``[steps // 10 : -5]``, cut at the first NaN."""
    window = range(len(losses))[steps // 10 : -5]
    values = _floats(losses)
    for i in window:
        if math.isnan(values[i]):
            return range(window.start, i)
    return window


def valley(losses: Sequence[float | None], steps: int) -> int | None:
    """fastai's ``valley``: the index into ``losses`` it picks, or None."""
    window = fastai_window(losses, steps)
    values = _floats(losses)
    part = [values[i] for i in window]
    n = len(part)
    if n == 0:
        return None
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(i):
            if part[i] < part[j] and lds[i] < lds[j] + 1:
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    return window.start + max_start + int(sections) + int(sections / 2)


def minimum(losses: Sequence[float | None], steps: int) -> int | None:
    """The index of the lowest loss in fastai's window (``minimum`` suggests its lr / 10)."""
    window = fastai_window(losses, steps)
    values = _floats(losses)
    finite = [i for i in window if math.isfinite(values[i])]
    if not finite:
        return None
    return min(finite, key=values.__getitem__)


def suggestions(
    lrs: Sequence[float], losses: Sequence[float | None], steps: int
) -> list[Suggestion]:
    """The three suggestions side by side, each ``{"name", "lr", "step", "loss"}`` (``step``
    is the point it marks; ``minimum``'s ``lr`` is that point's rate / 10); ``lr``, ``step``
    and ``loss`` are None when the curve is too short for it."""
    out: list[Suggestion] = []
    for name, index in (
        ("steepest", steepest(lrs, losses)),
        ("valley", valley(losses, steps)),
        ("minimum", minimum(losses, steps)),
    ):
        if index is None:
            out.append({"name": name, "lr": None, "step": None, "loss": None})
            continue
        lr = lrs[index] / 10 if name == "minimum" else lrs[index]
        out.append({"name": name, "lr": lr, "step": index, "loss": losses[index]})
    return out
