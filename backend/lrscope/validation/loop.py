"""The Loop composite: its entries checked field by field, each entry's scheduler checked
like any scheduler at its own ``loc``, the work capped over all entries, and warnings for
entries that collide or never step.

An entry's counts: a ``"step"`` entry counts optimizer steps s = 0..N-1, an ``"epoch"``
entry epochs e = 0..E-1. Stepping after the last step or epoch changes nothing the run
uses, so the counts that matter end one before (``observed``).
"""

from __future__ import annotations

from typing import Any

import lrscope.validation.rules as rules
from lrscope.catalog import LOOP_INFO, Catalog
from lrscope.errors import Loc, SpecError, error, fmt, got
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation.context import Context, RunFacts
from lrscope.validation.optimizer import resolve_optimizer
from lrscope.validation.resolved import ResolvedEntry, ResolvedRun, ResolvedScheduler
from lrscope.validation.run import (
    _check_size,
    _metric,
    check_run_length,
    check_work_budget,
    tree_work,
)
from lrscope.validation.scheduler import resolve_scheduler
from lrscope.validation.setup import apply_setup
from lrscope.validation.step_range import step_window, window_length

ENTRY_FIELDS = ("scheduler", "interval", "every", "begin", "end")
LOC: Loc = ("scheduler", "schedulers")


def resolve_loop_run(run: RunSpec, catalog: Catalog, limits: Limits) -> ResolvedRun:
    """Validate a run whose scheduler is a Loop; raise SpecError listing every problem."""
    ctx = Context(catalog, limits)
    run, counts = apply_setup(ctx, run)
    if counts is not None and counts.total_steps != counts.epochs * counts.steps_per_epoch:
        # The Loop stepper runs whole epochs; HF's max_steps may stop part way through one.
        ctx.fail(
            ("setup", "max_steps"),
            "loop_partial_epoch",
            steps=str(counts.total_steps),
            steps_per_epoch=str(counts.steps_per_epoch),
        )
        raise SpecError(ctx.errors)
    optimizer = resolve_optimizer(ctx, run.optimizer, ("optimizer",))
    num_steps = run.epochs * run.steps_per_epoch
    check_run_length(ctx, num_steps)
    if run.interval is not None:
        ctx.fail(("interval",), "loop_interval", **got(run.interval))
    args = run.scheduler.arguments()
    for name in args:
        if name != "schedulers":
            ctx.fail(("scheduler", name), "not_a_field", "extra_forbidden")
    entries = _entries(ctx, optimizer, args.get("schedulers"))
    interval = "step" if any(e.interval == "step" for e in entries) else "epoch"
    root = ResolvedScheduler(LOOP_INFO, {}, [e.scheduler for e in entries], ("scheduler",))
    if entries and not ctx.errors:
        rules.check_tree(ctx, root)
        _check_work(ctx, optimizer, entries, run.epochs, num_steps)
        _warn_entries(ctx, entries, run.epochs, run.steps_per_epoch)
    metric = _loop_metric(ctx, run, entries)
    window = step_window(ctx, run, num_steps)
    _check_size(ctx, run, window_length(window, num_steps), optimizer)
    if ctx.errors or optimizer is None or not entries:
        raise SpecError(ctx.errors or [error(LOC, "invalid", detail="is invalid")])
    return ResolvedRun(
        root,
        optimizer,
        run.epochs,
        run.steps_per_epoch,
        interval,
        metric,
        run.max_points,
        ctx.warnings,
        loop=entries,
        total_steps=counts.total_steps if counts else None,
        setup=counts,
        setup_spec=run.setup,
        window=window,
    )


# --- entries ------------------------------------------------------------------------------
def _entries(ctx: Context, optimizer: Any, raw: Any) -> list[ResolvedEntry]:
    if not isinstance(raw, list) or not raw:
        ctx.fail(LOC, "not_loop_entries", **got(raw))
        return []
    if len(raw) > ctx.limits.max_children:
        ctx.fail(
            LOC, "too_many_schedulers", count=str(len(raw)), maximum=str(ctx.limits.max_children)
        )
        return []
    entries = []
    for i, item in enumerate(raw):
        entry = _entry(ctx, optimizer, item, (*LOC, i))
        if entry is not None:
            entries.append(entry)
    return entries if len(entries) == len(raw) else []


