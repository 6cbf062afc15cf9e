"""The page's Hugging Face presets (``recipes/presets.py``): one per ``SchedulerType`` of
the pinned release, each evaluating bit for bit to ``transformers.get_scheduler`` called
as the preset's ``call`` says, on the preset's own optimizer and run."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from lrscope.engine import evaluate
from lrscope.recipes.hf import TRANSFORMERS_SEMANTICS, RecipeError
from lrscope.recipes.presets import hf_presets, hf_recipe

transformers = pytest.importorskip("transformers")
from transformers import SchedulerType, get_scheduler  # noqa: E402

PRESETS = hf_presets()["presets"]


def transformers_lrs(preset: dict[str, Any]) -> list[float]:
    """HF's own scheduler on an AdamW of the preset's lr, stepped as the spec says."""
    spec = preset["spec"]
    opt = torch.optim.AdamW([torch.zeros(2, requires_grad=True)], lr=spec["optimizer"]["lr"])
    call = dict(preset["call"])
    scheduler = get_scheduler(call.pop("name"), opt, **call)
    per_step = spec.get("interval") == "step"
    out = []
    for epoch in range(spec["epochs"]):
        for _ in range(spec["steps_per_epoch"]):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            if per_step:
                scheduler.step()
        if not per_step:
            scheduler.step(1.0 / (epoch + 1))  # plateau: a falling metric, no reduction
    return out


def test_every_scheduler_type_of_the_pinned_release_is_a_preset() -> None:
    assert transformers.__version__.startswith(hf_presets()["transformers_version"])
    assert hf_presets()["transformers_version"] == TRANSFORMERS_SEMANTICS
    assert [p["name"] for p in PRESETS] == [t.value for t in SchedulerType if t.value != "greedy"]


@pytest.mark.parametrize("preset", PRESETS, ids=[p["name"] for p in PRESETS])
def test_each_preset_equals_transformers(preset: dict[str, Any]) -> None:
    spec = {**preset["spec"], "max_points": 0}
    if preset["name"] == "reduce_lr_on_plateau":
        spec["metric"] = {"values": [1.0 / (e + 1) for e in range(spec["epochs"])]}
    out = evaluate(spec)
    assert out["groups"][0]["lr"] == transformers_lrs(preset)
    codes = [w["code"] for w in preset["warning_details"]]
    floor = preset["name"] in ("polynomial", "cosine_with_min_lr", "cosine_warmup_with_min_lr")
    assert codes == (["hf_floor_from_defaults"] if floor else [])


def test_an_hf_call_for_another_run_length_equals_transformers() -> None:
    # What the page asks for when an HF preset follows a 4,000-step run.
    call = {
        "name": "cosine_with_min_lr",
        "num_warmup_steps": 400,
        "num_training_steps": 4000,
        "scheduler_specific_kwargs": {"min_lr": 1e-6},
    }
    built = hf_recipe(call, 5e-5)
    spec = {
        "scheduler": built["scheduler"],
        "optimizer": {"type": "AdamW", "lr": 5e-5},
        "epochs": 40,
        "steps_per_epoch": 100,
        "interval": "step",
        "recipe": built["recipe"],
    }
    preset = {"spec": spec, "call": call}
    assert evaluate({**spec, "max_points": 0})["groups"][0]["lr"] == transformers_lrs(preset)
    assert [w["code"] for w in built["warning_details"]] == ["hf_floor_from_defaults"]
    with pytest.raises(RecipeError):
        hf_recipe({**call, "scheduler_specific_kwargs": {"no_such": 1}}, 5e-5)
