"""``"interval": "fractional"``: ``scheduler.step(e + i / steps_per_epoch)`` after each step.

Targets are torch's own, from pytorch/pytorch ``test/optim/test_lrscheduler.py``:
``test_CosineAnnealingWarmRestarts_lr2`` steps CWR at epochs 0, 0.1, ..., 29.9 (torch's
optimizer: ``SGD([{conv1}, {conv2, "lr": 0.5}], lr=0.05)``) and reads the lr after each
call; with ten steps an epoch that is point ``k + 1`` of our curve.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

from lrscope.catalog import default_catalog
from lrscope.codegen import render
from lrscope.engine import evaluate
from lrscope.engine.fractional import fractional_epoch
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run

OPT = {"type": "SGD", "lr": 0.05, "param_groups": [{}, {"lr": 0.5}]}


def _torch_lr2_targets(t_mult: int, iters: int = 30, eta_min: float = 1e-10) -> list[list[float]]:
    """torch's test_CosineAnnealingWarmRestarts_lr2 targets, as that test builds them."""
    t_i, t_cur = 10, 0.0
    targets: list[list[float]] = [[0.05], [0.5]]
    for _ in torch.arange(0.1, iters, 0.1):
        t_cur = round(t_cur + 0.1, 1)
        if t_cur >= t_i:
            t_cur = t_cur - t_i
            t_i = int(t_mult) * t_i
        for g, base in enumerate((0.05, 0.5)):
            targets[g].append(
                eta_min + (base - eta_min) * (1 + math.cos(math.pi * t_cur / t_i)) / 2
            )
    return targets


def _spec(t_mult: int, **kw: Any) -> dict[str, Any]:
    sched = {"type": "CosineAnnealingWarmRestarts", "T_0": 10, "T_mult": t_mult, "eta_min": 1e-10}
    return {"scheduler": sched, "optimizer": OPT, "epochs": 3, "steps_per_epoch": 10,
            "interval": "fractional", "max_points": 0, **kw}  # fmt: skip


def test_the_epoch_is_torchs_expression() -> None:
    assert [fractional_epoch(k, 4) for k in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]
    assert fractional_epoch(13, 10) == 1 + 3 / 10


@pytest.mark.parametrize("t_mult", [1, 2, 4])
def test_torchs_fractional_warm_restarts_reproduce(t_mult: int) -> None:
    out = evaluate(_spec(t_mult, epochs=30))
    targets = _torch_lr2_targets(t_mult)
    for group, target in zip(out["groups"], targets, strict=True):
        assert len(group["lr"]) == 300
        # point k + 1 is the lr after step(k / 10); point 0 is the initial lr
        assert group["lr"][0] == target[0]
        assert group["lr"][1:] == pytest.approx(target[:299], abs=1e-5)  # torch's tolerance


def test_one_step_an_epoch_trails_epoch_interval_by_one() -> None:
    base = {"scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 3}, "epochs": 12}
    per_epoch = evaluate({**base, "interval": "epoch"})["groups"][0]["lr"]
    fractional = evaluate({**base, "interval": "fractional"})["groups"][0]["lr"]
    assert fractional[0] == per_epoch[0]
    assert fractional[1:] == per_epoch[:-1]


def test_curve_equals_a_hand_written_loop_bitwise() -> None:
    """The docstring example of CosineAnnealingWarmRestarts.step, run here by hand."""
    params = [torch.zeros(2, 2, requires_grad=True)]
    opt = torch.optim.SGD(params, lr=0.1, momentum=0.9)
    sched = CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.001)
    iters, lrs = 7, []
    for epoch in range(5):
        for i in range(iters):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step(epoch + i / iters)
    sched = {"type": "CosineAnnealingWarmRestarts", "T_0": 2, "T_mult": 2, "eta_min": 0.001}
    spec = {"scheduler": sched, "epochs": 5, "steps_per_epoch": iters, "interval": "fractional",
            "max_points": 0}  # fmt: skip
    assert evaluate(spec)["groups"][0]["lr"] == lrs


def test_exported_code_reproduces_fractional_bitwise() -> None:
    spec = _spec(2, steps_per_epoch=7)
    run = RunSpec.model_validate(spec)
    code = render(run, resolve_run(run, default_catalog(), Limits()))
    assert "scheduler.step(epoch + batch / STEPS_PER_EPOCH)" in code
    namespace: dict[str, Any] = {"__name__": "generated"}
    exec(compile(code, "<lrscope export>", "exec"), namespace)
    curves = evaluate(spec)["groups"]
    for g, group in enumerate(curves):
        assert [step[g] for step in namespace["history"]] == group["lr"]