def _entry(ctx: Context, optimizer: Any, raw: Any, loc: Loc) -> ResolvedEntry | None:
    if not isinstance(raw, dict):
        ctx.fail(loc, "not_loop_entry", **got(raw))
        return None
    for name in raw:
        if name not in ENTRY_FIELDS:
            ctx.fail((*loc, name), "not_a_field", "extra_forbidden")
    interval = raw.get("interval")
    if "interval" not in raw:
        ctx.fail((*loc, "interval"), "loop_interval_required", "missing")
    elif interval not in ("epoch", "step"):
        ctx.fail((*loc, "interval"), "not_in_choices", choices="'epoch', 'step'", **got(interval))
    every = _count(ctx, raw, "every", 1, 1, loc)
    begin = _count(ctx, raw, "begin", 0, 0, loc)
    end = None if raw.get("end") is None else _count(ctx, raw, "end", 0, 0, loc)
    if end is not None and begin is not None and end <= begin:
        ctx.fail((*loc, "end"), "end_not_after_begin", begin=str(begin), **got(raw.get("end")))
    spec = raw.get("scheduler")
    if "scheduler" not in raw:
        ctx.fail((*loc, "scheduler"), "loop_scheduler_required", "missing")
        return None
    if not isinstance(spec, dict):
        ctx.fail((*loc, "scheduler"), "not_scheduler_object", **got(spec))
        return None
    unit = interval if interval in ("epoch", "step") else "epoch"
    scheduler = resolve_scheduler(ctx, RunFacts(optimizer, unit), spec, (*loc, "scheduler"))
    if scheduler is None or ctx.failed_under(loc) or every is None or begin is None:
        return None
    return ResolvedEntry(scheduler, unit, every, begin, end, loc)


def _count(
    ctx: Context, raw: dict[str, Any], name: str, default: int, minimum: int, loc: Loc
) -> int | None:
    """A whole-number field (3.0 is 3, as for torch's integer arguments), or None if bad."""
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        ctx.fail((*loc, name), "not_integer", **got(value))
        return None
    if isinstance(value, float) and not value.is_integer():
        ctx.fail((*loc, name), "not_integer", **got(value))
        return None
    if value < minimum or value > 10**12:
        code, bound = ("too_small", minimum) if value < minimum else ("too_large", 10**12)
        key = "minimum" if code == "too_small" else "maximum"
        ctx.fail((*loc, name), code, **{key: fmt(bound)}, **got(value))
        return None
    return int(value)


# --- counts, work, warnings ---------------------------------------------------------------
def observed(entry: ResolvedEntry, epochs: int, num_steps: int) -> int:
    """Counts 0..observed-1 at which stepping this entry changes what the run uses."""
    return (num_steps if entry.interval == "step" else epochs) - 1


def _check_work(
    ctx: Context, optimizer: Any, entries: list[ResolvedEntry], epochs: int, num_steps: int
) -> None:
    """Each entry's tree replayed on counters for its own number of steps (defaults filled,
    run rules applied); the work summed over the entries and the loop's recording."""
    recorded = num_steps if any(e.interval == "step" for e in entries) else epochs
    work = float(recorded)
    for entry in entries:
        facts = RunFacts(optimizer, entry.interval)
        values = entry.times(observed(entry, epochs, num_steps)) + 1
        work += tree_work(ctx, facts, entry.scheduler, values)
    check_work_budget(ctx, work, recorded)


def _step_range(entry: ResolvedEntry, epochs: int, steps_per_epoch: int) -> tuple[int, int]:
    """The optimizer steps [first, last] after which this entry can be stepped."""
    if entry.interval == "step":
        end = epochs * steps_per_epoch if entry.end is None else entry.end
        return entry.begin, end - 1
    end = epochs if entry.end is None else entry.end
    return (entry.begin + 1) * steps_per_epoch - 1, end * steps_per_epoch - 1


def _warn_entries(
    ctx: Context, entries: list[ResolvedEntry], epochs: int, steps_per_epoch: int
) -> None:
    num_steps = epochs * steps_per_epoch
    live = []
    for i, entry in enumerate(entries):
        if entry.times(observed(entry, epochs, num_steps)) == 0:
            ctx.warn("loop_entry_never_steps", position=str(i), scheduler=entry.scheduler.info.name)
        else:
            live.append((i, entry, _step_range(entry, epochs, steps_per_epoch)))
    for a, (i, first, (lo1, hi1)) in enumerate(live):
        for j, second, (lo2, hi2) in live[a + 1 :]:
            lo, hi = max(lo1, lo2), min(hi1, hi2, num_steps - 2)
            if lo <= hi:
                ctx.warn(
                    "loop_entries_overlap",
                    first=str(i),
                    first_scheduler=first.scheduler.info.name,
                    second=str(j),
                    second_scheduler=second.scheduler.info.name,
                    step=str(lo),
                )


def _loop_metric(ctx: Context, run: RunSpec, entries: list[ResolvedEntry]) -> list[float] | None:
    """The metric values the plateau entries read, by the run's own index (epoch or step)."""
    num_steps = run.epochs * run.steps_per_epoch
    needed = [
        min(observed(e, run.epochs, num_steps), e.end if e.end is not None else num_steps)
        for e in entries
        if e.needs_metric
    ]
    if not needed:
        if run.metric is not None and (run.metric.values or run.metric.synthetic):
            ctx.warn("metric_ignored")
        return None
    if run.metric is None or (run.metric.values is None and run.metric.synthetic is None):
        ctx.warn("loop_synthetic_metric")
    return _metric(ctx, run.metric, max(needed))
