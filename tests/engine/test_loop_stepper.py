"""The Loop composite stepped by torch (``engine/loop_stepper.py``), held against torch's
own test cases and against a plain training loop written here.

Torch's cases come from ``test/optim/test_lrscheduler.py`` (pytorch/pytorch, torch 2.x):
``test_swalr_no_anneal``, ``test_swalr_cosine_anneal_after_multiplicative``,
``test_swalr_linear_anneal_after_multiplicative`` and ``test_cosine_then_cyclic``
(pytorch issue #21965). Their optimizer is ``SGD([{conv1}, {conv2, "lr": 0.5}], lr=0.05)``
and their loop steps ``scheduler`` before ``swa_start`` and ``swa_scheduler`` from it on:
a Loop of two epoch entries, ``end = swa_start`` and ``begin = swa_start``.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch.optim import lr_scheduler
from torch.optim.swa_utils import SWALR

from lrscope.engine import evaluate
from tests.helpers.runs import assert_refused_at

TORCH_OPT = {"type": "SGD", "lr": 0.05, "param_groups": [{}, {"lr": 0.5}]}


def groups(spec: dict[str, Any]) -> list[list[float]]:
    return [g["lr"] for g in evaluate({**spec, "max_points": 0})["groups"]]


def swa_run(entries: list[dict[str, Any]], epochs: int) -> dict[str, Any]:
    return {"scheduler": {"type": "Loop", "schedulers": entries}, "optimizer": TORCH_OPT,
            "epochs": epochs}  # fmt: skip


def close(got: list[list[float]], targets: list[list[float]]) -> None:
    """torch's tolerance in these tests: atol 1e-5, rtol 0."""
    for g, t in zip(got, targets, strict=True):
        assert len(g) == len(t)
        assert all(abs(a - b) <= 1e-5 for a, b in zip(g, t, strict=True)), (g, t)


def test_swalr_no_anneal() -> None:
    epochs, swa_start, swa_lr = 10, 5, 0.01
    swa = {"type": "SWALR", "anneal_epochs": 1, "swa_lr": swa_lr}
    got = groups(swa_run([{"scheduler": swa, "interval": "epoch", "begin": swa_start}], epochs))
    targets = [[lr] * (swa_start + 1) + [swa_lr] * (epochs - swa_start - 1) for lr in (0.05, 0.5)]
    close(got, targets)


def _after_multiplicative(anneal_epochs: int, swa_lrs: list[float], coef: Any) -> None:
    epochs, swa_start, mult = 15, 5, 0.9
    swa: dict[str, Any] = {"type": "SWALR", "anneal_epochs": anneal_epochs, "swa_lr": swa_lrs}
    if coef is _linear:
        swa["anneal_strategy"] = "linear"
    got = groups(swa_run([
        {"scheduler": {"type": "MultiplicativeLR", "lr_lambda": "0.9"}, "interval": "epoch",
         "end": swa_start},
        {"scheduler": swa, "interval": "epoch", "begin": swa_start},
    ], epochs))  # fmt: skip
    before = [[lr * mult**i for i in range(swa_start + 1)] for lr in (0.05, 0.5)]
    targets = [
        lrs + [lrs[-1] * coef(t, anneal_epochs) + s * (1 - coef(t, anneal_epochs))
               for t in range(epochs - swa_start - 1)]
        for lrs, s in zip(before, swa_lrs, strict=True)
    ]  # fmt: skip
    close(got, targets)


def _cosine(t: int, n: int) -> float:
    return 0.0 if t + 1 >= n else (1 + math.cos(math.pi * (t + 1) / n)) / 2


def _linear(t: int, n: int) -> float:
    return 0.0 if t + 1 >= n else 1 - (t + 1) / n


def test_swalr_cosine_anneal_after_multiplicative() -> None:
    _after_multiplicative(5, [0.01, 0.01], _cosine)  # "same swa_lr for different param_groups"


