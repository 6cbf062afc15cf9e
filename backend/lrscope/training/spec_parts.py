"""The parts of a TrainSpec (``spec.py``): the task, the model, the remedies against
over-fitting, and the caps on one job."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

TaskName = Literal["spirals", "moons", "sine", "overfit"]

# Caps on one job, so that a run stays seconds-to-minutes on one CPU thread.
MAX_SAMPLES = 5_000
MAX_EPOCHS = 2_000
MAX_TRAIN_STEPS = 100_000
MAX_WIDTH = 256
MAX_DEPTH = 6
MAX_STEP_EVENTS = 10_000  # per-step events a run may emit (the default is ~500)


class TaskSpec(BaseModel):
    """A dataset generated in code from the job's seed; unset knobs take the task's defaults."""

    model_config = ConfigDict(extra="forbid")
    name: TaskName = "spirals"
    train_size: Annotated[int | None, Field(strict=True, ge=4, le=MAX_SAMPLES)] = None
    val_size: Annotated[int | None, Field(strict=True, ge=4, le=MAX_SAMPLES)] = None
    noise: Annotated[float | None, Field(strict=True, ge=0, le=5)] = None


class ModelSpec(BaseModel):
    """A small MLP; unset knobs take the task's defaults."""

    model_config = ConfigDict(extra="forbid")
    width: Annotated[int | None, Field(strict=True, ge=1, le=MAX_WIDTH)] = None
    depth: Annotated[
        int | None, Field(strict=True, ge=1, le=MAX_DEPTH, description="hidden layers")
    ] = None
    activation: Literal["relu", "tanh"] = "relu"


class EarlyStoppingSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patience: Annotated[
        int, Field(strict=True, ge=1, le=MAX_EPOCHS, description="epochs without improvement")
    ] = 10
    min_delta: Annotated[float, Field(strict=True, ge=0, le=1e3)] = 0.0


class RegularizationSpec(BaseModel):
    """The remedies people reach for against over-fitting."""

    model_config = ConfigDict(extra="forbid")
    weight_decay: Annotated[
        float | None,
        Field(
            strict=True,
            ge=0,
            le=10,
            description="passed to the optimizer (same as optimizer.weight_decay)",
        ),
    ] = None
    l1: Annotated[
        float, Field(strict=True, ge=0, le=10, description="L1 penalty on the weights")
    ] = 0.0
    dropout: Annotated[
        float, Field(strict=True, ge=0, lt=1, description="after each hidden layer")
    ] = 0.0
    input_noise: Annotated[
        float,
        Field(
            strict=True, ge=0, le=5, description="std of Gaussian noise added to training inputs"
        ),
    ] = 0.0
    early_stopping: EarlyStoppingSpec | None = None
