"""Hugging Face's schedules as the page's presets: one ``get_scheduler`` call per
``SchedulerType`` on a standard run, turned into an exact spec by ``hf.py``.

The page holds no copy: ``GET /api/schedulers`` sends these as ``hf_presets``. Each carries
the HF call it stands for (``call``), so the page can rebuild it for another run length,
and HF's surprises as coded warnings (``messages.py``).
"""

from __future__ import annotations

from typing import Any

from lrscope.messages import message
from lrscope.recipes.hf import TRANSFORMERS_SEMANTICS, RecipeError, hf_scheduler

# The standard run: AdamW at HF's default learning rate, 1,000 optimizer steps, 10% warmup.
LR = 5e-5
EPOCHS, STEPS_PER_EPOCH = 10, 100
TOTAL = EPOCHS * STEPS_PER_EPOCH
WARMUP = TOTAL // 10

# (name, scheduler_specific_kwargs) in transformers' SchedulerType order.
SCHEDULES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("linear", {}),
    ("cosine", {}),
    ("cosine_with_restarts", {"num_cycles": 3}),
    ("polynomial", {"lr_end": 1e-7, "power": 2.0}),
    ("constant", {}),
    ("constant_with_warmup", {}),
    ("inverse_sqrt", {}),
    ("reduce_lr_on_plateau", {}),
    ("cosine_with_min_lr", {"min_lr": 1e-6}),
    ("cosine_warmup_with_min_lr", {"min_lr": 1e-6}),
    ("warmup_stable_decay", {"num_decay_steps": 200}),
)
# Their floor comes from optimizer.defaults["lr"] (HF reads it, not each group's lr).
FLOOR_FROM_DEFAULTS = ("polynomial", "cosine_with_min_lr", "cosine_warmup_with_min_lr")
WITHOUT_WARMUP = ("constant", "reduce_lr_on_plateau")  # HF ignores num_warmup_steps there


def hf_preset(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """One preset: the HF call, the exact spec it becomes, and HF's surprises."""
    warmup = None if name in WITHOUT_WARMUP else WARMUP
    recipe = hf_scheduler(
        name, num_warmup_steps=warmup, num_training_steps=TOTAL, lr_init=LR, kwargs=kwargs
    )
    spec: dict[str, Any] = {
        "scheduler": recipe.scheduler,
        "optimizer": {"type": "AdamW", "lr": LR},
        "epochs": EPOCHS,
        "steps_per_epoch": STEPS_PER_EPOCH,
    }
    if name != "reduce_lr_on_plateau":  # HF steps it on each evaluation, here each epoch
        spec["interval"] = "step"
    warnings = []
    if name in FLOOR_FROM_DEFAULTS:
        warnings.append(message("hf_floor_from_defaults", name=name, lr=repr(LR)))
    call = {
        "name": name,
        "num_warmup_steps": warmup,
        "num_training_steps": TOTAL,
        "scheduler_specific_kwargs": kwargs,
    }
    return {
        "id": f"hf-{name}",
        "name": name,
        "call": call,
        "spec": {**spec, "recipe": {"framework": "hf", **call}},
        # As in every answer: the English text, and the coded message the page words.
        "warnings": [w["msg"] for w in warnings],
        "warning_details": warnings,
    }


def hf_recipe(call: dict[str, Any], lr: float) -> dict[str, Any]:
    """The scheduler, recipe and warnings of one HF call on an optimizer of ``lr`` (the
    page asks for this when an HF preset follows a new run length). Raises RecipeError."""
    name = call["name"]
    kwargs = dict(call.get("scheduler_specific_kwargs") or {})
    try:
        recipe = hf_scheduler(
            name,
            num_warmup_steps=call.get("num_warmup_steps"),
            num_training_steps=call.get("num_training_steps"),
            lr_init=lr,
            kwargs=kwargs,
        )
    except RecipeError:
        raise
    except (TypeError, ValueError, OverflowError) as exc:  # an argument HF's function
        # does not take, or a value of the wrong kind: HF would raise too
        raise RecipeError("scheduler_specific_kwargs", str(exc)) from exc
    warnings = []
    if name in FLOOR_FROM_DEFAULTS:
        warnings.append(message("hf_floor_from_defaults", name=name, lr=repr(lr)))
    return {
        "scheduler": recipe.scheduler,
        "recipe": {"framework": "hf", **call},
        "warnings": [w["msg"] for w in warnings],
        "warning_details": warnings,
    }


def hf_presets() -> dict[str, Any]:
    """What ``GET /api/schedulers`` sends as ``hf_presets``."""
    return {
        "transformers_version": TRANSFORMERS_SEMANTICS,
        "presets": [hf_preset(name, kwargs) for name, kwargs in SCHEDULES],
    }
