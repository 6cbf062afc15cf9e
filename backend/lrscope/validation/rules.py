"""Structure rules: across the fields of one spec, what torch accepts and then crashes on,
or silently turns into nonsense (milestones, nesting, which optimizer momentum cycling
needs). Rules that need to know how often torch steps each scheduler are in
``run_rules.py``.

Where torch's behaviour is real but surprising, a rule adds a plain-language warning and
lets the values stand: the curve always shows what torch does. Rules only report; they
never change the spec.
"""

from __future__ import annotations

import itertools
from collections import Counter as Tally
from collections.abc import Callable
from typing import Any

import torch
from torch.optim import lr_scheduler

from lrscope.catalog import SchedulerInfo
from lrscope.errors import Loc, fmt
from lrscope.validation.context import Context, RunFacts
from lrscope.validation.momentum import warn_momentum
from lrscope.validation.resolved import ResolvedOptimizer, ResolvedScheduler
from lrscope.validation.step_counts import Kind


def per_group(v: Any, n: int) -> list[Any]:
    return list(v) if isinstance(v, (list, tuple)) else [v] * n


def kind_of(info: SchedulerInfo) -> Kind:
    if issubclass(info.cls, lr_scheduler.SequentialLR):
        return "sequential"
    return "chained" if info.composite else "leaf"


# --- optimizer ----------------------------------------------------------------------------
def check_optimizer(ctx: Context, opt: ResolvedOptimizer, loc: Loc) -> None:
    if issubclass(opt.info.cls, torch.optim.SGD) and opt.kwargs.get("nesterov"):
        momentum, dampening = opt.kwargs.get("momentum", 0.0), opt.kwargs.get("dampening", 0.0)
        if momentum <= 0 or dampening != 0:
            ctx.fail(
                (*loc, "nesterov"),
                "nesterov_needs_momentum",
                momentum=fmt(momentum),
                dampening=fmt(dampening),
            )


def _cycles_momentum(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    if not r.kwargs.get("cycle_momentum", True) or facts.optimizer is None:
        return
    opt = facts.optimizer
    if opt.info.momentum is None:
        ctx.fail((*r.loc, "cycle_momentum"), "no_momentum_to_cycle", optimizer=opt.info.name)
    elif opt.info.momentum == "momentum":
        momenta = [g.get("momentum", opt.kwargs.get("momentum", 0)) for g in opt.groups]
        if any(m == 0 for m in momenta):
            ctx.warn("cycle_momentum_switches_on", scheduler=r.info.name)
    warn_momentum(ctx, r)


# --- structure rules ----------------------------------------------------------------------
def _sequential(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    ms = r.kwargs.get("milestones", [])
    n = len(r.children)
    if len(ms) != n - 1:
        ctx.fail(
            (*r.loc, "milestones"),
            "milestones_count",
            schedulers=str(n),
            needed=str(n - 1),
            count=str(len(ms)),
        )
        return
    if any(b <= a for a, b in itertools.pairwise(ms)):
        ctx.fail((*r.loc, "milestones"), "milestones_not_increasing", milestones=str(ms))
    for i, child in enumerate(r.children):
        name = child.info.name
        if child.info.needs_metric:
            ctx.fail(
                (*r.loc, "schedulers", i, "type"),
                "metric_scheduler_nested",
                scheduler=name,
                parent="SequentialLR",
            )
        elif i > 0 and child.info.composite:
            ctx.fail((*r.loc, "schedulers", i, "type"), "composite_after_milestone", scheduler=name)


def _chained(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    for i, child in enumerate(r.children):
        if child.info.needs_metric:
            ctx.fail(
                (*r.loc, "schedulers", i, "type"),
                "metric_scheduler_nested",
                scheduler=child.info.name,
                parent=r.info.name,
            )
        elif child.info.name in ("CyclicLR", "OneCycleLR") and len(r.children) > 1:
            ctx.warn("chained_overrides", scheduler=child.info.name, parent=r.info.name)


def check_tree(ctx: Context, root: ResolvedScheduler) -> None:
    """Schedulers that keep their state in the param groups overwrite each other's."""
    count = sum(r.info.name == "OneCycleLR" for r in root.walk())
    if count > 1:
        ctx.warn("onecycle_shared", count=str(count))


def _nested_quirks(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    kind = kind_of(r.info)
    if kind == "sequential" and r.kwargs.get("milestones"):
        ctx.warn("nested_sequential_early", unit=facts.unit)
    elif kind == "chained":
        ctx.warn("composite_in_sequential", scheduler=r.info.name)


def _multistep(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    for milestone, times in Tally(r.kwargs.get("milestones", [])).items():
        if times > 1:
            ctx.warn("milestone_repeated", milestone=str(milestone), times=str(times))


def _cyclic(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    base = per_group(r.kwargs["base_lr"], facts.num_groups)
    top = per_group(r.kwargs["max_lr"], facts.num_groups)
    for g, (b, m) in enumerate(zip(base, top, strict=True)):
        if m < b:
            loc = (
                (*r.loc, "max_lr", g)
                if isinstance(r.kwargs["max_lr"], list)
                else (*r.loc, "max_lr")
            )
            ctx.fail(loc, "below_base_lr", base_lr=fmt(b), value=fmt(m))
    if r.kwargs.get("scale_fn") is not None and "mode" in r.kwargs:
        ctx.warn("mode_ignored")
    _cycles_momentum(ctx, facts, r)


def _onecycle(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    kw = r.kwargs
    has_epochs, has_steps = kw.get("epochs") is not None, kw.get("steps_per_epoch") is not None
    if kw.get("total_steps") is None and has_epochs != has_steps:
        ctx.fail((*r.loc, "steps_per_epoch" if has_epochs else "epochs"), "onecycle_length_args")
        return
    if kw.get("total_steps") is not None and (has_epochs or has_steps):
        ctx.warn("onecycle_total_steps_wins")
    _cycles_momentum(ctx, facts, r)


STRUCTURE_RULES: dict[str, Callable[[Context, RunFacts, ResolvedScheduler], None]] = {
    "MultiStepLR": _multistep,
    "CyclicLR": _cyclic,
    "OneCycleLR": _onecycle,
}


def check_structure(
    ctx: Context, facts: RunFacts, r: ResolvedScheduler, inside_sequential: bool
) -> None:
    """Rules on one scheduler whose own arguments and children are valid."""
    kind = kind_of(r.info)
    if kind == "sequential":
        _sequential(ctx, facts, r)
    elif kind == "chained":
        _chained(ctx, facts, r)
    if inside_sequential:
        _nested_quirks(ctx, facts, r)
    rule = STRUCTURE_RULES.get(r.info.name)
    if rule is not None:
        rule(ctx, facts, r)
