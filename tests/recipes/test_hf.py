"""Hugging Face's schedules, as lrscope specs, equal ``transformers`` bit for bit.

The oracle is transformers itself (a test-only dependency, pinned to the release whose
semantics lrscope follows): ``get_scheduler`` on a real torch optimizer, stepped in a plain
loop, recording the learning rate each optimizer step uses.
"""

from __future__ import annotations

from array import array
from types import SimpleNamespace
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lrscope.engine import evaluate
from lrscope.recipes.hf import (
    HF_SCHEDULES,
    SPECIAL_SCHEDULES,
    TRANSFORMERS_SEMANTICS,
    RecipeError,
    hf_scheduler,
    hf_warmup_steps,
)

transformers = pytest.importorskip("transformers")
from transformers import SchedulerType, get_scheduler  # noqa: E402
from transformers.training_args import TrainingArguments  # noqa: E402


def hf_lrs(name: str, steps: int, lrs: list[float], **kwargs: Any) -> list[list[float]]:
    params = [[torch.zeros(2, 2, requires_grad=True)] for _ in lrs]
    groups = [{"params": p, "lr": lr} for p, lr in zip(params, lrs, strict=True)]
    optimizer = torch.optim.SGD(groups, lr=lrs[0])
    scheduler = get_scheduler(name, optimizer, **kwargs)
    out: list[list[float]] = [[] for _ in lrs]
    for _ in range(steps):
        for g, group in enumerate(optimizer.param_groups):
            out[g].append(group["lr"])
        optimizer.step()
        scheduler.step()
    return out


def lrscope_lrs(name: str, steps: int, lrs: list[float], **kwargs: Any) -> list[list[float]]:
    recipe = hf_scheduler(
        name,
        num_warmup_steps=kwargs.get("num_warmup_steps"),
        num_training_steps=kwargs.get("num_training_steps"),
        lr_init=lrs[0],
        kwargs=kwargs.get("scheduler_specific_kwargs"),
    )
    spec = {
        "scheduler": recipe.scheduler,
        "optimizer": {"type": "SGD", "lr": lrs[0], "param_groups": [{"lr": lr} for lr in lrs]},
        "epochs": 1,
        "steps_per_epoch": steps,
        "interval": "step",
        "max_points": 0,
    }
    return [g["lr"] for g in evaluate(spec)["groups"]]


def assert_bitwise(a: list[list[float]], b: list[list[float]]) -> None:
    assert a == b
    assert [array("d", x).tobytes() for x in a] == [array("d", x).tobytes() for x in b]


# Each HF schedule with arguments as model cards and the HF docs use them.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("linear", {"num_warmup_steps": 50, "num_training_steps": 400}),
    ("linear", {"num_warmup_steps": 0, "num_training_steps": 300}),
    ("cosine", {"num_warmup_steps": 30, "num_training_steps": 300}),
    (
        "cosine",
        {
            "num_warmup_steps": 10,
            "num_training_steps": 200,
            "scheduler_specific_kwargs": {"num_cycles": 1.5},
        },
    ),
    (
        "cosine_with_restarts",
        {
            "num_warmup_steps": 20,
            "num_training_steps": 300,
            "scheduler_specific_kwargs": {"num_cycles": 3},
        },
    ),
    (
        "polynomial",
        {
            "num_warmup_steps": 25,
            "num_training_steps": 250,
            "scheduler_specific_kwargs": {"lr_end": 1e-5, "power": 2.0},
        },
    ),
    ("polynomial", {"num_warmup_steps": 10, "num_training_steps": 100}),
    ("constant", {}),
    ("constant_with_warmup", {"num_warmup_steps": 40}),
    ("inverse_sqrt", {"num_warmup_steps": 40}),
    ("inverse_sqrt", {"num_warmup_steps": 0, "scheduler_specific_kwargs": {"timescale": 25}}),
    (
        "cosine_with_min_lr",
        {
            "num_warmup_steps": 30,
            "num_training_steps": 300,
            "scheduler_specific_kwargs": {"min_lr": 1e-5},
        },
    ),
    (
        "cosine_with_min_lr",
        {
            "num_warmup_steps": 30,
            "num_training_steps": 300,
            "scheduler_specific_kwargs": {"min_lr_rate": 0.1},
        },
    ),
    (
        "cosine_warmup_with_min_lr",
        {
            "num_warmup_steps": 30,
            "num_training_steps": 300,
            "scheduler_specific_kwargs": {"min_lr_rate": 0.05},
        },
    ),
    (
        "cosine_warmup_with_min_lr",
        {
            "num_warmup_steps": 30,
            "num_training_steps": 300,
            "scheduler_specific_kwargs": {"min_lr": 2e-5, "warmup_lr_rate": 0.1},
        },
    ),
    *[
        (
            "warmup_stable_decay",
            {
                "num_warmup_steps": 40,
                "num_training_steps": 400,
                "scheduler_specific_kwargs": {
                    "num_decay_steps": 120,
                    "warmup_type": warm,
                    "decay_type": decay,
                    "min_lr_ratio": 0.1,
                },
            },
        )
        for warm in ("linear", "cosine", "1-sqrt")
        for decay in ("linear", "cosine", "1-sqrt")
    ],
    (
        "warmup_stable_decay",
        {
            "num_warmup_steps": 10,
            "scheduler_specific_kwargs": {"num_decay_steps": 50, "num_stable_steps": 100},
        },
    ),
]


