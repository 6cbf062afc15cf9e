"""The exported script reproduces /api/schedule's curve bit for bit, for every scheduler."""

from __future__ import annotations

import ast
from typing import Any

import pytest
import torch.optim.lr_scheduler as lr_scheduler

from lrscope.catalog import default_catalog
from lrscope.catalog.overlay import EXCLUDED_SCHEDULERS
from lrscope.codegen import render
from lrscope.engine import evaluate
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run
from tests.helpers.specs import SCHEDULERS

# One run per scheduler type in torch's __all__, each exercising something the exporter
# must get right (expressions, per-group lists, metrics, nesting, filled-in values); the
# plain spec of each (tests.helpers.specs) is exported too.
CASES: dict[str, dict[str, Any]] = {
    "LambdaLR": {"scheduler": {"type": "LambdaLR", "lr_lambda": "0.95 ** epoch"}, "epochs": 30},
    "MultiplicativeLR": {
        "scheduler": {"type": "MultiplicativeLR", "lr_lambda": ["0.9", "max(0.5, 1 - epoch / 50)"]},
        "optimizer": {"type": "SGD", "lr": 0.1, "param_groups": [{}, {"lr": 0.05}]},
        "epochs": 30,
    },
    "StepLR": {
        "scheduler": {"type": "StepLR", "step_size": 7, "gamma": 0.1},
        "optimizer": {"type": "SGD", "lr": 0.01, "momentum": 0.9},
        "epochs": 25,
        "steps_per_epoch": 3,
    },
    "MultiStepLR": {"scheduler": {"type": "MultiStepLR", "milestones": [10, 20, 30]}, "epochs": 40},
    "ConstantLR": {
        "scheduler": {"type": "ConstantLR", "factor": 0.5, "total_iters": 4},
        "epochs": 9,
    },
    "LinearLR": {
        "scheduler": {"type": "LinearLR", "start_factor": 0.25, "total_iters": 8},
        "epochs": 12,
    },
    "ExponentialLR": {"scheduler": {"type": "ExponentialLR", "gamma": 0.9}, "epochs": 20},
    "SequentialLR": {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [5],
            "schedulers": [
                {"type": "LinearLR", "start_factor": 0.1, "total_iters": 5},
                {"type": "CosineAnnealingLR", "T_max": 45, "eta_min": 0.001},
            ],
        },
        "optimizer": {"type": "AdamW", "lr": 0.001, "param_groups": [{}, {"lr": 0.01}, {}]},
        "epochs": 50,
    },
    "CosineAnnealingLR": {"scheduler": {"type": "CosineAnnealingLR", "T_max": 20}, "epochs": 30},
    "ChainedScheduler": {
        "scheduler": {
            "type": "ChainedScheduler",
            "schedulers": [
                {"type": "ConstantLR", "factor": 0.1, "total_iters": 3},
                {"type": "ExponentialLR", "gamma": 0.9},
            ],
        },
        "epochs": 10,
    },
    "ReduceLROnPlateau": {
        "scheduler": {"type": "ReduceLROnPlateau", "factor": 0.1, "patience": 5},
        "epochs": 60,
    },
    "CyclicLR": {
        "scheduler": {
            "type": "CyclicLR",
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 20,
            "mode": "exp_range",
            "gamma": 0.99,
        },
        "epochs": 10,
        "steps_per_epoch": 10,
    },
    "CosineAnnealingWarmRestarts": {
        "scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 5, "T_mult": 2},
        "epochs": 40,
    },
    "OneCycleLR": {
        "scheduler": {"type": "OneCycleLR", "max_lr": [0.1, 0.05]},
        "optimizer": {"type": "Adam", "lr": 0.001, "param_groups": [{}, {}]},
        "epochs": 6,
        "steps_per_epoch": 7,
    },
    "PolynomialLR": {
        "scheduler": {"type": "PolynomialLR", "total_iters": 10, "power": 2},
        "epochs": 15,
    },
}


