"""Every remedy of the over-fitting lesson helps on the demo task, on the default curve.

The lesson (issue 9): on the ``overfit`` task with the page's default curve, StepLR(30)
with SGD lr 0.1 and momentum 0.9 for 100 epochs, each remedy (L2 weight decay, L1,
dropout up to 0.5, early stopping, input noise as data augmentation) trains without
diverging and ends with a lower validation loss than the same run without it. The seeds
are fixed, so this is a real comparison and not a flaky one: the numbers are the same on
every run of the suite (the run's generator owns every random draw).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from lrscope.catalog import default_catalog
from lrscope.settings import Limits
from lrscope.training.divergence import diverged
from lrscope.training.loop import run_to_end
from lrscope.training.spec import parse_train_spec, resolve_train

SEEDS = (0, 1, 2)
REMEDIES: dict[str, dict[str, Any]] = {
    "weight decay (L2)": {"weight_decay": 3e-3},
    "L1": {"l1": 3e-4},
    "dropout 0.2": {"dropout": 0.2},
    "dropout 0.5": {"dropout": 0.5},
    "early stopping": {"early_stopping": {"patience": 10}},
    "input noise": {"input_noise": 0.2},
}


def _demo(seed: int, regularization: dict[str, Any]) -> dict[str, Any]:
    spec = {
        "scheduler": {"type": "StepLR", "step_size": 30, "gamma": 0.1},
        "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9},
        "task": {"name": "overfit"},
        "epochs": 100,
        "seed": seed,
        "regularization": regularization,
    }
    return resolve_train(parse_train_spec(spec), default_catalog(), Limits())


def _final_val_loss(events: list[dict[str, Any]]) -> float:
    """The validation loss the run ends with: its best one when early stopping ended it
    (the weights to keep), else the last epoch's."""
    done = events[-1]
    assert done["status"] in ("completed", "early_stopped"), done
    if done["status"] == "early_stopped":
        return float(done["best_val_loss"])
    return float([e for e in events if e["type"] == "metrics"][-1]["val_loss"])


@pytest.fixture(scope="module")
def baseline() -> dict[int, list[dict[str, Any]]]:
    return {seed: run_to_end(_demo(seed, {})) for seed in SEEDS}


def test_the_demo_over_fits(baseline: dict[int, list[dict[str, Any]]]) -> None:
    """Without a remedy the validation loss ends well above its best: over-fitting."""
    for seed, events in baseline.items():
        metrics = [e for e in events if e["type"] == "metrics"]
        best = min(e["val_loss"] for e in metrics)
        assert metrics[-1]["val_loss"] > 1.1 * best, seed
        assert metrics[-1]["train_loss"] < metrics[-1]["val_loss"], seed


@pytest.mark.parametrize("name", REMEDIES)
def test_each_remedy_lowers_the_final_validation_loss(
    name: str, baseline: dict[int, list[dict[str, Any]]]
) -> None:
    for seed in SEEDS:
        events = run_to_end(_demo(seed, REMEDIES[name]))
        assert _final_val_loss(events) < _final_val_loss(baseline[seed]), (name, seed)


def test_a_diverging_run_says_why_and_what_to_try() -> None:
    plan = _demo(1, {"dropout": 0.5})
    events = run_to_end(
        resolve_train(
            parse_train_spec({**plan.spec.model_dump(), "optimizer": {"type": "SGD", "lr": 50}}),
            default_catalog(),
            Limits(),
        )
    )
    done = events[-1]
    assert done["status"] == "failed" and done["reason"] == "diverged"
    assert done["code"] in ("diverged_train_loss", "diverged_val_loss")
    assert done["params"]["lr"] == "50" and done["params"]["smaller"] == "17"
    assert "dropout 0.5" in done["params"]["setting"]
    assert "the learning rate 50 is too high" in done["error"] and "try 17" in done["error"]
    json.dumps(events, allow_nan=False)


def test_the_divergence_message_names_the_step_and_the_remedies() -> None:
    plan = _demo(0, {"dropout": 0.5, "weight_decay": 1e-3})
    why = diverged(plan, float("nan"), 0.1, step=104)
    assert why["code"] == "diverged_train_loss"
    assert why["error"] == (
        "the training loss became nan at step 104: the learning rate 0.1 is too high for "
        "this run (SGD, weight_decay 0.001, dropout 0.5); try 0.033, or a warmup"
    )
