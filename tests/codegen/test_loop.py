"""The exported script of a Loop (``codegen_loop.py``) reproduces /api/schedule's curve bit
for bit when run, and SWALR is imported from torch.optim.swa_utils (its real module)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.engine import evaluate
from tests.codegen.test_script import run_script

WARMUP_PLATEAU = {"type": "Loop", "schedulers": [
    {"scheduler": {"type": "LinearLR", "start_factor": 0.01, "total_iters": 30},
     "interval": "step", "begin": 0, "end": 30},
    {"scheduler": {"type": "ReduceLROnPlateau", "patience": 1, "factor": 0.5},
     "interval": "epoch", "begin": 3}]}  # fmt: skip
SWA = {"type": "Loop", "schedulers": [
    {"scheduler": {"type": "CosineAnnealingLR", "T_max": 15, "eta_min": 0.01},
     "interval": "epoch", "end": 15},
    {"scheduler": {"type": "SWALR", "swa_lr": [0.05, 0.02], "anneal_epochs": 3,
                   "anneal_strategy": "linear"}, "interval": "epoch", "begin": 15}]}  # fmt: skip
MIXED = {"type": "Loop", "schedulers": [
    {"scheduler": {"type": "LambdaLR", "lr_lambda": "min(1, (epoch + 1) / 12)"},
     "interval": "step", "end": 12},
    {"scheduler": {"type": "MultiStepLR", "milestones": [3, 6]}, "interval": "epoch",
     "every": 2, "begin": 1},
    {"scheduler": {"type": "ReduceLROnPlateau", "patience": 0}, "interval": "step", "begin": 20,
     "end": 35, "every": 3},
    {"scheduler": {"type": "SequentialLR", "milestones": [2], "schedulers": [
        {"type": "ConstantLR", "factor": 0.5, "total_iters": 2},
        {"type": "ExponentialLR", "gamma": 0.97}]}, "interval": "epoch", "begin": 6}]}  # fmt: skip
CASES: dict[str, dict[str, Any]] = {
    "warmup then plateau, given metric": {
        "scheduler": WARMUP_PLATEAU, "epochs": 12, "steps_per_epoch": 10,
        "metric": {"values": [1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]}},
    "warmup then plateau, synthetic metric": {
        "scheduler": WARMUP_PLATEAU, "epochs": 12, "steps_per_epoch": 10},
    "SWA, two groups": {
        "scheduler": SWA, "epochs": 25,
        "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9,
                      "param_groups": [{}, {"lr": 0.3}]}},
    "mixed, every, composite": {
        "scheduler": MIXED, "epochs": 10, "steps_per_epoch": 4,
        "optimizer": {"type": "AdamW", "lr": 0.001},
        "metric": {"values": [float(v % 3) for v in range(40)]}},
    "every 4 steps from the start (Lightning's frequency)": {
        "scheduler": {"type": "Loop", "schedulers": [
            {"scheduler": {"type": "StepLR", "step_size": 1, "gamma": 0.9}, "interval": "step",
             "every": 4}]},
        "epochs": 3, "steps_per_epoch": 5},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_exported_loop_reproduces_the_curve_bitwise(name: str) -> None:
    spec = {**CASES[name], "max_points": 0}
    history = run_script(spec)
    curves = evaluate(spec)["groups"]
    assert len(history) == len(curves[0]["lr"])
    for g, group in enumerate(curves):
        assert [step[g] for step in history] == group["lr"]


def test_the_loop_is_written_with_its_ifs(client: TestClient) -> None:
    r = client.post("/api/code", json=CASES["mixed, every, composite"])
    assert r.status_code == 200, r.text
    code = r.json()["code"]
    assert "        if 0 <= step < 12:\n            lambda_lr.step()" in code
    assert "    if 1 <= epoch and (epoch - 1 + 1) % 2 == 0:\n        multi_step_lr.step()" in code
    assert "reduce_lr_on_plateau.step(val_losses[step])" in code
    assert (
        code.index("lambda_lr = ") < code.index("multi_step_lr = ") < code.index("sequential_lr = ")
    )


def test_swalr_is_imported_from_swa_utils(client: TestClient) -> None:
    code = client.post("/api/code", json=CASES["SWA, two groups"]).json()["code"]
    assert "from torch.optim.swa_utils import SWALR\n" in code
    assert "from torch.optim.lr_scheduler import CosineAnnealingLR\n" in code
    spec = {"scheduler": {"type": "SWALR", "swa_lr": 0.05, "anneal_epochs": 4}, "epochs": 9,
            "max_points": 0}  # fmt: skip
    assert [h[0] for h in run_script(spec)] == evaluate(spec)["groups"][0]["lr"]
    code_spec = CASES["SWA, two groups"]
    history = run_script({**code_spec, "max_points": 0})
    assert history[-1] == [0.05, 0.02]
