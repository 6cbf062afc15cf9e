"""A run's ``setup`` in validation: the run length it gives, conflicts, a partial last epoch."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.recipes.hf import hf_scheduler

COS = {"type": "CosineAnnealingLR", "T_max": 12}
# HF: 20 samples in batches of 3 -> 7 batches, accumulations of 3 -> 3 updates an epoch.
HF = {"dataset_size": 20, "batch_size": 3, "grad_accum": 3, "framework": "hf"}


def refused(spec: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(SpecError) as caught:
        evaluate(spec)
    return caught.value.errors


def test_the_setup_gives_epochs_and_steps_per_epoch() -> None:
    out = evaluate({"scheduler": COS, "interval": "step", "setup": {**HF, "epochs": 4}})
    assert out["num_steps"] == 12
    assert out["setup"]["steps_per_epoch"] == 3 and out["setup"]["epochs"] == 4
    assert out["setup"]["micro_batches_per_epoch"] == 7
    assert out["epoch"][3] == 1.0  # epoch boundaries at 3 optimizer steps
    assert set(out["setup"]["how"]) >= {"steps_per_epoch", "epochs", "total_steps"}


def test_agreeing_explicit_counts_are_accepted() -> None:
    spec = {"scheduler": COS, "epochs": 4, "steps_per_epoch": 3, "setup": {**HF, "epochs": 4}}
    assert evaluate(spec)["num_steps"] == 12


def test_disagreeing_explicit_counts_are_a_422_at_each_field() -> None:
    spec = {"scheduler": COS, "epochs": 5, "steps_per_epoch": 7, "setup": {**HF, "epochs": 4}}
    errors = refused(spec)
    assert [(e["loc"], e["code"], e["params"]["resolved"]) for e in errors] == [
        (["epochs"], "setup_conflict", "4"),
        (["steps_per_epoch"], "setup_conflict", "3"),
    ]


def test_a_setup_without_an_optimizer_step_is_a_422_at_setup() -> None:
    setup = {"dataset_size": 5, "batch_size": 8, "drop_last": True, "epochs": 1}
    (e,) = refused({"scheduler": COS, "setup": setup})
    assert (e["loc"], e["code"], e["params"]["batches"]) == (["setup"], "setup_no_step", "0")


def test_the_run_length_checks_see_the_setups_length() -> None:
    setup = {"dataset_size": 10**9, "batch_size": 1, "epochs": 10}
    (e,) = refused({"scheduler": COS, "setup": setup})
    assert e["code"] == "run_too_long" and e["params"]["steps"] == "10,000,000,000"


def hf_loop(warmup: int, total: int) -> list[float]:
    """transformers' own linear schedule stepped once per optimizer step, as Trainer does."""
    transformers = pytest.importorskip("transformers")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    scheduler = transformers.get_scheduler(
        "linear", optimizer, num_warmup_steps=warmup, num_training_steps=total
    )
    lrs = []
    for _ in range(total):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


def test_max_steps_stops_part_way_through_the_last_epoch_as_hf_does() -> None:
    """max_steps = 7 at 3 updates an epoch: 3 epochs begun, the last stopped after 1 step;
    the curve is HF's linear schedule for 7 steps, bit for bit."""
    recipe = hf_scheduler("linear", num_warmup_steps=2, num_training_steps=7, lr_init=0.1)
    out = evaluate(
        {
            "scheduler": recipe.scheduler,
            "interval": "step",
            "setup": {**HF, "max_steps": 7},
            "max_points": 0,
        }
    )
    assert out["num_steps"] == 7 and len(out["x"]) == 7
    assert (out["setup"]["epochs"], out["setup"]["last_epoch_steps"]) == (3, 1)
    assert out["epoch"][-1] == 2.0
    assert out["groups"][0]["lr"] == hf_loop(2, 7)


def test_an_epoch_scheduler_over_a_partial_last_epoch_keeps_one_value_a_step() -> None:
    out = evaluate(
        {
            "scheduler": {"type": "StepLR", "step_size": 1, "gamma": 0.5},
            "interval": "epoch",
            "setup": {**HF, "max_steps": 7},
            "max_points": 0,
        }
    )
    assert out["groups"][0]["lr"] == [0.1] * 3 + [0.05] * 3 + [0.025]


def test_a_plain_loops_leftover_micro_batches_are_warned() -> None:
    out = evaluate({"scheduler": COS, "setup": {**HF, "framework": "torch", "epochs": 2}})
    assert out["setup"]["steps_per_epoch"] == 2
    assert "setup_leftover" in [w["code"] for w in out["warning_details"]]
