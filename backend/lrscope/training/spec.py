"""TrainSpec: what a training job runs, and its resolution into a checked plan.

The optimizer and scheduler are the same specs as ``POST /api/schedule`` and go through
the same ``resolve_run``, so every rule there (and OneCycleLR's ``total_steps`` filling)
applies identically; ``steps_per_epoch`` is the number of batches in an epoch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lrscope.catalog import Catalog
from lrscope.errors import SpecError, error
from lrscope.settings import Limits
from lrscope.spec import (
    OptimizerSpec,
    ResumeSpec,
    RunSpec,
    SchedulerSpec,
    default_optimizer,
    spec_error,
)
from lrscope.training.length_fit import (
    Caps,
    FitSpec,
    FittedLength,
    JobAsked,
    fit_choices,
    fit_length,
)
from lrscope.training.loop_fit import loop_fit_errors, without_synthetic_metric
from lrscope.validation import ResolvedRun, resolve_run
from lrscope.validation.momentum import untrainable_momentum

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


class TrainSpec(BaseModel):
    """A training job: task, model, the /api/schedule optimizer and scheduler, and knobs."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"scheduler": {"type": "CosineAnnealingLR", "T_max": 30}, "epochs": 30},
                {
                    "task": {"name": "overfit"},
                    "scheduler": {"type": "ReduceLROnPlateau", "patience": 5},
                    "optimizer": {"type": "Adam", "lr": 0.01},
                    "epochs": 200,
                    "regularization": {"dropout": 0.2, "early_stopping": {"patience": 20}},
                },
            ]
        },
    )
    scheduler: SchedulerSpec
    optimizer: OptimizerSpec = Field(default_factory=default_optimizer)
    task: TaskSpec = Field(default_factory=TaskSpec)
    model: ModelSpec = Field(default_factory=ModelSpec)
    epochs: Annotated[int, Field(strict=True, ge=1, le=MAX_EPOCHS)] = 30
    batch_size: Annotated[int, Field(strict=True, ge=1, le=MAX_SAMPLES)] = 32
    steps_per_epoch: Annotated[
        int | None,
        Field(
            strict=True,
            ge=1,
            le=MAX_TRAIN_STEPS,
            description="batches per epoch; default: one pass over the training set "
            "(ceil(train_size / batch_size)); more take further shuffled passes",
        ),
    ] = None
    fit: FitSpec | None = Field(
        default=None,
        description="the run length the schedule was written for (its curve's epochs and "
        "steps_per_epoch) and whether the job trains that length ('schedule') or rescales "
        "the schedule to its own ('task')",
    )
    interval: Literal["epoch", "step", "fractional"] | None = Field(
        default=None,
        description="when scheduler.step() is called; default: the scheduler's step unit",
    )
    regularization: RegularizationSpec = Field(default_factory=RegularizationSpec)
    resume: ResumeSpec | None = Field(
        default=None,
        description="stop after optimizer step at_step and go on with a new optimizer and "
        "scheduler, as /api/schedule's resume does",
    )
    seed: Annotated[int, Field(strict=True, ge=0, le=2**31 - 1)] = 0
    steps_per_second: Annotated[
        float | None,
        Field(
            strict=True,
            ge=1,
            le=100_000,
            description="slow the run down to at most this many optimizer steps a second, "
            "so a classroom can watch it unfold; default: as fast as it goes",
        ),
    ] = None
    log_every: Annotated[
        int | None,
        Field(
            strict=True,
            ge=1,
            le=MAX_TRAIN_STEPS,
            description="optimizer steps between per-step events; default: a few hundred a run",
        ),
    ] = None

    @model_validator(mode="after")
    def _schedule_epochs(self) -> TrainSpec:
        """With ``fit.to`` 'schedule' and no ``epochs``, the job trains the schedule's own
        epochs (written into the spec, so that a stored run reads back the same)."""
        if (
            self.fit is not None
            and self.fit.to == "schedule"
            and "epochs" not in self.model_fields_set
        ):
            self.epochs = self.fit.epochs
        return self


