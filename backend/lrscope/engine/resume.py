"""The curve of a run stopped after optimizer step N and resumed with new objects.

Old objects do steps 0..N and the scheduler step right after N (K scheduler steps in all);
then a new optimizer is built from the spec and, by ``how``: ``state_dict`` builds the
scheduler and loads both states (equal to the uninterrupted run); ``last_epoch`` loads the
optimizer's state (its groups carry ``initial_lr``) and builds the scheduler with
``last_epoch = K - 1``; ``rebuild`` builds the scheduler, loads the optimizer's state and
forgets the scheduler's. A warning names the steps where the curve departs from the
uninterrupted one (``step_curves``).
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import numpy as np
from torch import Tensor
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from lrscope.engine.curves import Curves
from lrscope.engine.torch_stepper import (
    build,
    build_optimizer,
    build_scheduler,
    dummy_params,
    formula_loc,
    momentum_key,
    step_curves,
    step_failure,
)
from lrscope.errors import SpecError, error
from lrscope.messages import message
from lrscope.validation import ResolvedRun
from lrscope.validation.resume import scheduler_steps_taken

SHOWN_STEPS = 12  # departing steps a warning lists before "and N more"


def resumed(run: ResolvedRun) -> tuple[Curves, list[dict[str, Any]]]:
    """The resumed curves and the warnings naming where they depart."""
    curves = _resumed_curves(run)
    return curves, departure_warnings(run, curves, step_curves(run))


def _resumed_curves(run: ResolvedRun) -> Curves:
    assert run.resume is not None
    optimizer, scheduler = build(run)
    lrs: list[list[float]] = [[] for _ in optimizer.param_groups]
    moms: list[list[float]] = [[] for _ in optimizer.param_groups]
    key = momentum_key(optimizer)
    taken, count = scheduler_steps_taken(run), run.scheduler_values
    for k in range(count):
        if k == taken:
            optimizer, scheduler = _resume(run, optimizer, scheduler, taken)
        _record(optimizer, key, lrs, moms)
        if k + 1 < count:
            _step(run, scheduler, k)
    return Curves(lrs, moms if key else None)


def _record(optimizer: Optimizer, key: str | None, lrs: list[Any], moms: list[Any]) -> None:
    for g, group in enumerate(optimizer.param_groups):
        lrs[g].append(group["lr"])
        if key == "momentum":
            moms[g].append(group["momentum"])
        elif key == "betas":
            moms[g].append(group["betas"][0])


def _step(run: ResolvedRun, scheduler: LRScheduler, k: int) -> None:
    try:
        if run.metric is not None:
            scheduler.step(run.metric[k])  # type: ignore[arg-type]
        else:
            scheduler.step()
    except Exception as exc:
        raise step_failure(exc, formula_loc(run), ("scheduler",), k) from exc


def _resume(
    run: ResolvedRun, optimizer: Optimizer, scheduler: LRScheduler, taken: int
) -> tuple[Optimizer, LRScheduler]:
    new, new_scheduler = restore(
        run, optimizer, scheduler, taken, dummy_params(len(run.optimizer.groups))
    )
    new.step()
    return new, new_scheduler


def restore(
    run: ResolvedRun,
    optimizer: Optimizer,
    scheduler: LRScheduler,
    taken: int,
    params: list[list[Tensor]],
) -> tuple[Optimizer, LRScheduler]:
    """New objects on ``params`` from the spec, restored from the old ones' states as
    ``how`` says (``taken``: scheduler steps the old one took). Training jobs call this
    with the model's parameters, so a job resumes exactly as the curve does."""
    assert run.resume is not None
    how = run.resume.how
    opt_state = copy.deepcopy(optimizer.state_dict())
    sched_state = copy.deepcopy(scheduler.state_dict())
    try:
        new = build_optimizer(run.optimizer, params)
        new._opt_called = True  # type: ignore[attr-defined]
        if how == "last_epoch":
            new.load_state_dict(opt_state)
            spec = replace(run.scheduler, kwargs={**run.scheduler.kwargs, "last_epoch": taken - 1})
            new_scheduler = build_scheduler(spec, new)
        else:
            new_scheduler = build_scheduler(run.scheduler, new)
            new.load_state_dict(opt_state)
            if how == "state_dict":
                new_scheduler.load_state_dict(sched_state)
    except Exception as exc:
        raise SpecError(
            [error(("resume", "how"), "torch_rejects_scheduler", detail=f"{how}: {exc}")]
        ) from exc
    return new, new_scheduler


def departure_warnings(
    run: ResolvedRun, resumed_curves: Curves, uninterrupted: Curves
) -> list[dict[str, Any]]:
    """One warning listing the optimizer steps whose rate differs from the uninterrupted."""
    assert run.resume is not None
    differs = np.zeros(run.scheduler_values, dtype=bool)
    for a, b in zip(resumed_curves.lr, uninterrupted.lr, strict=True):
        differs |= np.asarray(a) != np.asarray(b)
    values = np.flatnonzero(differs)
    if not len(values):
        return []
    spe = run.steps_per_epoch if run.interval == "epoch" else 1
    steps = [int(v) * spe for v in values]
    shown = ", ".join(str(s) for s in steps[:SHOWN_STEPS])
    if len(steps) > SHOWN_STEPS:
        shown += f" and {len(steps) - SHOWN_STEPS} more"
    if spe > 1:
        shown += f" (the first step of each such epoch of {spe} steps)"
    return [
        message("resume_departs", how=run.resume.how, at_step=str(run.resume.at_step), steps=shown)
    ]
