"""The pitfall overlays equal the mistakes made for real.

Oracles: accelerate's own ``AcceleratedScheduler`` (``accelerate/scheduler.py``, 1.15) as a
4-process run sees it (``AcceleratorState().num_processes`` = 4, ``split_batches=False``,
its default), which steps the wrapped scheduler once per process per optimizer step and
guards OneCycleLR; a plain torch loop calling ``scheduler.step()`` after every micro-batch;
a cosine built for one epoch's steps.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from lrscope.engine import evaluate

accelerate_scheduler = pytest.importorskip("accelerate.scheduler")

# 64 samples, batch 4, 4 devices (HF): 16 batches, 4 a process; grad_accum 2: 2 updates an
# epoch; 6 epochs: 12 optimizer steps.
SETUP = {"dataset_size": 64, "batch_size": 4, "devices": 4, "grad_accum": 2, "epochs": 6}
TOTAL = 12


def pitfall(spec: dict[str, Any], name: str) -> dict[str, Any]:
    out = evaluate({**spec, "interval": "step", "setup": {**SETUP, "framework": "hf"}})
    assert out["num_steps"] == TOTAL
    (found,) = [p for p in out["setup"]["pitfalls"] if p["name"] == name]
    return found


def build(spec: dict[str, Any]) -> tuple[torch.optim.Optimizer, Any]:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    return optimizer, getattr(torch.optim.lr_scheduler, spec["type"])(optimizer, **kwargs)


def accelerate_loop(
    monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any], processes: int
) -> list[float]:
    monkeypatch.setattr(
        accelerate_scheduler, "AcceleratorState", lambda: SimpleNamespace(num_processes=processes)
    )
    optimizer, scheduler = build(spec)
    optimizer.step_was_skipped = False  # type: ignore[attr-defined]  # AcceleratedOptimizer's
    wrapped = accelerate_scheduler.AcceleratedScheduler(scheduler, optimizer, split_batches=False)
    lrs = []
    for _ in range(TOTAL):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        wrapped.step()
    return lrs


@pytest.mark.parametrize(
    "scheduler",
    [
        {"type": "CosineAnnealingLR", "T_max": TOTAL},
        {"type": "LinearLR", "start_factor": 0.1, "total_iters": TOTAL},
        {"type": "OneCycleLR", "max_lr": 1.0, "total_steps": TOTAL},  # accelerate's guard
    ],
)
def test_per_process_equals_accelerates_prepared_scheduler(
    monkeypatch: pytest.MonkeyPatch, scheduler: dict[str, Any]
) -> None:
    p = pitfall({"scheduler": scheduler, "max_points": 0}, "per_process")
    assert p["factor"] == 4
    assert p["groups"][0]["lr"] == accelerate_loop(monkeypatch, scheduler, 4)


def test_per_micro_batch_equals_stepping_after_every_micro_batch() -> None:
    scheduler = {"type": "CosineAnnealingLR", "T_max": TOTAL}
    p = pitfall({"scheduler": scheduler, "max_points": 0}, "per_micro_batch")
    optimizer, torch_scheduler = build(scheduler)
    lrs = []
    for _ in range(TOTAL):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        for _micro in range(2):
            torch_scheduler.step()  # the mistake: once per micro-batch (grad_accum = 2)
    assert p["groups"][0]["lr"] == lrs


def test_per_epoch_horizon_is_the_schedule_sized_for_one_epoch() -> None:
    """T_max = one epoch's 2 steps instead of 12: the cosine cycles every 2 steps."""
    p = pitfall({"scheduler": {"type": "CosineAnnealingLR", "T_max": TOTAL}}, "per_epoch_horizon")
    optimizer, scheduler = build({"type": "CosineAnnealingLR", "T_max": 2})
    lrs = []
    for _ in range(TOTAL):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert all(
        math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
        for a, b in zip(p["groups"][0]["lr"], lrs, strict=True)
    )


def test_a_decimated_curve_and_its_pitfalls_share_x() -> None:
    out = evaluate(
        {
            "scheduler": {"type": "CosineAnnealingLR", "T_max": 1000},
            "interval": "step",
            "max_points": 50,
            "setup": {"dataset_size": 4000, "batch_size": 4, "devices": 2, "epochs": 2},
        }
    )
    assert out["decimated"]
    for p in out["setup"]["pitfalls"]:
        assert len(p["groups"][0]["lr"]) == len(out["x"])


def test_an_epoch_interval_run_has_no_step_pitfalls() -> None:
    out = evaluate({"scheduler": {"type": "StepLR", "step_size": 2}, "setup": {**SETUP}})
    assert out["setup"]["pitfalls"] == []