@dataclass(frozen=True)
class TaskDefaults:
    kind: Literal["classification", "regression"]
    inputs: int
    outputs: int
    train_size: int
    val_size: int
    noise: float
    width: int
    depth: int


TASKS: dict[str, TaskDefaults] = {
    "spirals": TaskDefaults("classification", 2, 2, 400, 400, 0.2, 32, 2),
    "moons": TaskDefaults("classification", 2, 2, 300, 300, 0.15, 16, 2),
    "sine": TaskDefaults("regression", 1, 1, 200, 200, 0.1, 32, 2),
    # Few noisy samples and a wide model: training loss falls, validation loss rises. Sized
    # (64 x 2 rather than 128 x 3) so that on the default curve (StepLR(30), SGD lr 0.1,
    # momentum 0.9, 100 epochs) every remedy, dropout 0.5 included, trains without
    # diverging and ends lower than the same run without it (tests/training/test_remedies.py).
    "overfit": TaskDefaults("classification", 2, 2, 40, 400, 0.35, 64, 2),
}


@dataclass(frozen=True)
class TrainingPlan:
    """A checked TrainSpec with every default filled in."""

    spec: TrainSpec
    run: ResolvedRun
    run_spec: RunSpec  # the /api/schedule request whose curve this job's rates follow
    fit: dict[str, Any] | None  # with a ``fit``: which choice ran (training/length_fit.py)
    task: str
    kind: Literal["classification", "regression"]
    inputs: int
    outputs: int
    train_size: int
    val_size: int
    noise: float
    width: int
    depth: int
    steps_per_epoch: int
    log_every: int

    @property
    def epochs(self) -> int:
        return self.run.epochs

    @property
    def num_steps(self) -> int:
        return self.run.epochs * self.steps_per_epoch

    @property
    def layers(self) -> int:
        """Linear layers in the model (hidden layers plus the output layer)."""
        return self.depth + 1


def parse_train_spec(data: Any) -> TrainSpec:
    """Parse JSON into a TrainSpec; raise SpecError with pydantic's located errors."""
    try:
        return TrainSpec.model_validate(data)
    except ValidationError as exc:
        raise spec_error(exc) from exc


def resolve_train(spec: TrainSpec, catalog: Catalog, limits: Limits) -> TrainingPlan:
    """Check a TrainSpec completely; raise SpecError (locs relative to the body)."""
    d = TASKS[spec.task.name]
    train_size = spec.task.train_size or d.train_size
    fitted = _fitted(spec, math.ceil(train_size / spec.batch_size), catalog, limits)
    epochs, steps_per_epoch = fitted.epochs, fitted.steps_per_epoch
    num_steps = epochs * steps_per_epoch
    width = spec.model.width or d.width
    depth = spec.model.depth or d.depth
    optimizer, errors = _with_weight_decay(spec)
    errors += _check_sizes(spec, train_size, num_steps)
    errors += _check_fit(spec, catalog, optimizer, depth)
    errors += loop_fit_errors(spec.scheduler, catalog)
    wd = spec.regularization.weight_decay
    if errors:
        raise SpecError(errors)
    run_spec = RunSpec(
        scheduler=fitted.scheduler,
        optimizer=optimizer,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch,
        interval=spec.interval,
        resume=fitted.resume,
        max_points=0,
    )
    try:
        run = resolve_run(run_spec, catalog, limits)
    except SpecError as exc:
        raise SpecError([_relocate(e, wd is not None) for e in exc.errors]) from exc
    without_synthetic_metric(run)
    if untrainable := untrainable_momentum(run):
        raise SpecError(untrainable)
    log_every = spec.log_every or max(1, math.ceil(num_steps / 500))
    log_every = max(log_every, math.ceil(num_steps / MAX_STEP_EVENTS))
    return TrainingPlan(
        spec=spec,
        run=run,
        fit=fitted.fit,
        run_spec=run_spec,
        task=spec.task.name,
        kind=d.kind,
        inputs=d.inputs,
        outputs=d.outputs,
        train_size=train_size,
        val_size=spec.task.val_size or d.val_size,
        noise=d.noise if spec.task.noise is None else spec.task.noise,
        width=width,
        depth=depth,
        steps_per_epoch=steps_per_epoch,
        log_every=log_every,
    )


