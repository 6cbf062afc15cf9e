"""A run's ``setup``: the run length it gives, and the classic stepping mistakes to overlay.

``epochs`` and ``steps_per_epoch`` follow from the setup (``recipes/setup_counts.py``). One
given beside a setup must agree with it, else a 422 at that field: the setup decides, and a
disagreeing number is a mistake worth seeing rather than a silent override.

Each pitfall is the same scheduler stepped ``factor`` times per optimizer step: point ``i``
of its curve is the rate after ``i * factor`` scheduler steps, exactly what torch gives when
``scheduler.step()`` is called ``factor`` times per ``optimizer.step()``.
"""

from __future__ import annotations

import dataclasses

from lrscope.errors import SpecError
from lrscope.recipes.setup_counts import Setup, SetupCounts, ceil_div, resolve_setup
from lrscope.spec import RunSpec, SetupSpec
from lrscope.validation.context import Context
from lrscope.validation.resolved import Pitfall, ResolvedRun


def counts_of(spec: SetupSpec) -> SetupCounts | None:
    return resolve_setup(Setup(**spec.model_dump()))


def apply_setup(ctx: Context, run: RunSpec) -> tuple[RunSpec, SetupCounts | None]:
    """``run`` with the epochs and steps per epoch its setup gives (and those counts);
    raises SpecError when the setup cannot be used."""
    if run.setup is None:
        return run, None
    counts = counts_of(run.setup)
    if counts is None:
        s = run.setup
        batches = resolve_setup(dataclasses.replace(Setup(**s.model_dump()), grad_accum=1))
        ctx.fail(
            ("setup",),
            "setup_no_step",
            batches=str(batches.micro_batches_per_epoch if batches else 0),
            grad_accum=str(s.grad_accum),
        )
        raise SpecError(ctx.errors)
    for name in ("epochs", "steps_per_epoch"):
        given, resolved = getattr(run, name), getattr(counts, name)
        if name in run.model_fields_set and given != resolved:
            ctx.fail((name,), "setup_conflict", given=str(given), resolved=str(resolved))
    if ctx.errors:
        raise SpecError(ctx.errors)
    if counts.leftover_micro_batches:
        ctx.warn("setup_leftover", leftover=str(counts.leftover_micro_batches))
    return run.model_copy(
        update={"epochs": counts.epochs, "steps_per_epoch": counts.steps_per_epoch}
    ), counts


def pitfalls(run: ResolvedRun, counts: SetupCounts, max_steps: int) -> list[Pitfall]:
    """The stepping mistakes this setup invites, each as a run to evaluate (or why not)."""
    if run.interval != "step" or run.scheduler.info.needs_metric:
        return []
    total = counts.total_steps
    found = []
    devices, accum = _setup_factor(run, "devices"), _setup_factor(run, "grad_accum")
    if devices > 1:
        found.append(("per_process", devices, {"devices": str(devices)}))
    if accum > 1:
        found.append(("per_micro_batch", accum, {"grad_accum": str(accum)}))
    if counts.epochs > 1 and total % counts.steps_per_epoch == 0:
        epochs = total // counts.steps_per_epoch
        found.append(
            (
                "per_epoch_horizon",
                epochs,
                {"steps_per_epoch": str(counts.steps_per_epoch), "epochs": str(epochs)},
            )
        )
    return [_pitfall(run, name, k, params, total, max_steps) for name, k, params in found]


def _setup_factor(run: ResolvedRun, name: str) -> int:
    return int(getattr(run.setup_spec, name)) if run.setup_spec is not None else 1


def _pitfall(
    run: ResolvedRun, name: str, factor: int, params: dict[str, str], total: int, max_steps: int
) -> Pitfall:
    steps = (total - 1) * factor + 1  # scheduler states up to the last optimizer step
    hold = name == "per_process" and run.scheduler.info.name == "OneCycleLR"
    if hold:  # accelerate steps a OneCycleLR only while _step_count <= total_steps
        steps = min(steps, _onecycle_total(run) + 1)
    params = {**params, "total": f"{total:,}", "reached": f"{ceil_div(total, factor):,}"}
    if steps > max_steps:
        too_long = {"pitfall": name, "steps": f"{steps:,}", "maximum": f"{max_steps:,}"}
        return Pitfall(name, factor, f"pitfall_{name}", params, None, too_long, hold)
    longer = dataclasses.replace(
        run,
        epochs=ceil_div(steps, run.steps_per_epoch),
        total_steps=steps,
        warning_details=[],
        setup=None,
        setup_spec=None,
        pitfalls=[],
    )
    return Pitfall(name, factor, f"pitfall_{name}", params, longer, None, hold)


def _onecycle_total(run: ResolvedRun) -> int:
    kw = run.scheduler.kwargs
    total = kw.get("total_steps")
    return int(total) if total is not None else int(kw["epochs"]) * int(kw["steps_per_epoch"])