def test_swalr_linear_anneal_after_multiplicative() -> None:
    _after_multiplicative(4, [0.01, 0.02], _linear)  # "separate swa_lr for different groups"


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [  # test_swalr_hypers: each argument torch raises ValueError on, refused at its field
        ({"anneal_strategy": "exponential", "swa_lr": 1.0}, "anneal_strategy", "one of"),
        ({"anneal_epochs": -1, "swa_lr": 1.0}, "anneal_epochs", "at least 0"),
        ({"anneal_epochs": 1.7, "swa_lr": 1.0}, "anneal_epochs", "whole number"),
        ({"swa_lr": [1.0, 0.1, 0.01]}, "swa_lr", "param group"),
    ],
)
def test_swalr_hypers(args: dict[str, Any], field: str, words: str) -> None:
    spec = {"scheduler": {"type": "SWALR", **args}, "optimizer": TORCH_OPT, "epochs": 5}
    assert_refused_at(spec, ["scheduler", field], words)


def test_cosine_then_cyclic() -> None:
    # torch: `if i <= lr_scheduler_1.T_max: lr_scheduler_1.step() else: lr_scheduler_2.step()`
    # after optimizer step i, for 40 steps; the rate must stay within CyclicLR's max_lr.
    spec = {"scheduler": {"type": "Loop", "schedulers": [
        {"scheduler": {"type": "CosineAnnealingLR", "T_max": 20, "eta_min": 0.1},
         "interval": "step", "end": 21},
        {"scheduler": {"type": "CyclicLR", "base_lr": 0.1, "max_lr": 0.3, "step_size_up": 1,
                       "step_size_down": 3}, "interval": "step", "begin": 21},
    ]}, "optimizer": {"type": "SGD", "lr": 0.5}, "epochs": 41}  # fmt: skip
    (lr,) = groups(spec)
    assert lr[-1] <= 0.3
    assert lr[0] == 0.5  # torch 2.13's CyclicLR, built second, leaves the rate as it was


def test_entries_are_built_before_step_zero_whatever_their_begin() -> None:
    # SWALR with anneal_epochs=0 jumps to swa_lr when built, and OneCycleLR starts at
    # max_lr / div_factor: both show at step 0 although neither steps before epoch 5.
    swa = {"scheduler": {"type": "SWALR", "swa_lr": 0.007, "anneal_epochs": 0},
           "interval": "epoch", "begin": 5}  # fmt: skip
    assert groups(swa_run([swa], 8))[0][0] == 0.007
    one = {"scheduler": {"type": "OneCycleLR", "max_lr": 1.0, "total_steps": 10},
           "interval": "step", "begin": 5}  # fmt: skip
    assert groups(swa_run([one], 8))[0][0] == pytest.approx(1.0 / 25, abs=1e-15)


@pytest.mark.parametrize(
    "scheduler",
    [
        {"type": "StepLR", "step_size": 3, "gamma": 0.5},
        {"type": "CosineAnnealingLR", "T_max": 12},
        {"type": "SequentialLR", "milestones": [4], "schedulers": [
            {"type": "LinearLR", "start_factor": 0.1, "total_iters": 4},
            {"type": "ExponentialLR", "gamma": 0.9}]},
    ],
)  # fmt: skip
def test_a_loop_of_one_plain_entry_is_the_plain_run(scheduler: dict[str, Any]) -> None:
    for interval in ("epoch", "step"):
        plain = {"scheduler": scheduler, "epochs": 12, "steps_per_epoch": 2, "interval": interval}
        loop = {**plain, "scheduler": {"type": "Loop", "schedulers": [
            {"scheduler": scheduler, "interval": interval}]}}  # fmt: skip
        del loop["interval"]
        assert groups(loop) == groups(plain)  # bit for bit (the plain run may be a replica)


