"""Request models. Their shape is the API contract; argument rules live in lrscope.validation.

A scheduler or optimizer spec is an open object (``type`` plus that class's constructor
arguments) because the set of classes comes from the installed torch, not from this file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

# Lists and objects inside one spec, far beyond any real schedule: deeper input would only
# exhaust the serialiser (and the cache key is the serialised spec).
MAX_JSON_DEPTH = 64


def _check_depth(value: Any) -> None:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        if children and depth > MAX_JSON_DEPTH:
            raise PydanticCustomError(
                "too_deep",
                "is nested too deeply: at most {max} levels of lists and objects",
                {"max": MAX_JSON_DEPTH},
            )
        stack.extend((child, depth + 1) for child in children)


class SchedulerSpec(BaseModel):
    """A ``torch.optim.lr_scheduler`` class by name plus its constructor arguments."""

    model_config = ConfigDict(
        extra="allow",
        ser_json_inf_nan="constants",  # so that NaN and Infinity never share a cache key with null
        json_schema_extra={
            "examples": [
                {"type": "StepLR", "step_size": 30, "gamma": 0.1},
                {
                    "type": "SequentialLR",
                    "milestones": [5],
                    "schedulers": [
                        {"type": "LinearLR", "start_factor": 0.1, "total_iters": 5},
                        {"type": "CosineAnnealingLR", "T_max": 95},
                    ],
                },
            ]
        },
    )
    type: Annotated[str, Field(min_length=1, max_length=100)]

    @model_validator(mode="after")
    def _not_too_deep(self) -> SchedulerSpec:
        _check_depth(self.model_extra)
        return self

    def arguments(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class OptimizerSpec(BaseModel):
    """A ``torch.optim`` optimizer by name, its keyword arguments and per-group overrides."""

    model_config = ConfigDict(
        extra="allow",
        ser_json_inf_nan="constants",
        json_schema_extra={"examples": [{"type": "SGD", "lr": 0.1, "momentum": 0.9}]},
    )
    type: Annotated[str, Field(min_length=1, max_length=100)] = "SGD"
    param_groups: Annotated[list[dict[str, Any]] | None, Field(max_length=64)] = None

    @model_validator(mode="after")
    def _not_too_deep(self) -> OptimizerSpec:
        _check_depth([self.model_extra, self.param_groups])
        return self

    def arguments(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


def default_optimizer() -> OptimizerSpec:
    # Momentum on by default so that momentum-cycling schedulers work out of the box.
    return OptimizerSpec(type="SGD", lr=0.1, momentum=0.9)  # type: ignore[call-arg]


class SyntheticMetric(BaseModel):
    """A seeded, noisy validation-loss curve that decays and then levels off."""

    model_config = ConfigDict(extra="forbid")
    seed: Annotated[int, Field(strict=True, ge=0, le=2**32 - 1)] = 0
    initial: Annotated[float, Field(strict=True, gt=0, le=1e6)] = 2.0
    final: Annotated[float, Field(strict=True, ge=0, le=1e6)] = 0.2
    decay_steps: Annotated[
        float, Field(strict=True, gt=0, le=1e9, description="e-folding time, in scheduler steps")
    ] = 15.0
    noise: Annotated[
        float, Field(strict=True, ge=0, le=1e3, description="relative Gaussian noise")
    ] = 0.02


class MetricSpec(BaseModel):
    """What ReduceLROnPlateau is stepped on: given values, or a synthetic curve."""

    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="constants")
    values: Annotated[
        list[Annotated[float, Field(strict=True)]] | None,
        Field(description="one metric value per scheduler step; extra values are unused"),
    ] = None
    synthetic: SyntheticMetric | None = None


class SetupSpec(BaseModel):
    """A training setup from which ``epochs`` and ``steps_per_epoch`` follow.

    The counts are derived by that framework's own arithmetic (``lrscope.recipes.step_counts``);
    exactly one of ``epochs`` and ``max_steps`` gives the run length.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "dataset_size": 50_000,
                    "batch_size": 32,
                    "devices": 4,
                    "grad_accum": 2,
                    "epochs": 3,
                    "framework": "hf",
                }
            ]
        },
    )
    dataset_size: Annotated[
        int, Field(strict=True, ge=1, le=10**12, description="training samples")
    ]
    batch_size: Annotated[
        int, Field(strict=True, ge=1, le=10_000_000, description="per device (per process)")
    ]
    devices: Annotated[
        int, Field(strict=True, ge=1, le=100_000, description="processes (world size)")
    ] = 1
    grad_accum: Annotated[
        int, Field(strict=True, ge=1, le=100_000, description="micro-batches per optimizer step")
    ] = 1
    drop_last: Annotated[
        bool, Field(strict=True, description="the DataLoader drops an incomplete last batch")
    ] = False
    epochs: Annotated[int | None, Field(strict=True, ge=1, le=10_000_000)] = None
    max_steps: Annotated[
        int | None,
        Field(strict=True, ge=1, le=10_000_000, description="optimizer steps in the whole run"),
    ] = None
    framework: Literal["torch", "hf", "lightning"] = "torch"

    @model_validator(mode="after")
    def _one_run_length(self) -> SetupSpec:
        if (self.epochs is None) == (self.max_steps is None):
            raise PydanticCustomError(
                "setup_run_length",
                "give exactly one of epochs and max_steps",
                {},
            )
        return self