def run_script(spec: dict[str, Any]) -> list[list[float]]:
    run = RunSpec.model_validate(spec)
    code = render(run, resolve_run(run, default_catalog(), Limits()))
    ast.parse(code)  # readable Python, not just exec-able
    namespace: dict[str, Any] = {"__name__": "generated"}
    exec(compile(code, "<lrscope export>", "exec"), namespace)
    return namespace["history"]  # type: ignore[no-any-return]


def test_cases_cover_every_torch_scheduler() -> None:
    expected = set(lr_scheduler.__all__) - set(EXCLUDED_SCHEDULERS)
    assert set(CASES) == set(SCHEDULERS) == expected


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_exported_code_reproduces_each_plain_spec_bitwise(name: str) -> None:
    spec = {"scheduler": SCHEDULERS[name], "epochs": 20, "steps_per_epoch": 2, "max_points": 0}
    assert [step[0] for step in run_script(spec)] == evaluate(spec)["groups"][0]["lr"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_exported_code_reproduces_curve_bitwise(name: str) -> None:
    spec = {**CASES[name], "max_points": 0}
    history = run_script(spec)
    curves = evaluate(spec)["groups"]
    assert len(history) == len(curves[0]["lr"])
    for g, group in enumerate(curves):
        assert [step[g] for step in history] == group["lr"]


def test_a_pasted_recipe_lambda_with_math_is_exported_runnable() -> None:
    warmup_cosine = (
        "lambda current_step: float(current_step) / float(max(1, 50)) if current_step < 50 "
        "else max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(current_step - 50) / 450)))"
    )
    spec = {
        "scheduler": {"type": "LambdaLR", "lr_lambda": warmup_cosine},
        "epochs": 5,
        "steps_per_epoch": 100,
        "interval": "step",
        "max_points": 0,
    }
    run = RunSpec.model_validate(spec)
    code = render(run, resolve_run(run, default_catalog(), Limits()))
    assert "import math" in code and "lambda current_step: float(current_step)" in code
    assert [step[0] for step in run_script(spec)] == evaluate(spec)["groups"][0]["lr"]


def test_given_metric_values_are_embedded() -> None:
    values = [1.0, 0.9, 0.9, 0.9, 0.9, 0.85, 0.85, 0.5, 0.4]
    spec = {
        "scheduler": {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 1},
        "optimizer": {"type": "SGD", "lr": 1.0},
        "metric": {"values": values},
        "epochs": 10,
        "max_points": 0,
    }
    history = run_script(spec)
    assert [h[0] for h in history] == evaluate(spec)["groups"][0]["lr"]
    assert [h[0] for h in history][-1] < 1.0  # the plateau did reduce the rate


def test_per_step_interval_steps_inside_the_batch_loop() -> None:
    run = RunSpec.model_validate(CASES["OneCycleLR"])
    code = render(run, resolve_run(run, default_catalog(), Limits()))
    step_line = next(
        line for line in code.splitlines() if line.strip().startswith("scheduler.step(")
    )
    assert step_line.startswith(" " * 8)  # inside `for batch`, not after it
    assert "total_steps=42" in code  # filled from the run length, made explicit


@pytest.mark.parametrize("interval", ["step", "epoch"])
def test_exported_code_stops_where_a_setups_max_steps_does(interval: str) -> None:
    """HF max_steps = 7 at 3 updates an epoch: the script stops 1 step into epoch 3."""
    setup = {"dataset_size": 20, "batch_size": 3, "grad_accum": 3, "max_steps": 7}
    scheduler = {"type": "StepLR", "step_size": 2, "gamma": 0.5}
    spec = {"scheduler": scheduler, "interval": interval, "max_points": 0}
    spec["setup"] = {**setup, "framework": "hf"}
    history = [step[0] for step in run_script(spec)]
    assert len(history) == 7
    assert history == evaluate(spec)["groups"][0]["lr"]
