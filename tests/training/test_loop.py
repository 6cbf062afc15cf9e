"""The training loop: deterministic, well-formed events, rates equal to /api/schedule's."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.settings import Limits
from lrscope.training import loop
from lrscope.training.loop import run_to_end, train
from lrscope.training.spec import TrainingPlan, parse_train_spec, resolve_train

SMALL = {"task": {"name": "moons", "train_size": 64, "val_size": 64}, "batch_size": 16}


def plan(**spec: Any) -> TrainingPlan:
    return resolve_train(parse_train_spec({**SMALL, **spec}), default_catalog(), Limits())


def events_of(kind: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def test_same_spec_and_seed_give_the_same_numbers() -> None:
    spec = {
        "scheduler": {"type": "StepLR", "step_size": 2},
        "epochs": 4,
        "regularization": {"dropout": 0.2, "input_noise": 0.1, "l1": 1e-4},
    }
    first = run_to_end(plan(**spec))
    assert run_to_end(plan(**spec)) == first
    assert run_to_end(plan(**spec, seed=1)) != first


def test_events_are_well_formed() -> None:
    p = plan(scheduler={"type": "CosineAnnealingLR", "T_max": 3}, epochs=3, log_every=2)
    events = run_to_end(p)
    assert events[0]["type"] == "start" and events[-1]["type"] == "done"
    assert events[0]["num_steps"] == 12 and events[0]["steps_per_epoch"] == 4
    metrics = events_of("metrics", events)
    best = min(metrics, key=lambda m: m["val_loss"])  # the epoch with the lowest val loss
    assert events[-1] == {
        "type": "done",
        "status": "completed",
        "reason": None,
        "epochs_run": 3,
        "steps_run": 12,
        "best_epoch": best["epoch"],
        "best_val_loss": best["val_loss"],
    }
    json.dumps(events, allow_nan=False)  # JSON as it is streamed
    assert [m["epoch"] for m in metrics] == [1, 2, 3]
    assert [m["step"] for m in metrics] == [3, 7, 11]
    for m in metrics:
        assert set(m) == {
            "type",
            "epoch",
            "step",
            "lr",
            "momentum",
            "train_loss",
            "val_loss",
            "val_accuracy",
        }
        assert len(m["lr"]) == 1 and m["momentum"] == [0.9]
        assert 0 <= m["val_accuracy"] <= 1
    steps = events_of("step", events)
    assert [s["step"] for s in steps] == [1, 3, 5, 7, 9, 11]
    assert steps[0]["epoch"] == 0.5


def test_regression_reports_no_accuracy() -> None:
    events = run_to_end(
        plan(
            task={"name": "sine", "train_size": 32},
            epochs=2,
            scheduler={"type": "ExponentialLR", "gamma": 0.5},
        )
    )
    assert all(m["val_accuracy"] is None for m in events_of("metrics", events))


RATE_CASES = [
    {"scheduler": {"type": "StepLR", "step_size": 2, "gamma": 0.5}},
    {"scheduler": {"type": "OneCycleLR", "max_lr": 0.3}},
    {"scheduler": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5}},
    {"scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 3}, "interval": "step"},
    {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [2],
            "schedulers": [
                {"type": "LinearLR", "start_factor": 0.1, "total_iters": 2},
                {"type": "CosineAnnealingLR", "T_max": 4},
            ],
        }
    },
    {
        "scheduler": {"type": "LambdaLR", "lr_lambda": "0.9 ** epoch"},
        "optimizer": {"type": "AdamW", "lr": 0.01, "param_groups": [{"lr": 0.02}, {}]},
    },
    {
        "scheduler": {"type": "OneCycleLR", "max_lr": [0.2, 0.1]},
        "optimizer": {"type": "Adam", "lr": 0.01, "param_groups": [{}, {}]},
    },
    {  # scheduler.step(epoch + batch / steps_per_epoch) after every batch
        "scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 2, "T_mult": 2},
        "interval": "fractional",
    },
]


@pytest.mark.parametrize("case", RATE_CASES, ids=lambda c: c["scheduler"]["type"])
def test_rates_equal_api_schedule_bit_for_bit(case: dict[str, Any]) -> None:
    p = plan(**case, epochs=6, log_every=1)
    events = run_to_end(p)
    assert events[-1]["status"] == "completed"
    curve = evaluate({**events[0]["schedule_request"], "max_points": 0})
    steps = events_of("step", events)
    assert len(steps) == p.num_steps == curve["num_steps"]
    for s in steps + events_of("metrics", events):
        for g, group in enumerate(curve["groups"]):
            assert s["lr"][g] == group["lr"][s["step"]]
            if group["momentum"] is not None:
                assert s["momentum"][g] == group["momentum"][s["step"]]


def test_plateau_steps_on_the_real_validation_loss() -> None:
    # Few samples and a big model: the validation loss rises, so the rate is cut.
    p = plan(
        task={"name": "overfit"},
        epochs=40,
        log_every=1,
        optimizer={"type": "Adam", "lr": 0.01},
        scheduler={"type": "ReduceLROnPlateau", "patience": 2, "factor": 0.5},
    )
    events = run_to_end(p)
    metrics = events_of("metrics", events)
    val = [m["val_loss"] for m in metrics]
    assert len({m["lr"][0] for m in metrics}) > 2
    curve = evaluate({**events[0]["schedule_request"], "max_points": 0, "metric": {"values": val}})
    for s in events_of("step", events):
        assert s["lr"][0] == curve["groups"][0]["lr"][s["step"]]


def test_early_stopping_is_reported() -> None:
    p = plan(
        task={"name": "overfit"},
        epochs=200,
        optimizer={"type": "Adam", "lr": 0.01},
        scheduler={"type": "ConstantLR", "factor": 1.0},
        regularization={"early_stopping": {"patience": 5}},
    )
    events = run_to_end(p)
    stop, done = events[-2], events[-1]
    assert stop["type"] == "early_stop" and stop["patience"] == 5
    assert done["status"] == "early_stopped" and done["epochs_run"] == stop["epoch"] < 200
    assert stop["epoch"] == stop["best_epoch"] + 5
    val = [m["val_loss"] for m in events_of("metrics", events)]
    assert min(val) == stop["best_val_loss"] == val[stop["best_epoch"] - 1]


def test_stop_check_cancels_before_the_next_step() -> None:
    calls = 0

    def stop_after_five() -> str | None:
        nonlocal calls
        calls += 1
        return "stopped" if calls > 5 else None

    events = list(
        train(plan(scheduler={"type": "StepLR", "step_size": 1}, epochs=50), stop_after_five)
    )
    assert events[-1]["status"] == "cancelled" and events[-1]["reason"] == "stopped"
    assert events[-1]["steps_run"] == 5
    shutdown = list(
        train(plan(scheduler={"type": "StepLR", "step_size": 1}, epochs=2), lambda: "shutdown")
    )
    assert shutdown[-1]["status"] == "interrupted"


def test_divergence_fails_with_a_reason() -> None:
    events = run_to_end(
        plan(
            task={"name": "sine", "train_size": 32},
            epochs=20,
            optimizer={"type": "SGD", "lr": 1e6},
            scheduler={"type": "StepLR", "step_size": 100},
        )
    )
    done = events[-1]
    assert done["status"] == "failed" and done["reason"] == "diverged"
    json.dumps(events, allow_nan=False)


def test_regularisation_changes_the_run() -> None:
    base = {"scheduler": {"type": "StepLR", "step_size": 5}, "epochs": 2}
    plain = run_to_end(plan(**base))[-1]["best_val_loss"]
    for reg in ({"weight_decay": 0.1}, {"l1": 0.01}, {"dropout": 0.5}, {"input_noise": 0.5}):
        assert run_to_end(plan(**base, regularization=reg))[-1]["best_val_loss"] != plain, reg


class FakeClock:
    """Stands in for time.monotonic/time.sleep: sleeping just moves the clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += seconds


def test_a_paced_run_waits_between_steps_and_keeps_its_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(loop.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(loop.time, "sleep", clock.sleep)
    spec = {"scheduler": {"type": "StepLR", "step_size": 1}, "epochs": 3}
    paced = run_to_end(plan(**spec, steps_per_second=10))
    steps = paced[-1]["steps_run"]
    assert steps == 12
    # step k is not started before k / 10 s: the last one waits until 1.1 s
    assert clock.slept == pytest.approx((steps - 1) / 10)
    assert paced == run_to_end(plan(**spec))  # pace changes when, never what


def test_a_paced_run_can_be_stopped_while_it_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(loop.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(loop.time, "sleep", clock.sleep)
    spec = {"scheduler": {"type": "StepLR", "step_size": 1}, "epochs": 50}
    events = list(
        train(plan(**spec, steps_per_second=1), lambda: "stopped" if clock.now >= 2.5 else None)
    )
    assert events[-1]["status"] == "cancelled"
    assert events[-1]["steps_run"] == 3  # steps due at 0, 1 and 2 s ran; then it stopped
