"""Check a RunSpec against the catalog before torch runs, and resolve it for evaluation.

The driver, in order: the optimizer (``optimizer.py``, built once by torch), the run
length, the scheduler tree and its structure rules (``scheduler.py``, ``rules.py``), then
how often torch steps each scheduler (``step_counts.py``), the defaults that depend on it
(``defaults.py``) and the rules that need it (``run_rules.py``), the metric, and the caps
on work and response size. Every problem found is reported at once, each at its field.
"""

from __future__ import annotations

import ast
import math
import random

import lrscope.validation.rules as rules
import lrscope.validation.run_rules as run_rules
import lrscope.validation.step_counts as step_counts
from lrscope.catalog import Catalog
from lrscope.errors import SpecError, error
from lrscope.settings import Limits
from lrscope.spec import MetricSpec, RunSpec, SyntheticMetric
from lrscope.spec.formula import Expression, parse
from lrscope.validation.context import Context, RunFacts
from lrscope.validation.defaults import fill_run_defaults
from lrscope.validation.fractional import check_fractional
from lrscope.validation.optimizer import resolve_optimizer
from lrscope.validation.resolved import ResolvedOptimizer, ResolvedRun, ResolvedScheduler
from lrscope.validation.scheduler import default_interval, resolve_scheduler
from lrscope.validation.setup import apply_setup, pitfalls
from lrscope.validation.step_range import step_window, window_length

# One unit of work: one scheduler computing one param group's rate once (a formula adds a
# tenth per operation in it). A run may cost WORK_PER_STEP x max_total_steps units (the
# longest run of one scheduler on two groups) and return NUMBERS_PER_STEP x as many numbers.
WORK_PER_STEP = 2
NUMBERS_PER_STEP = 4  # x, epoch, lr and momentum of one group


def resolve_run(run: RunSpec, catalog: Catalog, limits: Limits) -> ResolvedRun:
    """Validate ``run`` completely; raise SpecError listing every problem found."""
    ctx = Context(catalog, limits)
    run, counts = apply_setup(ctx, run)
    optimizer = resolve_optimizer(ctx, run.optimizer, ("optimizer",))
    num_steps = counts.total_steps if counts else run.epochs * run.steps_per_epoch
    check_run_length(ctx, num_steps)
    raw = {"type": run.scheduler.type, **run.scheduler.arguments()}
    interval = run.interval or default_interval(ctx, raw)
    facts = RunFacts(optimizer, interval)
    values = run.epochs if interval == "epoch" else num_steps
    # The scheduler is built once (its step 0) and stepped once per later value.
    scheduler = resolve_scheduler(ctx, facts, raw)
    if scheduler is not None:
        check_fractional(ctx, interval, scheduler)
    if scheduler is not None and not ctx.errors:
        rules.check_tree(ctx, scheduler)
        _check_run(ctx, facts, scheduler, values)
    metric = None
    if scheduler is not None and scheduler.info.needs_metric:
        metric = _metric(ctx, run.metric, values - 1)
    elif run.metric is not None and (run.metric.values or run.metric.synthetic):
        ctx.warn("metric_ignored")
    window = step_window(ctx, run, num_steps)
    _check_size(ctx, run, window_length(window, num_steps), optimizer)
    if ctx.errors or scheduler is None or optimizer is None:
        raise SpecError(ctx.errors or [error(("scheduler",), "invalid", detail="is invalid")])
    resolved = ResolvedRun(
        scheduler,
        optimizer,
        run.epochs,
        run.steps_per_epoch,
        interval,
        metric,
        run.max_points,
        ctx.warnings,
        total_steps=counts.total_steps if counts else None,
        setup=counts,
        setup_spec=run.setup,
        window=window,
    )
    if counts is not None:
        resolved.pitfalls = pitfalls(resolved, counts, limits.max_total_steps)
    return resolved


def check_run_length(ctx: Context, num_steps: int) -> None:
    """Refuse a run of more optimizer steps than the cap, at ``epochs``, before any work."""
    if num_steps > ctx.limits.max_total_steps:
        ctx.fail(
            ("epochs",),
            "run_too_long",
            steps=f"{num_steps:,}",
            maximum=f"{ctx.limits.max_total_steps:,}",
        )
        raise SpecError(ctx.errors)