class ResumeSpec(BaseModel):
    """Stop after optimizer step ``at_step`` and continue with new objects, as a script
    resumed from a checkpoint would (engine/resume.py)."""

    model_config = ConfigDict(extra="forbid")
    at_step: Annotated[int, Field(strict=True, ge=0, description="0-based optimizer step")]
    how: Literal["state_dict", "last_epoch", "rebuild"] = Field(
        description="state_dict: load both states; last_epoch: load the optimizer's and "
        "build the scheduler with last_epoch = K - 1; rebuild: load the optimizer's only",
    )


class StepRange(BaseModel):
    """Optimizer steps ``start`` (inclusive) to ``stop`` (exclusive) of the run: the response
    holds only those, at full resolution up to ``max_points``."""

    model_config = ConfigDict(extra="forbid")
    start: Annotated[int, Field(strict=True, ge=0, le=10_000_000_000_000)] = 0
    stop: Annotated[int, Field(strict=True, ge=1, le=10_000_000_000_000)]


class HFRecipe(BaseModel):
    """The ``transformers.get_scheduler`` call a spec's scheduler came from (the HF
    presets carry it): ``POST /api/code?style=hf`` writes that call when it still gives
    exactly this scheduler. Evaluation ignores it."""

    model_config = ConfigDict(extra="forbid")
    framework: Literal["hf"] = "hf"
    name: Annotated[str, Field(max_length=64)]
    num_warmup_steps: Annotated[int, Field(strict=True, ge=0, le=10_000_000)] | None = None
    num_training_steps: Annotated[int, Field(strict=True, ge=1, le=10_000_000)] | None = None
    scheduler_specific_kwargs: Annotated[dict[str, Any], Field(max_length=16)] = Field(
        default_factory=dict
    )


class RunSpec(BaseModel):
    """What to evaluate: a scheduler on an optimizer over a number of steps."""

    model_config = ConfigDict(
        extra="forbid",
        ser_json_inf_nan="constants",
        json_schema_extra={
            "examples": [
                {
                    "scheduler": {"type": "CosineAnnealingLR", "T_max": 100},
                    "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9},
                    "epochs": 100,
                }
            ]
        },
    )
    scheduler: SchedulerSpec
    optimizer: OptimizerSpec = Field(default_factory=default_optimizer)
    epochs: Annotated[int, Field(strict=True, ge=1, le=10_000_000)] = 100
    steps_per_epoch: Annotated[int, Field(strict=True, ge=1, le=10_000_000)] = 1
    interval: Literal["epoch", "step", "fractional"] | None = Field(
        default=None,
        description="when scheduler.step() is called; default: the scheduler's step unit. "
        "'fractional': after step i of epoch e, scheduler.step(e + i / steps_per_epoch) "
        "(schedulers whose step() takes an epoch: CosineAnnealingWarmRestarts)",
    )
    metric: MetricSpec | None = None
    max_points: Annotated[
        int, Field(strict=True, ge=0, le=1_000_000, description="0 = every point")
    ] = 2000
    setup: SetupSpec | None = Field(
        default=None,
        description="a training setup; epochs and steps_per_epoch follow from it",
    )
    resume: ResumeSpec | None = Field(
        default=None, description="the curve of a run stopped and resumed at a step"
    )
    range: StepRange | None = Field(
        default=None,
        description="only these optimizer steps (a zoomed view or one value); default: all",
    )
    recipe: HFRecipe | None = Field(
        default=None, description="the HF call the scheduler came from (for the code export)"
    )
