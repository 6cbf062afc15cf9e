"""How often torch steps each scheduler (``validation/step_counts.py``), counted without
torch: random trees of SequentialLR and ChainedScheduler, nesting quirks included, against
the ``last_epoch`` torch itself keeps."""

from __future__ import annotations

import warnings
from typing import Any

import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.optim import lr_scheduler

from lrscope.validation.step_counts import Counter, simulate


@st.composite
def trees(draw: st.DrawFn, depth: int = 0, restartable: bool = False) -> tuple:
    kind = (
        "leaf"
        if restartable or depth >= 3
        else draw(st.sampled_from(["leaf", "leaf", "sequential", "chained"]))
    )
    if kind == "leaf":
        return ("leaf", [], [])
    n = draw(st.integers(1, 3))
    kids = [draw(trees(depth + 1, kind == "sequential" and i > 0)) for i in range(n)]
    milestones = sorted(draw(st.sets(st.integers(1, 15), min_size=n - 1, max_size=n - 1))) \
        if kind == "sequential" else []  # fmt: skip
    return (kind, kids, milestones)


def _torch_tree(tree: tuple, opt: torch.optim.Optimizer, leaves: list) -> Any:
    kind, kids, milestones = tree
    if kind == "leaf":
        leaves.append(lr_scheduler.ExponentialLR(opt, 0.9))
        return leaves[-1]
    children = [_torch_tree(k, opt, leaves) for k in kids]
    if kind == "sequential":
        return lr_scheduler.SequentialLR(opt, children, milestones)
    return lr_scheduler.ChainedScheduler(children, opt)


def _counter(tree: tuple) -> Counter:
    kind, kids, milestones = tree
    return Counter(kind, list(milestones), [_counter(k) for k in kids])


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(trees(), st.integers(1, 30))
def test_plan_counts_steps_as_torch_does(tree: tuple, values: int) -> None:
    """Each scheduler's final ``last_epoch``, nesting quirks included, as torch keeps it."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    opt._opt_called = True  # type: ignore[attr-defined]  # as if training had started
    leaves: list[Any] = []
    top = _torch_tree(tree, opt, leaves)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(values - 1):
            top.step()
    counted = [c for c in simulate(_counter(tree), values).walk() if c.kind == "leaf"]
    assert [c.last_epoch for c in counted] == [s.last_epoch for s in leaves]
