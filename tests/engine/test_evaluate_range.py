"""``evaluate`` with ``range``: the window is the run's own points there, as torch steps
them, at full resolution (decimated only within the window)."""

from __future__ import annotations

from typing import Any

import torch
from torch.optim import lr_scheduler

from lrscope.engine import evaluate


def torch_lrs(make: Any, steps: int) -> list[float]:
    """Step torch's own scheduler in a plain loop (the torch docs' pattern)."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


def test_the_issue_window_shows_every_step_torch_takes_there() -> None:
    # Issue 8 §5: 300,000 steps drew 998 points; 36,990-37,010 must be real steps.
    spec = {"scheduler": {"type": "OneCycleLR", "max_lr": 0.1}, "epochs": 300_000}
    whole = evaluate(spec)
    assert whole["decimated"] and not set(range(36_990, 37_010)) <= set(whole["x"])
    out = evaluate({**spec, "range": {"start": 36_990, "stop": 37_010}})
    assert out["x"] == list(range(36_990, 37_010)) and not out["decimated"]
    expected = torch_lrs(lambda o: lr_scheduler.OneCycleLR(o, 0.1, total_steps=300_000), 37_010)
    assert out["groups"][0]["lr"] == expected[36_990:]


def test_a_window_is_the_slice_of_every_point() -> None:
    spec = {
        "scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 7, "T_mult": 2},
        "epochs": 300,
        "steps_per_epoch": 3,
    }
    every = evaluate({**spec, "max_points": 0})
    out = evaluate({**spec, "range": {"start": 100, "stop": 400}})
    assert out["x"] == every["x"][100:400] and out["epoch"] == every["epoch"][100:400]
    assert out["groups"] == [{k: v[100:400] for k, v in g.items()} for g in every["groups"]]


def test_a_wide_window_is_decimated_within_itself() -> None:
    spec = {"scheduler": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1}, "epochs": 50_000}
    out = evaluate({**spec, "max_points": 500, "range": {"start": 10_000, "stop": 30_000}})
    assert out["decimated"] and len(out["x"]) <= 500
    assert out["x"][0] == 10_000 and out["x"][-1] == 29_999
    every = evaluate({**spec, "max_points": 0})["groups"][0]["lr"]
    assert out["groups"][0]["lr"] == [every[i] for i in out["x"]]


def test_plateau_metric_and_a_loop_follow_the_window() -> None:
    plateau = {
        "scheduler": {"type": "ReduceLROnPlateau", "patience": 1},
        "epochs": 12,
        "metric": {"values": [1.0] * 12},
    }
    every = evaluate(plateau)
    out = evaluate({**plateau, "range": {"start": 4, "stop": 12}})
    assert (
        out["metric"] == every["metric"][4:]
        and out["groups"][0]["lr"] == every["groups"][0]["lr"][4:]
    )
    loop = {
        "scheduler": {
            "type": "Loop",
            "schedulers": [{"scheduler": {"type": "StepLR", "step_size": 2}, "interval": "epoch"}],
        },
        "epochs": 10,
        "steps_per_epoch": 2,
    }
    assert (
        evaluate({**loop, "range": {"start": 3, "stop": 9}})["groups"][0]["lr"]
        == (evaluate(loop)["groups"][0]["lr"][3:9])
    )
