"""A schedule written for another run length than the job's: the TrainSpec's ``fit`` says
which length the schedule was drawn for and what the job does about it.

- ``"schedule"``: the job trains the schedule's own length: its epochs, and its batches per
  epoch when the schedule is stepped per batch (the data is cycled through as often as that
  takes); one too long for a job is refused, naming the nearest length that fits.
- ``"task"``: the job keeps its own length and the schedule is rescaled to it
  (``validation/rescale.py``), so the curve it trains is the rescaled spec's.

Either way the job's ``schedule_request`` is the RunSpec it ran, so its learning rates equal
``/api/schedule``'s for that spec bit for bit; the start and done events carry ``fit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from lrscope.catalog import Catalog
from lrscope.errors import SpecError, error
from lrscope.settings import Limits
from lrscope.spec import OptimizerSpec, ResumeSpec, RunSpec, SchedulerSpec
from lrscope.validation import ResolvedRun
from lrscope.validation.dispatch import resolve_run
from lrscope.validation.rescale import rescale_run, same_length, units_used

MAX_RUN_LENGTH = 10_000_000  # RunSpec's own bound on epochs and steps_per_epoch


class FitSpec(BaseModel):
    """The run length the schedule was written for, and how a job of another length trains it."""

    model_config = ConfigDict(extra="forbid")
    to: Literal["schedule", "task"] = Field(
        description="'schedule': train the schedule's own length (epochs, and batches per "
        "epoch when it is stepped per batch); 'task': rescale the schedule to the job's length"
    )
    epochs: Annotated[
        int, Field(strict=True, ge=1, le=MAX_RUN_LENGTH, description="the schedule's epochs")
    ]
    steps_per_epoch: Annotated[
        int,
        Field(strict=True, ge=1, le=MAX_RUN_LENGTH, description="the schedule's steps per epoch"),
    ] = 1


@dataclass(frozen=True)
class Caps:
    max_epochs: int
    max_steps: int


@dataclass(frozen=True)
class FittedLength:
    """What the job runs: its length and the schedule (rescaled or not), and what ``fit``
    the events report (None without a ``fit``)."""

    epochs: int
    steps_per_epoch: int
    scheduler: SchedulerSpec
    resume: ResumeSpec | None
    fit: dict[str, Any] | None


@dataclass(frozen=True)
class JobAsked:
    """The TrainSpec's own choices: its length (``steps_per_epoch`` None: not given) and its
    schedule."""

    scheduler: SchedulerSpec
    optimizer: OptimizerSpec
    interval: str | None
    resume: ResumeSpec | None
    epochs: int
    steps_per_epoch: int | None
    one_pass: int  # batches in one pass over the training set


def fit_length(
    job: JobAsked, fit: FitSpec | None, catalog: Catalog, limits: Limits, caps: Caps
) -> FittedLength:
    """The job's length and schedule; raises SpecError (locs relative to the TrainSpec)."""
    epochs = job.epochs
    spe = job.one_pass if job.steps_per_epoch is None else job.steps_per_epoch
    if fit is None:
        return FittedLength(epochs, spe, job.scheduler, job.resume, None)
    original, resolved = _schedule_as_drawn(job, fit, catalog, limits)
    if fit.to == "schedule":
        per_batch = units_used(resolved) != {"epochs"}
        own_spe = fit.steps_per_epoch if per_batch else job.one_pass
        spe = own_spe if job.steps_per_epoch is None else job.steps_per_epoch
        if fit.epochs > caps.max_epochs or fit.epochs * own_spe > caps.max_steps:
            raise SpecError([_too_long(fit.epochs, own_spe, caps)])
        if not same_length(resolved, epochs, spe):
            raise SpecError([_differs(job, fit, own_spe)])
        report = _report("schedule", fit, epochs, spe, rescaled=False, changes=[])
        return FittedLength(epochs, spe, job.scheduler, job.resume, report)
    rescaled = rescale_run(original, epochs, spe, catalog, limits)
    changes = rescaled.changes
    report = _report("task", fit, epochs, spe, rescaled=bool(changes), changes=changes)
    report["warning_details"] = rescaled.warning_details
    return FittedLength(epochs, spe, rescaled.spec.scheduler, rescaled.spec.resume, report)


def resolve_original(original: RunSpec, catalog: Catalog, limits: Limits) -> ResolvedRun:
    """The schedule at its own length, resolved; its length's errors are the ``fit``'s."""
    try:
        return resolve_run(original, catalog, limits)
    except SpecError as exc:
        raise SpecError([_at_fit(e) for e in exc.errors]) from exc


def _at_fit(e: dict[str, Any]) -> dict[str, Any]:
    loc = list(e["loc"])
    if loc[:1] in (["epochs"], ["steps_per_epoch"]):
        loc = ["fit", *loc]
    return {**e, "loc": loc}


