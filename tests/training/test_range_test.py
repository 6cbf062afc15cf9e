"""The LR range test job kind (``training/range_test.py``): the rates torch's optimizer
held at each step equal the sweep's formula bit for bit, the loss is smoothed and the sweep
stops by the common rule, the done event carries the suggestions, and a bad spec is
refused at its field."""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook

from lrscope.catalog import default_catalog
from lrscope.errors import SpecError
from lrscope.settings import Limits
from lrscope.training.job_kinds import job_events, resolve_job
from lrscope.training.lr_suggestions import suggestions
from lrscope.training.spec import parse_train_spec

TASK = {"name": "moons", "train_size": 64, "val_size": 16}


def run(**extra: Any) -> list[dict[str, Any]]:
    spec = parse_train_spec({"kind": "lr_range_test", "task": TASK, "batch_size": 16, **extra})
    return list(job_events(resolve_job(spec, default_catalog(), Limits())))


def run_held(**extra: Any) -> tuple[list[dict[str, Any]], list[list[float]]]:
    """The events, and each param group's lr as torch's optimizer held it when ``step()``
    was called (a global step pre-hook, registered once the spec is checked)."""
    spec = parse_train_spec({"kind": "lr_range_test", "task": TASK, "batch_size": 16, **extra})
    plan = resolve_job(spec, default_catalog(), Limits())
    held: list[list[float]] = []

    def hook(optimizer: torch.optim.Optimizer, args: Any, kwargs: Any) -> None:
        held.append([g["lr"] for g in optimizer.param_groups])

    handle = register_optimizer_step_pre_hook(hook)
    try:
        return list(job_events(plan)), held
    finally:
        handle.remove()


@pytest.mark.parametrize("mode", ["exp", "linear"])
def test_each_steps_lr_is_the_formula_bit_for_bit(mode: str) -> None:
    lo, hi, n = 1e-5, 0.05, 37
    events, held = run_held(
        range_test={"min_lr": lo, "max_lr": hi, "steps": n, "mode": mode},
        optimizer={"type": "SGD", "lr": 0.5, "param_groups": [{}, {"lr": 0.1}]},
    )
    steps = [e for e in events if e["type"] == "step"]
    assert events[-1]["reason"] is None and len(steps) == n  # ran to its end
    if mode == "exp":
        expected = [lo * (hi / lo) ** (i / (n - 1)) for i in range(n)]
    else:
        expected = [lo + (hi - lo) * (i / (n - 1)) for i in range(n)]
    assert held == [[v, v] for v in expected]
    assert [e["lr"] for e in steps] == held
    assert [e["step"] for e in steps] == list(range(n))
    assert expected[0] == lo and math.isclose(expected[-1], hi, rel_tol=1e-15)


def test_smoothed_loss_is_the_debiased_moving_average() -> None:
    beta = 0.9
    events = run(range_test={"min_lr": 1e-4, "max_lr": 1e-2, "steps": 20, "smooth": beta})
    steps = [e for e in events if e["type"] == "step"]
    avg = 0.0
    for i, e in enumerate(steps):
        avg = beta * avg + (1 - beta) * e["train_loss"]
        assert e["smoothed_loss"] == avg / (1 - beta ** (i + 1))


def test_a_sweep_to_a_huge_rate_stops_on_divergence_by_the_common_rule() -> None:
    factor = 4.0
    events = run(range_test={"min_lr": 1e-4, "max_lr": 1e3, "steps": 200})
    steps = [e for e in events if e["type"] == "step"]
    done = events[-1]
    assert done["type"] == "done" and done["status"] == "completed"
    assert done["reason"] == "diverged" and done["steps_run"] == len(steps) < 200
    smoothed = [e["smoothed_loss"] for e in steps]
    best = math.inf
    for i, s in enumerate(smoothed):
        stop = s is None or s > factor * min(best, s)
        assert stop == (i == len(smoothed) - 1), i  # the rule fires at the last step only
        if s is not None:
            best = min(best, s)