# --- stepping: counts, defaults, run rules, work ------------------------------------------
def _counter(r: ResolvedScheduler) -> step_counts.Counter:
    kind = rules.kind_of(r.info)
    milestones = list(r.kwargs.get("milestones", [])) if kind == "sequential" else []
    return step_counts.Counter(kind, milestones, [_counter(c) for c in r.children])


_OPERATIONS = (ast.BinOp, ast.UnaryOp, ast.Call, ast.Compare, ast.BoolOp, ast.IfExp)


def _formula_size(r: ResolvedScheduler) -> int:
    """Operations in the largest formula of ``r`` (each costs about a tenth of a step)."""
    exprs = [
        e
        for v in r.kwargs.values()
        for e in (v if isinstance(v, list) else [v])
        if isinstance(e, Expression)
    ]
    return max(
        (sum(isinstance(n, _OPERATIONS) for n in ast.walk(parse(e.source))) for e in exprs),
        default=0,
    )


def _check_run(ctx: Context, facts: RunFacts, root: ResolvedScheduler, values: int) -> None:
    """Replay torch's stepping on counters; fill the defaults and apply the rules that need
    the counts; cap the work."""
    check_work_budget(ctx, tree_work(ctx, facts, root, values), values)


def tree_work(ctx: Context, facts: RunFacts, root: ResolvedScheduler, values: int) -> float:
    """The work of stepping ``root`` to give ``values`` values, replayed on counters (which
    fills the defaults that depend on the counts and applies the run rules)."""
    counters = step_counts.simulate(_counter(root), values)
    work = 0.0
    for r, c in zip(root.walk(), counters.walk(), strict=True):
        fill_run_defaults(r, c)
        run_rules.check_run(ctx, facts, r, c)
        per = facts.num_groups * (1 + _formula_size(r) / 10) if c.kind == "leaf" else 1
        work += c.computes * per
    return work


def check_work_budget(ctx: Context, work: float, steps: int) -> None:
    """Refuse a run whose work is over WORK_PER_STEP x max_total_steps, at ``epochs``."""
    budget = WORK_PER_STEP * ctx.limits.max_total_steps
    if work > budget:
        ctx.fail(
            ("epochs",),
            "too_much_work",
            work=f"{work:,.0f}",
            steps=f"{steps:,}",
            maximum=f"{budget:,}",
        )


# --- metric and size ----------------------------------------------------------------------
def synthetic_metric(spec: SyntheticMetric, count: int) -> list[float]:
    """A seeded validation-loss curve: exponential decay to a floor, with relative noise."""
    rng = random.Random(spec.seed)
    span = spec.initial - spec.final
    return [
        (spec.final + span * math.exp(-k / spec.decay_steps)) * (1 + spec.noise * rng.gauss(0, 1))
        for k in range(count)
    ]


def _metric(ctx: Context, metric: MetricSpec | None, needed: int) -> list[float]:
    if metric is not None and metric.values is not None:
        values = metric.values
        if len(values) < needed:
            ctx.fail(
                ("metric", "values"), "metric_too_short", count=str(len(values)), needed=str(needed)
            )
        for i, v in enumerate(values[:needed]):
            if not math.isfinite(v):
                ctx.fail(("metric", "values", i), "not_finite")
                break
        return list(values[:needed])
    if ctx.errors:  # the run will not be evaluated: do not spend time on the curve
        return []
    return synthetic_metric(
        metric.synthetic if metric and metric.synthetic else SyntheticMetric(), needed
    )


def _check_size(
    ctx: Context, run: RunSpec, num_steps: int, optimizer: ResolvedOptimizer | None
) -> None:
    points = num_steps if run.max_points == 0 else min(num_steps, run.max_points)
    per_group = 2 if optimizer is not None and optimizer.info.momentum else 1
    groups = len(optimizer.groups) if optimizer is not None else 1
    numbers = points * (2 + groups * per_group)
    allowed = NUMBERS_PER_STEP * ctx.limits.max_total_steps
    if numbers > allowed:
        ctx.fail(
            ("max_points",),
            "response_too_large",
            numbers=f"{numbers:,}",
            points=f"{points:,}",
            maximum=f"{allowed:,}",
        )