def nearest_fitting(epochs: int, steps_per_epoch: int, caps: Caps) -> tuple[int, int]:
    """The longest run a job may train closest to ``epochs`` x ``steps_per_epoch``: as many
    of its epochs as allowed, each with as many of its batches as the step cap leaves."""
    e = min(epochs, caps.max_epochs)
    return e, max(1, min(steps_per_epoch, caps.max_steps // e))


def _too_long(epochs: int, spe: int, caps: Caps) -> dict[str, Any]:
    near_e, near_s = nearest_fitting(epochs, spe, caps)
    return error(
        ("fit",),
        "schedule_too_long",
        steps=f"{epochs * spe:,}",
        epochs=f"{epochs:,}",
        steps_per_epoch=f"{spe:,}",
        maximum=f"{caps.max_steps:,}",
        max_epochs=f"{caps.max_epochs:,}",
        near_epochs=str(near_e),
        near_steps_per_epoch=str(near_s),
        near_steps=f"{near_e * near_s:,}",
    )


def _differs(job: JobAsked, fit: FitSpec, own_spe: int) -> dict[str, Any]:
    field = "epochs" if job.epochs != fit.epochs else "steps_per_epoch"
    got = job.epochs if field == "epochs" else job.steps_per_epoch
    return error(
        (field,),
        "fit_length_differs",
        got=str(got),
        epochs=str(fit.epochs),
        steps_per_epoch=str(own_spe),
    )


def _report(
    to: str, fit: FitSpec, epochs: int, spe: int, *, rescaled: bool, changes: list[Any]
) -> dict[str, Any]:
    return {
        "to": to,
        "schedule": {
            "epochs": fit.epochs,
            "steps_per_epoch": fit.steps_per_epoch,
            "num_steps": fit.epochs * fit.steps_per_epoch,
        },
        "job": {"epochs": epochs, "steps_per_epoch": spe, "num_steps": epochs * spe},
        "rescaled": rescaled,
        "changes": changes,
    }


def fit_choices(
    job: JobAsked, fit: FitSpec, catalog: Catalog, limits: Limits, caps: Caps
) -> dict[str, Any]:
    """Both choices for a schedule of ``fit``'s length on this job, before it runs (what the
    page's notice offers): whether the lengths already agree, the schedule's own length and
    whether a job may train it (else the nearest length that fits, and the schedule rescaled
    to it), and the schedule rescaled to the task's length."""
    original, resolved = _schedule_as_drawn(job, fit, catalog, limits)
    epochs = job.epochs
    spe = job.one_pass if job.steps_per_epoch is None else job.steps_per_epoch
    own_spe = fit.steps_per_epoch if units_used(resolved) != {"epochs"} else job.one_pass
    trainable = fit.epochs <= caps.max_epochs and fit.epochs * own_spe <= caps.max_steps
    own: dict[str, Any] = {**_length(fit.epochs, own_spe), "trainable": trainable}
    if not trainable:
        near = nearest_fitting(fit.epochs, own_spe, caps)
        own["nearest"] = _rescaled_choice(original, *near, catalog, limits)
        own["error"] = _too_long(fit.epochs, own_spe, caps)
    return {
        "same_length": same_length(resolved, epochs, spe),
        "per_batch": units_used(resolved) != {"epochs"},
        "schedule": _length(fit.epochs, fit.steps_per_epoch),
        "task": _length(epochs, spe),
        "train_schedule": own,
        "rescaled": _rescaled_choice(original, epochs, spe, catalog, limits),
    }


def _length(epochs: int, spe: int) -> dict[str, int]:
    return {"epochs": epochs, "steps_per_epoch": spe, "num_steps": epochs * spe}


def _rescaled_choice(
    original: RunSpec, epochs: int, spe: int, catalog: Catalog, limits: Limits
) -> dict[str, Any]:
    rescaled = rescale_run(original, epochs, spe, catalog, limits)
    return {
        **_length(epochs, spe),
        "schedule_request": rescaled.spec.model_dump(
            mode="json", exclude_none=True, exclude={"max_points"}
        ),
        "changes": rescaled.changes,
        "warning_details": rescaled.warning_details,
    }


def _schedule_as_drawn(
    job: JobAsked, fit: FitSpec, catalog: Catalog, limits: Limits
) -> tuple[RunSpec, ResolvedRun]:
    """The schedule at the length it was drawn for (``fit``), and its resolution."""
    original = RunSpec(
        scheduler=job.scheduler,
        optimizer=job.optimizer,
        epochs=fit.epochs,
        steps_per_epoch=fit.steps_per_epoch,
        interval=job.interval,  # type: ignore[arg-type]
        resume=job.resume,
        max_points=0,
    )
    return original, resolve_original(original, catalog, limits)
