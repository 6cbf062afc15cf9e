"""``"resume": {"at_step": N, "how": ...}``: the checks a resumed run needs beyond the run's.

Old objects do optimizer steps 0..N and the scheduler step right after N, then new ones
take over (engine/resume.py). So N + 1 must be a step of the run; with per-epoch stepping N
must end an epoch (a script checkpoints there); ``last_epoch`` needs a scheduler that takes
``last_epoch``. A Loop and ``"interval": "fractional"`` are refused at ``resume``.
"""

from __future__ import annotations

from typing import Any

from lrscope.catalog import LOOP_NAME, Catalog, constructor_params
from lrscope.errors import SpecError, error
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation.resolved import ResolvedRun
from lrscope.validation.run import resolve_run as resolve_tree_run


def resolve_resumed_run(run: RunSpec, catalog: Catalog, limits: Limits) -> ResolvedRun:
    """Resolve ``run`` (which has a ``resume``) and check its resume; raise SpecError."""
    assert run.resume is not None
    if run.scheduler.type == LOOP_NAME:
        raise SpecError([error(("resume",), "resume_unsupported", what="a Loop")])
    resolved = resolve_tree_run(run, catalog, limits)
    errors = resume_errors(resolved, run)
    if errors:
        raise SpecError(errors)
    resolved.resume = run.resume
    return resolved


def resume_errors(resolved: ResolvedRun, run: RunSpec) -> list[dict[str, Any]]:
    """Every problem of ``run.resume`` against the resolved run."""
    resume = run.resume
    assert resume is not None
    if resolved.interval == "fractional":
        return [error(("resume",), "resume_unsupported", what="'interval': 'fractional'")]
    errors = []
    last = resolved.num_steps - 2
    spe = resolved.steps_per_epoch
    if resume.at_step > last:
        errors.append(
            error(
                ("resume", "at_step"),
                "resume_at_step_range",
                maximum=str(last),
                value=str(resume.at_step),
            )
        )
    elif resolved.interval == "epoch" and (resume.at_step + 1) % spe:
        before = (resume.at_step + 1) // spe * spe - 1
        errors.append(
            error(
                ("resume", "at_step"),
                "resume_mid_epoch",
                steps_per_epoch=str(spe),
                value=str(resume.at_step),
                before=str(max(before, spe - 1)),
            )
        )
    cls = resolved.scheduler.info.cls
    if resume.how == "last_epoch" and "last_epoch" not in constructor_params(cls):
        errors.append(
            error(("resume", "how"), "resume_no_last_epoch", scheduler=resolved.scheduler.info.name)
        )
    return errors


def scheduler_steps_taken(resolved: ResolvedRun) -> int:
    """K: scheduler steps the old objects took (after step N: N + 1, or N + 1 epochs' worth)."""
    assert resolved.resume is not None
    n = resolved.resume.at_step + 1
    return n if resolved.interval == "step" else n // resolved.steps_per_epoch