# --- the property: random Loops against a plain loop written out here ---------------------
LEAVES: list[dict[str, Any]] = [
    {"type": "StepLR", "step_size": 2, "gamma": 0.7},
    {"type": "ExponentialLR", "gamma": 0.95},
    {"type": "LinearLR", "start_factor": 0.2, "total_iters": 6},
    {"type": "CosineAnnealingLR", "T_max": 9, "eta_min": 0.001},
    {"type": "MultiStepLR", "milestones": [2, 5], "gamma": 0.5},
    {"type": "SWALR", "swa_lr": 0.02, "anneal_epochs": 3},
    {"type": "SequentialLR", "milestones": [3], "schedulers": [
        {"type": "ConstantLR", "factor": 0.5, "total_iters": 3},
        {"type": "ExponentialLR", "gamma": 0.9}]},
    {"type": "ChainedScheduler", "schedulers": [
        {"type": "ConstantLR", "factor": 0.5, "total_iters": 2},
        {"type": "StepLR", "step_size": 3}]},
    {"type": "ReduceLROnPlateau", "patience": 1, "factor": 0.5},
]  # fmt: skip


def _torch(spec: dict[str, Any], optimizer: torch.optim.Optimizer) -> Any:
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    if "schedulers" in kwargs:  # children first, as a script builds them
        kwargs["schedulers"] = [_torch(c, optimizer) for c in kwargs["schedulers"]]
    if spec["type"] == "ChainedScheduler":
        return lr_scheduler.ChainedScheduler(kwargs["schedulers"], optimizer=optimizer)
    cls = SWALR if spec["type"] == "SWALR" else getattr(lr_scheduler, spec["type"])
    return cls(optimizer, **kwargs)


def by_hand(spec: dict[str, Any]) -> list[float]:
    """The training loop of the contract, written plainly with torch."""
    epochs, per_epoch = spec["epochs"], spec["steps_per_epoch"]
    values = spec["metric"]["values"]
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=0.1, momentum=0.9)
    entries = spec["scheduler"]["schedulers"]
    built = [_torch(e["scheduler"], optimizer) for e in entries]
    history = []
    for epoch in range(epochs):
        for batch in range(per_epoch):
            step = epoch * per_epoch + batch
            history.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            for e, sched in zip(entries, built, strict=True):
                if e["interval"] == "step":
                    _maybe_step(e, sched, step, values)
        for e, sched in zip(entries, built, strict=True):
            if e["interval"] == "epoch":
                _maybe_step(e, sched, epoch, values)
    return history


def _maybe_step(e: dict[str, Any], sched: Any, count: int, values: list[float]) -> None:
    begin, end, every = e.get("begin", 0), e.get("end"), e.get("every", 1)
    if begin <= count and (end is None or count < end) and (count - begin + 1) % every == 0:
        if isinstance(sched, lr_scheduler.ReduceLROnPlateau):
            sched.step(values[count])
        else:
            sched.step()


@st.composite
def loops(draw: st.DrawFn) -> dict[str, Any]:
    epochs, per_epoch = draw(st.integers(2, 8)), draw(st.integers(1, 4))
    entries = []
    for _ in range(draw(st.integers(1, 4))):
        entry: dict[str, Any] = {"scheduler": draw(st.sampled_from(LEAVES)),
                                 "interval": draw(st.sampled_from(["epoch", "step"]))}  # fmt: skip
        horizon = epochs if entry["interval"] == "epoch" else epochs * per_epoch
        if draw(st.booleans()):
            entry["every"] = draw(st.integers(1, 3))
        if draw(st.booleans()):
            entry["begin"] = draw(st.integers(0, horizon))
        if draw(st.booleans()):
            entry["end"] = draw(st.integers(entry.get("begin", 0) + 1, horizon + 2))
        entries.append(entry)
    if draw(st.booleans()):  # make sure a plateau entry is common
        entries.append(
            {"scheduler": LEAVES[-1], "interval": draw(st.sampled_from(["epoch", "step"]))}
        )
    values = draw(st.lists(st.sampled_from([1.0, 0.9, 0.8]), min_size=epochs * per_epoch,
                           max_size=epochs * per_epoch))  # fmt: skip
    return {"scheduler": {"type": "Loop", "schedulers": entries}, "epochs": epochs,
            "steps_per_epoch": per_epoch, "metric": {"values": values}}  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loops())
def test_random_loops_equal_a_plain_loop_bitwise(spec: dict[str, Any]) -> None:
    assert groups(spec)[0] == by_hand(spec)