@pytest.mark.parametrize(
    ("name", "kwargs"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)]
)
def test_each_schedule_equals_transformers(name: str, kwargs: dict[str, Any]) -> None:
    steps = kwargs.get("num_training_steps", 200) + 20  # past the end too
    lrs = [3e-4, 1e-3]  # two groups: HF's floors come from the optimizer's lr, not the group's
    assert_bitwise(lrscope_lrs(name, steps, lrs, **kwargs), hf_lrs(name, steps, lrs, **kwargs))


def test_every_hf_schedule_type_is_covered() -> None:
    """A scheduler type a later transformers adds fails here until it is mapped (or refused
    as not a torch scheduler: 5.x's greedy)."""
    assert transformers.__version__.startswith(TRANSFORMERS_SEMANTICS)
    covered = set(HF_SCHEDULES) | set(SPECIAL_SCHEDULES) | {"greedy"}
    assert {t.value for t in SchedulerType} == covered


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["linear", "cosine", "cosine_with_restarts", "constant_with_warmup"]),
    warmup=st.integers(0, 60),
    total=st.integers(1, 200),
    lr=st.floats(1e-6, 1.0),
)
def test_random_warmups_and_lengths_equal_transformers(
    name: str, warmup: int, total: int, lr: float
) -> None:
    kwargs: dict[str, Any] = {"num_warmup_steps": warmup}
    if name != "constant_with_warmup":
        kwargs["num_training_steps"] = total
    steps = max(total, warmup) + 5
    assert_bitwise(lrscope_lrs(name, steps, [lr], **kwargs), hf_lrs(name, steps, [lr], **kwargs))


def test_greedy_is_refused_naming_the_field() -> None:
    with pytest.raises(RecipeError) as info:
        hf_scheduler("greedy", num_warmup_steps=0, num_training_steps=10, lr_init=0.1)
    assert info.value.field == "lr_scheduler_type"


def test_hf_surprises_are_warned() -> None:
    recipe = hf_scheduler("polynomial", num_warmup_steps=1, num_training_steps=10, lr_init=0.1)
    assert "optimizer.defaults['lr']" in recipe.warnings[0]
    assert hf_scheduler(
        "constant", num_warmup_steps=5, num_training_steps=None, lr_init=0.1
    ).warnings
    with pytest.raises(RecipeError, match="lr_end"):
        hf_scheduler("polynomial", num_warmup_steps=1, num_training_steps=10, lr_init=1e-8)


@pytest.mark.parametrize(("warmup", "total"), [(0.1, 1000), (0.05, 333), (100, 1000), (0.0, 50)])
def test_warmup_steps_below_one_are_a_ratio_as_in_transformers(warmup: float, total: int) -> None:
    # HF's own method, on a stand-in for the arguments (building TrainingArguments needs
    # accelerate and a device); it reads only warmup_steps.
    args = SimpleNamespace(warmup_steps=warmup)
    assert hf_warmup_steps(warmup, total) == TrainingArguments.get_warmup_steps(args, total)
