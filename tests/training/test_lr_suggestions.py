"""The LR range test's suggestions (``training/lr_suggestions.py``): hand-computed cases
(valley and minimum with fastai's own arithmetic, fastai/callback/schedule.py ``valley``,
``minimum`` and ``lr_find``'s trimming), the published examples of pytorch-lr-finder's
``tests/test_lr_finder.py::test_suggest_lr`` ported, and ``torch.gradient`` as the
reference for the gradient."""

from __future__ import annotations

import random

import pytest
import torch

from lrscope.training.lr_suggestions import (
    Smoother,
    fastai_window,
    gradient,
    minimum,
    steepest,
    suggestions,
    valley,
)


def test_smoother_is_the_bias_corrected_moving_average() -> None:
    s = Smoother(0.5)
    # avg: 0.5 * 0 + 0.5 * 4 = 2 -> 2 / (1 - 0.5) = 4; then 0.5 * 2 + 0.5 * 2 = 2 -> 2 / 0.75
    assert s.add(4.0) == 4.0
    assert s.add(2.0) == pytest.approx(2 / 0.75)
    assert Smoother(0.0).add(3.0) == 3.0  # beta 0: no smoothing


def test_gradient_equals_torch_gradient_for_uneven_spacing() -> None:
    rng = random.Random(3)
    coords = sorted(rng.uniform(-7, 1) for _ in range(30))
    values = [rng.uniform(0, 3) for _ in coords]
    ours = gradient(values, coords)
    (theirs,) = torch.gradient(
        torch.tensor(values, dtype=torch.float64),
        spacing=(torch.tensor(coords, dtype=torch.float64),),
    )
    assert ours == pytest.approx(theirs.tolist(), rel=1e-12, abs=1e-12)


def _exp_lrs(n: int) -> list[float]:
    return [10.0 ** (k - n) for k in range(n)]  # evenly spaced in log10(lr)


@pytest.mark.parametrize(
    ("losses", "expected"),
    [
        # pytorch-lr-finder, tests/test_lr_finder.py::test_suggest_lr (davidtvs/pytorch-lr-finder):
        # np.gradient over the points; with lrs evenly spaced in log lr the same argmin.
        ([10, 8, 4, 1, 4, 16], 2),
        ([1, 0, 1, 2, 3, 4], 0),  # "the first element"
        ([0, 1, 2, 3, 4, 3], 5),  # "the last element"
    ],
)
def test_steepest_ports_pytorch_lr_finders_examples(losses: list[float], expected: int) -> None:
    # Those examples skip nothing; Lightning's default skips (10 first, 1 last) are padded
    # around them: 10 points of a flat start and one point after, which are never chosen.
    lrs = _exp_lrs(10 + len(losses) + 1)
    padded = [float(losses[0])] * 10 + [float(v) for v in losses] + [float(losses[-1])]
    assert steepest(lrs, padded) == 10 + expected


def test_steepest_hand_computed_and_skips() -> None:
    lrs = _exp_lrs(14)
    losses: list[float | None] = [5.0] * 10 + [4.0, 3.0, 0.0, -100.0]
    # kept: points 10..12 (the last is skipped); gradients (per decade): -1, -2, -3
    assert steepest(lrs, losses) == 12
    losses[12] = None  # a non-finite loss is dropped: 10, 11 remain, both -1 -> the first
    assert steepest(lrs, losses) == 10
    assert steepest(lrs[:11], losses[:11]) is None  # fewer than two points left


def test_steepest_is_against_log_lr_not_lr() -> None:
    # Kept points 10, 11, 12 at lr 1, 10, 11 with smoothed losses 3, 2, 1.9 (point 13 is
    # skipped). Against log10(lr) (0, 1, 1.0414): gradients -1, -2.36, -2.42 -> point 12.
    # Against lr itself (Lightning's spacing): -0.111, -0.101, -0.1 -> point 10.
    lrs = [10.0 ** (k - 10) for k in range(10)] + [1.0, 10.0, 11.0, 12.0]
    losses = [3.0] * 10 + [3.0, 2.0, 1.9, 1.0]
    assert steepest(lrs, losses) == 12


def test_valley_hand_computed() -> None:
    # 12 points, steps=12: the window is [12 // 10 : -5] = points 1..6.
    losses = [9.0, 3, 2.5, 2, 1.5, 1, 0.5, 2, 3, 4, 5, 6]
    assert list(fastai_window(losses, 12)) == [1, 2, 3, 4, 5, 6]
    # part = [3, 2.5, 2, 1.5, 1, 0.5]: decreasing all along, lds = 1..6, max_end = 5,
    # max_start = 5 - 6 = -1 (fastai's own arithmetic); sections = 6 / 3 = 2;
    # idx = -1 + 2 + 1 = 2 in the window, point 3 of the curve.
    assert valley(losses, 12) == 3


def test_valley_takes_the_longest_decreasing_run() -> None:
    # steps 5: the window is [0:-5], points 0..9: [4, 3, 5, 4.5, 4, 3.5, 3, 2.5, 6, 7].
    # fastai's lds (longest decreasing chain ending at each point) = [1, 2, 1, 2, 3, 4, 5,
    # 6, 1, 1] (5 > 4.5 > 4 > 3.5 > 3 > 2.5); max_end = 7, max_start = 7 - 6 = 1;
    # sections = 6 / 3 = 2; idx = 1 + 2 + int(1.0) = 4.
    losses = [4.0, 3, 5, 4.5, 4, 3.5, 3, 2.5, 6, 7, 1, 1, 1, 1, 1]
    assert valley(losses, 5) == 4


def test_valley_stops_at_the_first_nan() -> None:
    losses: list[float | None] = [3.0, 2, 1, None, 0.5, 0.1, 9, 9, 9, 9, 9]
    assert list(fastai_window(losses, 5)) == [0, 1, 2]
    # part [3, 2, 1]: lds 1, 2, 3; max_end 2, max_start -1; sections 1; idx -1 + 1 + 0 = 0
    assert valley(losses, 5) == 0


def test_minimum_is_a_tenth_of_the_lowest_points_rate() -> None:
    lrs = _exp_lrs(20)
    losses = [2.0 - 0.1 * k for k in range(12)] + [5.0] * 8
    # window [20 // 10 : -5] = points 2..14; lowest at point 11
    assert minimum(losses, 20) == 11
    found = {s["name"]: s for s in suggestions(lrs, losses, 20)}
    assert found["minimum"]["lr"] == lrs[11] / 10
    assert found["minimum"]["step"] == 11
    assert found["minimum"]["loss"] == losses[11]


def test_suggestions_side_by_side_and_none_when_too_short() -> None:
    lrs = _exp_lrs(40)
    losses = [2.0] * 15 + [2.0 - 0.1 * k for k in range(15)] + [3.0 + k for k in range(10)]
    found = suggestions(lrs, losses, 40)
    assert [s["name"] for s in found] == ["steepest", "valley", "minimum"]
    for s in found:
        assert s["lr"] is not None and lrs[0] / 10 <= s["lr"] <= lrs[-1]
        assert s["loss"] == losses[s["step"]]
    short = suggestions(lrs[:3], losses[:3], 40)
    assert all(s["lr"] is None and s["step"] is None for s in short)