def test_done_carries_the_three_suggestions_of_the_recorded_curve() -> None:
    events = run(range_test={"min_lr": 1e-5, "max_lr": 10.0, "steps": 120})
    steps = [e for e in events if e["type"] == "step"]
    done = events[-1]
    lrs = [e["lr"][0] for e in steps]
    assert done["suggestions"] == suggestions(lrs, [e["smoothed_loss"] for e in steps], 120)
    assert [s["name"] for s in done["suggestions"]] == ["steepest", "valley", "minimum"]
    for s in done["suggestions"]:
        assert s["lr"] is not None and 1e-6 <= s["lr"] <= 10.0
    start = events[0]
    assert start["kind"] == "lr_range_test" and start["range_test"]["steps"] == 120


def test_the_same_spec_gives_the_same_numbers() -> None:
    spec = {"range_test": {"steps": 30, "min_lr": 1e-3, "max_lr": 1.0}, "seed": 3}
    assert run(**spec) == run(**spec)


def refusal(**extra: Any) -> list[dict[str, Any]]:
    body = {"task": TASK, **extra}
    with pytest.raises(SpecError) as caught:
        resolve_job(parse_train_spec(body), default_catalog(), Limits())
    return caught.value.errors


@pytest.mark.parametrize(
    ("extra", "loc", "code"),
    [
        (
            {"range_test": {"min_lr": 0.1, "max_lr": 0.1}},
            ["range_test", "max_lr"],
            "range_test_bounds",
        ),
        ({"scheduler": {"type": "StepLR", "step_size": 2}}, ["scheduler"], "range_test_ignores"),
        ({"epochs": 5}, ["epochs"], "range_test_ignores"),
        ({"log_every": 3}, ["log_every"], "range_test_ignores"),
        ({"steps_per_epoch": 3}, ["steps_per_epoch"], "range_test_ignores"),
        ({"interval": "step"}, ["interval"], "range_test_ignores"),
        (
            {"regularization": {"early_stopping": {"patience": 3}}},
            ["regularization", "early_stopping"],
            "range_test_ignores",
        ),
        ({"batch_size": 100}, ["batch_size"], "batch_larger_than_train_set"),
        ({"optimizer": {"type": "SGD", "momentum": -1}}, ["optimizer", "momentum"], None),
        (
            {
                "optimizer": {"type": "SGD", "weight_decay": 0.1},
                "regularization": {"weight_decay": 0.1},
            },
            ["regularization", "weight_decay"],
            "weight_decay_twice",
        ),
    ],
)
def test_a_bad_range_test_is_refused_at_its_field(
    extra: dict[str, Any], loc: list[Any], code: str | None
) -> None:
    errors = refusal(kind="lr_range_test", **extra)
    assert errors[0]["loc"] == loc
    if code is not None:
        assert errors[0]["code"] == code


def test_kinds_keep_their_own_fields() -> None:
    assert refusal()[0]["loc"] == ["scheduler"]  # a training job still needs its scheduler
    errors = refusal(scheduler={"type": "StepLR", "step_size": 2}, range_test={})
    assert errors[0]["loc"] == ["range_test"] and errors[0]["code"] == "range_test_only"
    with pytest.raises(SpecError) as caught:
        parse_train_spec({"kind": "lr_range_test", "range_test": {"steps": 5}})
    assert caught.value.errors[0]["loc"] == ["range_test", "steps"]


def test_the_spec_as_the_job_layer_stores_it_still_resolves() -> None:
    # The worker gets ``model_dump(mode="json")``: every default written out (epochs 30...).
    spec = parse_train_spec({"kind": "lr_range_test", "task": TASK, "batch_size": 16})
    again = parse_train_spec(spec.model_dump(mode="json"))
    assert (
        resolve_job(again, default_catalog(), Limits()).lrs
        == resolve_job(spec, default_catalog(), Limits()).lrs
    )
