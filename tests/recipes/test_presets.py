"""The page's Hugging Face presets (``recipes/presets.py``): one per ``SchedulerType`` of
the pinned release, each evaluating bit for bit to ``transformers.get_scheduler`` called
as the preset's ``call`` says, on the preset's own optimizer and run."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from lrscope.engine import evaluate
from lrscope.recipes.hf import TRANSFORMERS_SEMANTICS
from lrscope.recipes.presets import hf_presets

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
    codes = [w["code"] for w in preset["warnings"]]
    floor = preset["name"] in ("polynomial", "cosine_with_min_lr", "cosine_warmup_with_min_lr")
    assert codes == (["hf_floor_from_defaults"] if floor else [])