def job_asked(spec: TrainSpec, one_pass: int) -> JobAsked:
    """The TrainSpec's own length and schedule, as ``length_fit`` takes them (the optimizer
    with the regularisation's weight decay, as the job builds it)."""
    return JobAsked(
        scheduler=spec.scheduler,
        optimizer=_with_weight_decay(spec)[0],
        interval=spec.interval,
        resume=spec.resume,
        epochs=spec.epochs,
        steps_per_epoch=spec.steps_per_epoch,
        one_pass=one_pass,
    )


JOB_CAPS = Caps(max_epochs=MAX_EPOCHS, max_steps=MAX_TRAIN_STEPS)


def fit_preview(spec: TrainSpec, catalog: Catalog, limits: Limits) -> dict[str, Any]:
    """Both ways to train a schedule of another length (``length_fit.fit_choices``) for this
    TrainSpec, whose ``fit`` gives the schedule's length; raises SpecError."""
    if spec.fit is None:
        raise SpecError([error(("fit",), "required", kind="missing")])
    train_size = spec.task.train_size or TASKS[spec.task.name].train_size
    asked = job_asked(spec, math.ceil(train_size / spec.batch_size))
    try:
        return fit_choices(asked, spec.fit, catalog, limits, JOB_CAPS)
    except SpecError as exc:
        raise SpecError([_relocate(e, False) for e in exc.errors]) from exc


def _fitted(spec: TrainSpec, one_pass: int, catalog: Catalog, limits: Limits) -> FittedLength:
    return fit_length(job_asked(spec, one_pass), spec.fit, catalog, limits, JOB_CAPS)


def _with_weight_decay(spec: TrainSpec) -> tuple[OptimizerSpec, list[dict[str, Any]]]:
    """The optimizer with the regularisation's weight decay in it (set in one place only)."""
    optimizer, wd = spec.optimizer, spec.regularization.weight_decay
    if wd is None:
        return optimizer, []
    errors = []
    if "weight_decay" in optimizer.arguments():
        errors.append(error(("regularization", "weight_decay"), "weight_decay_twice"))
    return OptimizerSpec.model_validate({**optimizer.model_dump(), "weight_decay": wd}), errors


def _check_sizes(spec: TrainSpec, train_size: int, num_steps: int) -> list[dict[str, Any]]:
    errors = []
    if spec.batch_size > train_size:
        errors.append(
            error(("batch_size",), "batch_larger_than_train_set", train_size=str(train_size))
        )
    if num_steps > MAX_TRAIN_STEPS:
        errors.append(
            error(
                ("epochs",),
                "job_too_long",
                steps=f"{num_steps:,}",
                maximum=f"{MAX_TRAIN_STEPS:,}",
            )
        )
    return errors


def _check_fit(
    spec: TrainSpec, catalog: Catalog, optimizer: OptimizerSpec, depth: int
) -> list[dict[str, Any]]:
    """The schedule and param groups fit this kind of job and this model."""
    errors = []
    info = catalog.schedulers.get(spec.scheduler.type)
    if info is not None and info.needs_metric and spec.interval == "step":
        errors.append(error(("interval",), "metric_scheduler_per_step", scheduler=info.name))
    groups = len(optimizer.param_groups or [{}])
    if groups > depth + 1:
        errors.append(
            error(
                ("optimizer", "param_groups"),
                "too_many_groups_for_model",
                count=str(groups),
                layers=str(depth + 1),
            )
        )
    return errors


def _relocate(e: dict[str, Any], wd_from_regularization: bool) -> dict[str, Any]:
    loc = list(e["loc"])
    if wd_from_regularization and loc[:2] == ["optimizer", "weight_decay"]:
        loc = ["regularization", "weight_decay", *loc[2:]]
    elif loc[:1] == ["metric"]:  # never set by a TrainSpec: the metric is the validation loss
        loc = ["scheduler"]
    return {**e, "loc": loc}
