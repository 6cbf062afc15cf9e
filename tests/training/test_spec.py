"""TrainSpec: defaults, caps, and errors that name the field."""

from __future__ import annotations

from typing import Any

import pytest

from lrscope.catalog import default_catalog
from lrscope.errors import SpecError
from lrscope.settings import Limits
from lrscope.training.spec import MAX_TRAIN_STEPS, TrainingPlan, parse_train_spec, resolve_train


def resolve(spec: dict[str, Any]) -> TrainingPlan:
    return resolve_train(parse_train_spec(spec), default_catalog(), Limits())


def locs(spec: dict[str, Any]) -> list[list[Any]]:
    with pytest.raises(SpecError) as info:
        resolve(spec)
    return [e["loc"] for e in info.value.errors]


def test_scheduler_and_epochs_are_enough() -> None:
    p = resolve({"scheduler": {"type": "StepLR", "step_size": 2}, "epochs": 5})
    assert (p.task, p.kind, p.train_size, p.spec.batch_size) == (
        "spirals",
        "classification",
        400,
        32,
    )
    assert p.steps_per_epoch == 13 and p.num_steps == 65
    assert p.run.interval == "epoch" and p.run.optimizer.info.name == "SGD"


def test_onecycle_total_steps_is_the_job_length() -> None:
    p = resolve(
        {"scheduler": {"type": "OneCycleLR", "max_lr": 0.1}, "epochs": 3, "batch_size": 100}
    )
    assert p.run.interval == "step" and p.run.scheduler.kwargs["total_steps"] == 12


@pytest.mark.parametrize(
    ("spec", "loc"),
    [
        ({"scheduler": {"type": "StepLR"}}, ["scheduler", "step_size"]),
        ({"scheduler": {"type": "Nope"}}, ["scheduler", "type"]),
        (
            {
                "scheduler": {"type": "StepLR", "step_size": 1},
                "optimizer": {"type": "SGD", "lr": -1},
            },
            ["optimizer", "lr"],
        ),
        ({"scheduler": {"type": "StepLR", "step_size": 1}, "batch_size": 500}, ["batch_size"]),
        (
            {"scheduler": {"type": "StepLR", "step_size": 1}, "epochs": 2000, "batch_size": 1},
            ["epochs"],
        ),
        ({"scheduler": {"type": "StepLR", "step_size": 1}, "epochs": 0}, ["epochs"]),
        (
            {"scheduler": {"type": "StepLR", "step_size": 1}, "task": {"name": "mnist"}},
            ["task", "name"],
        ),
        (
            {"scheduler": {"type": "StepLR", "step_size": 1}, "task": {"train_size": 10**6}},
            ["task", "train_size"],
        ),
        (
            {"scheduler": {"type": "StepLR", "step_size": 1}, "model": {"width": 10_000}},
            ["model", "width"],
        ),
        (
            {"scheduler": {"type": "StepLR", "step_size": 1}, "regularization": {"dropout": 1}},
            ["regularization", "dropout"],
        ),
        (
            {
                "scheduler": {"type": "StepLR", "step_size": 1},
                "regularization": {"weight_decay": 0.1},
                "optimizer": {"type": "SGD", "weight_decay": 0.1},
            },
            ["regularization", "weight_decay"],
        ),
        (
            {
                "scheduler": {"type": "StepLR", "step_size": 1},
                "model": {"depth": 1},
                "optimizer": {"type": "SGD", "param_groups": [{}, {}, {}]},
            },
            ["optimizer", "param_groups"],
        ),
        ({"scheduler": {"type": "ReduceLROnPlateau"}, "interval": "step"}, ["interval"]),
        (
            {"scheduler": {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 5}, "epochs": 2},
            ["scheduler", "total_steps"],
        ),
        ({"scheduler": {"type": "StepLR", "step_size": 1}, "surprise": 1}, ["surprise"]),
        (
            {"scheduler": {"type": "StepLR", "step_size": 1}, "steps_per_second": 0},
            ["steps_per_second"],
        ),
    ],
)
def test_bad_specs_name_the_field(spec: dict[str, Any], loc: list[Any]) -> None:
    assert loc in locs(spec)


def test_caps_hold() -> None:
    p = resolve(
        {"scheduler": {"type": "StepLR", "step_size": 1}, "epochs": 2000, "batch_size": 400}
    )
    assert p.num_steps <= MAX_TRAIN_STEPS
    assert p.num_steps // p.log_every <= 500


def test_weight_decay_goes_to_the_optimizer() -> None:
    p = resolve(
        {"scheduler": {"type": "StepLR", "step_size": 1}, "regularization": {"weight_decay": 0.01}}
    )
    assert p.run.optimizer.kwargs["weight_decay"] == 0.01


def test_the_api_runs_at_full_speed_unless_asked() -> None:
    """The page paces its runs (train/form.js livePace); the API keeps its default."""
    from_api = resolve_train(
        parse_train_spec({"scheduler": {"type": "StepLR", "step_size": 30}}),
        default_catalog(),
        Limits(),
    )
    assert from_api.spec.steps_per_second is None
