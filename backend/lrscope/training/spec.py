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
from lrscope.training.boundary import frame_every
from lrscope.training.length_fit import (
    Caps,
    FitSpec,
    FittedLength,
    JobAsked,
    fit_choices,
    fit_length,
)
from lrscope.training.loop_fit import loop_fit_errors, without_synthetic_metric
from lrscope.training.range_test_spec import RangeTestSpec
from lrscope.training.spec_parts import (
    MAX_EPOCHS,
    MAX_SAMPLES,
    MAX_STEP_EVENTS,
    MAX_TRAIN_STEPS,
    ModelSpec,
    RegularizationSpec,
    TaskSpec,
)
from lrscope.validation import ResolvedRun, resolve_run
from lrscope.validation.momentum import untrainable_momentum


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
    kind: Literal["train", "lr_range_test"] = Field(
        default="train",
        description="train: run the schedule; lr_range_test: sweep the learning rate "
        "between range_test.min_lr and max_lr and suggest one (no scheduler)",
    )
    scheduler: SchedulerSpec | None = Field(
        default=None, description="required for kind train; an LR range test takes none"
    )
    range_test: RangeTestSpec | None = Field(
        default=None, description="kind lr_range_test: the sweep (defaults when left out)"
    )
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
    boundary: bool | None = Field(
        default=None,
        description="send the decision boundary (P(class 1) on a grid) as the run goes; "
        "default: on for the 2-D classification tasks (spirals, moons, overfit)",
    )
    boundary_every: Annotated[
        int | None,
        Field(
            strict=True,
            ge=1,
            le=MAX_EPOCHS,
            description="epochs between two decision-boundary frames; default: every epoch, "
            "at most 50 frames a run",
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
    boundary_every: int | None  # epochs between decision-boundary frames; None: no frames

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
    if spec.scheduler is None:  # required for training (an LR range test is resolved apart)
        raise SpecError([error(("scheduler",), "required", "missing")])
    d = TASKS[spec.task.name]
    train_size = spec.task.train_size or d.train_size
    fitted = _fitted(spec, math.ceil(train_size / spec.batch_size), catalog, limits)
    epochs, steps_per_epoch = fitted.epochs, fitted.steps_per_epoch
    num_steps = epochs * steps_per_epoch
    width = spec.model.width or d.width
    depth = spec.model.depth or d.depth
    optimizer, errors = with_weight_decay(spec)
    errors += check_sizes(spec, train_size, num_steps)
    errors += _check_fit(spec, spec.scheduler, catalog, optimizer, depth)
    errors += loop_fit_errors(spec.scheduler, catalog)
    if spec.range_test is not None:
        errors.append(error(("range_test",), "range_test_only"))
    if spec.boundary and (d.kind != "classification" or d.inputs != 2):
        errors.append(error(("boundary",), "boundary_needs_2d", task=spec.task.name))
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
        raise SpecError([relocate(e, wd is not None) for e in exc.errors]) from exc
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
        boundary_every=_boundary_every(spec, d, epochs),
    )


def _boundary_every(spec: TrainSpec, d: TaskDefaults, epochs: int) -> int | None:
    """On by default for 2-D classification; never more than MAX_FRAMES frames a run."""
    if spec.boundary is False or d.kind != "classification" or d.inputs != 2:
        return None
    return frame_every(epochs, spec.boundary_every)


def job_asked(spec: TrainSpec, one_pass: int) -> JobAsked:
    """The TrainSpec's own length and schedule, as ``length_fit`` takes them (the optimizer
    with the regularisation's weight decay, as the job builds it)."""
    assert spec.scheduler is not None  # resolve_train and fit_preview refuse a spec without
    return JobAsked(
        scheduler=spec.scheduler,
        optimizer=with_weight_decay(spec)[0],
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
    if spec.scheduler is None:
        raise SpecError([error(("scheduler",), "required", kind="missing")])
    train_size = spec.task.train_size or TASKS[spec.task.name].train_size
    asked = job_asked(spec, math.ceil(train_size / spec.batch_size))
    try:
        return fit_choices(asked, spec.fit, catalog, limits, JOB_CAPS)
    except SpecError as exc:
        raise SpecError([relocate(e, False) for e in exc.errors]) from exc


def _fitted(spec: TrainSpec, one_pass: int, catalog: Catalog, limits: Limits) -> FittedLength:
    return fit_length(job_asked(spec, one_pass), spec.fit, catalog, limits, JOB_CAPS)


def with_weight_decay(spec: TrainSpec) -> tuple[OptimizerSpec, list[dict[str, Any]]]:
    """The optimizer with the regularisation's weight decay in it (set in one place only)."""
    optimizer, wd = spec.optimizer, spec.regularization.weight_decay
    if wd is None:
        return optimizer, []
    errors = []
    if "weight_decay" in optimizer.arguments():
        errors.append(error(("regularization", "weight_decay"), "weight_decay_twice"))
    return OptimizerSpec.model_validate({**optimizer.model_dump(), "weight_decay": wd}), errors


def check_sizes(spec: TrainSpec, train_size: int, num_steps: int) -> list[dict[str, Any]]:
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
    spec: TrainSpec,
    scheduler: SchedulerSpec,
    catalog: Catalog,
    optimizer: OptimizerSpec,
    depth: int,
) -> list[dict[str, Any]]:
    """The schedule and param groups fit this kind of job and this model."""
    errors = []
    info = catalog.schedulers.get(scheduler.type)
    if info is not None and info.needs_metric and spec.interval == "step":
        errors.append(error(("interval",), "metric_scheduler_per_step", scheduler=info.name))
    return errors + check_groups(optimizer, depth)


def check_groups(optimizer: OptimizerSpec, depth: int) -> list[dict[str, Any]]:
    """Each param group takes one or more whole layers of the model."""
    groups = len(optimizer.param_groups or [{}])
    if groups <= depth + 1:
        return []
    return [
        error(
            ("optimizer", "param_groups"),
            "too_many_groups_for_model",
            count=str(groups),
            layers=str(depth + 1),
        )
    ]


def relocate(e: dict[str, Any], wd_from_regularization: bool) -> dict[str, Any]:
    loc = list(e["loc"])
    if wd_from_regularization and loc[:2] == ["optimizer", "weight_decay"]:
        loc = ["regularization", "weight_decay", *loc[2:]]
    elif loc[:1] == ["metric"]:  # never set by a TrainSpec: the metric is the validation loss
        loc = ["scheduler"]
    return {**e, "loc": loc}
