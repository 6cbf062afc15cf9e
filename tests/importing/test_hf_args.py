"""TrainingArguments (``importing/hf_args.py``): every schedule type HF's Trainer builds from
``lr_scheduler_type``/``lr_scheduler_kwargs``/``warmup_steps``, equal to transformers' own
``get_scheduler`` (as ``Trainer.create_scheduler`` calls it) bit for bit."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace
from typing import Any

import pytest
import torch
import transformers

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.importing import import_text
from lrscope.settings import Limits

TYPES: dict[str, dict[str, Any]] = {
    "linear": {},
    "cosine": {"num_cycles": 0.75},
    "cosine_with_restarts": {"num_cycles": 3},
    "polynomial": {"power": 2.0, "lr_end": 1e-6},
    "constant": {},
    "constant_with_warmup": {},
    "inverse_sqrt": {"timescale": 40},
    "cosine_with_min_lr": {"min_lr": 1e-5},
    "cosine_warmup_with_min_lr": {"min_lr_rate": 0.1},
    "warmup_stable_decay": {"num_decay_steps": 60, "min_lr_ratio": 0.05},
}


def transformers_curve(
    name: str, lr: float, warmup: float, total: int, kw: dict[str, Any]
) -> list[float]:
    # HF's own TrainingArguments.get_warmup_steps (an instance needs accelerate installed)
    args = SimpleNamespace(warmup_steps=warmup)
    warmup_steps = transformers.TrainingArguments.get_warmup_steps(args, total)  # type: ignore[arg-type]
    optimizer = torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = transformers.get_scheduler(
        name, optimizer, num_warmup_steps=warmup_steps,
        num_training_steps=total, scheduler_specific_kwargs=kw,
    )  # fmt: skip
    lrs = []
    for _ in range(total):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return lrs


@pytest.mark.parametrize("name", sorted(TYPES))
@pytest.mark.parametrize("warmup", [0, 0.15, 25])
def test_each_schedule_type_equals_transformers(name: str, warmup: float) -> None:
    kw = TYPES[name]
    text = (
        f"--lr_scheduler_type {name} --learning_rate 3e-4 --max_steps 300 "
        f"--warmup_steps {warmup} --lr_scheduler_kwargs '{json.dumps(kw)}'"
    )
    spec = import_text(text, {}, default_catalog(), Limits())["spec"]
    got = evaluate({**spec, "max_points": 0})["groups"][0]["lr"]
    assert got == transformers_curve(name, 3e-4, warmup, 300, kw)


def imported(args: dict[str, Any], **values: Any) -> dict[str, Any]:
    return import_text(json.dumps(args), values, default_catalog(), Limits())


def test_max_steps_wins_over_epochs() -> None:
    spec = imported({"num_train_epochs": 3, "max_steps": 120})["spec"]
    assert (spec["epochs"], spec["steps_per_epoch"]) == (1, 120)


def test_a_missing_type_is_linear_and_lr_defaults_to_hf() -> None:
    spec = imported({"max_steps": 10})["spec"]
    assert spec["optimizer"]["lr"] == 5e-5
    assert spec["scheduler"]["lr_lambda"].startswith("lambda step: float(step) / float(1)")


def test_fractional_epochs_take_hf_ceiling() -> None:
    result = imported({"num_train_epochs": 2.5}, steps_per_epoch=7)
    assert result["spec"]["steps_per_epoch"] == math.ceil(2.5 * 7) == 18
    assert result["warning_details"][0]["code"] == "import_hf_fractional_epochs"


def test_warmup_ratio_is_read_as_the_v5_ratio_with_a_warning() -> None:
    result = imported({"warmup_ratio": 0.1, "max_steps": 95})
    codes = [w["code"] for w in result["warning_details"]]
    assert "import_hf_warmup_ratio" in codes
    assert "10 warmup step(s) of 95" in result["warnings"][-1]  # ceil(9.5) = 10


def test_shell_variables_are_open_names() -> None:
    with pytest.raises(SpecError) as raised:
        import_text("--learning_rate $LR --max_steps 10", {}, default_catalog(), Limits())
    assert [e["loc"] for e in raised.value.errors] == [["values", "$LR"]]
    spec = import_text(
        "--learning_rate $LR --max_steps 10", {"$LR": 0.01}, default_catalog(), Limits()
    )
    assert spec["spec"]["optimizer"]["lr"] == 0.01


def test_sgd_and_other_optimizers() -> None:
    assert imported({"optim": "sgd", "max_steps": 5})["spec"]["optimizer"]["type"] == "SGD"
    result = imported({"optim": "adafactor", "max_steps": 5})
    assert result["spec"]["optimizer"]["type"] == "AdamW"
    assert result["warning_details"][0]["code"] == "import_hf_optimizer"
