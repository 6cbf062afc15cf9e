"""Cross-field rules: what torch accepts and then crashes on, or silently turns into nonsense.

Two kinds, both run before torch does:

- structure rules look at one scheduler spec and its children (milestones, nesting, which
  optimizer the momentum cycling needs);
- run rules also know how often torch will step each scheduler in this run (``plan``), so
  they can tell that OneCycleLR would be stepped past its end or a cosine past ``T_max``.

Where torch's behaviour is real but surprising, the rule adds a plain-language warning
and lets the values stand: the curve always shows what torch does.
"""

from __future__ import annotations

import itertools
from collections import Counter as Tally
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import torch
from torch.optim import lr_scheduler

from lrscope.catalog import SchedulerInfo
from lrscope.plan import Counter, Kind

if TYPE_CHECKING:
    from lrscope.validation import Context, ResolvedOptimizer, ResolvedScheduler


def fmt(v: float) -> str:
    """A number as a student would write it: 3, not 3.0."""
    return repr(int(v)) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else repr(v)


def per_group(v: Any, n: int) -> list[Any]:
    return list(v) if isinstance(v, (list, tuple)) else [v] * n


def kind_of(info: SchedulerInfo) -> Kind:
    if issubclass(info.cls, lr_scheduler.SequentialLR):
        return "sequential"
    return "chained" if info.composite else "leaf"


# --- optimizer ----------------------------------------------------------------------------
def check_optimizer(ctx: Context, opt: ResolvedOptimizer, loc: tuple[str | int, ...]) -> None:
    if issubclass(opt.info.cls, torch.optim.SGD) and opt.kwargs.get("nesterov"):
        momentum, dampening = opt.kwargs.get("momentum", 0.0), opt.kwargs.get("dampening", 0.0)
        if momentum <= 0 or dampening != 0:
            ctx.fail(
                (*loc, "nesterov"),
                "Nesterov momentum needs momentum above 0 and dampening 0 "
                f"(here momentum = {fmt(momentum)}, dampening = {fmt(dampening)})",
            )


def _cycles_momentum(ctx: Context, r: ResolvedScheduler) -> None:
    if not r.kwargs.get("cycle_momentum", True) or ctx.optimizer is None:
        return
    opt = ctx.optimizer
    if opt.info.momentum is None:
        ctx.fail(
            (*r.loc, "cycle_momentum"),
            f"{opt.info.name} has no momentum or betas to cycle; set cycle_momentum to "
            "false, or pick an optimizer with momentum (SGD, RMSprop) or betas (Adam...)",
        )
    elif opt.info.momentum == "momentum":
        momenta = [g.get("momentum", opt.kwargs.get("momentum", 0)) for g in opt.groups]
        if any(m == 0 for m in momenta):
            ctx.warn(
                f"{r.info.name} with cycle_momentum=true switches momentum on: the "
                f"optimizer had momentum = 0, and torch overwrites it with the cycled "
                "momentum."
            )


# --- structure rules ----------------------------------------------------------------------
def _sequential(ctx: Context, r: ResolvedScheduler) -> None:
    ms = r.kwargs.get("milestones", [])
    n = len(r.children)
    if len(ms) != n - 1:
        ctx.fail(
            (*r.loc, "milestones"),
            f"needs exactly one milestone fewer than schedulers: {n} scheduler(s) need "
            f"{n - 1} milestone(s), got {len(ms)}",
        )
        return
    if any(b <= a for a, b in itertools.pairwise(ms)):
        ctx.fail((*r.loc, "milestones"), f"must be strictly increasing, e.g. [5, 50]; got {ms}")
    for i, child in enumerate(r.children):
        name = child.info.name
        if child.info.needs_metric:
            ctx.fail(
                (*r.loc, "schedulers", i, "type"),
                f"{name} cannot go inside SequentialLR: it is stepped with a metric",
            )
        elif i > 0 and child.info.composite:
            ctx.fail(
                (*r.loc, "schedulers", i, "type"),
                f"torch cannot switch to a {name} at a milestone (it raises "
                "NotImplementedError); only the first scheduler of a SequentialLR may "
                "be a composite: restructure, e.g. put the SequentialLR inside a "
                "ChainedScheduler",
            )


def _chained(ctx: Context, r: ResolvedScheduler) -> None:
    for i, child in enumerate(r.children):
        if child.info.needs_metric:
            ctx.fail(
                (*r.loc, "schedulers", i, "type"),
                f"{child.info.name} cannot go inside {r.info.name}: it is stepped with a metric",
            )
        elif child.info.name in ("CyclicLR", "OneCycleLR") and len(r.children) > 1:
            ctx.warn(
                f"{child.info.name} sets the rate from scratch at every step, so in a "
                f"{r.info.name} it overrides or mixes with the others' rates in torch's "
                "order-dependent way (its first value may not be its own). The curve shows "
                "what torch really does."
            )


def check_tree(ctx: Context, root: ResolvedScheduler) -> None:
    """Schedulers that keep their state in the param groups overwrite each other's."""
    count = sum(r.info.name == "OneCycleLR" for r in root.walk())
    if count > 1:
        ctx.warn(
            f"{count} OneCycleLRs in one run share the rates torch stores in the param "
            "groups (initial_lr, max_lr, min_lr): each one built later overwrites them, so "
            "the earlier ones run with the last one's settings."
        )


def _nested_quirks(ctx: Context, r: ResolvedScheduler) -> None:
    kind = kind_of(r.info)
    if kind == "sequential" and r.kwargs.get("milestones"):
        ctx.warn(
            f"A SequentialLR inside another SequentialLR switches to its next scheduler "
            f"one {ctx.unit} early (a torch quirk: the outer one steps it once more when "
            "it starts). The curve shows what torch really does."
        )
    elif kind == "chained":
        ctx.warn(
            f"A {r.info.name} inside a SequentialLR gets one extra step when the "
            "SequentialLR starts (a torch quirk), so its rates start one step ahead. "
            "The curve shows what torch really does."
        )


def _multistep(ctx: Context, r: ResolvedScheduler) -> None:
    for milestone, times in Tally(r.kwargs.get("milestones", [])).items():
        if times > 1:
            ctx.warn(
                f"MultiStepLR: milestone {milestone} is listed {times} times, so the rate "
                f"is multiplied by gamma {times} times there."
            )


def _cyclic(ctx: Context, r: ResolvedScheduler) -> None:
    base = per_group(r.kwargs["base_lr"], ctx.num_groups)
    top = per_group(r.kwargs["max_lr"], ctx.num_groups)
    for g, (b, m) in enumerate(zip(base, top, strict=True)):
        if m < b:
            loc = (
                (*r.loc, "max_lr", g)
                if isinstance(r.kwargs["max_lr"], list)
                else (*r.loc, "max_lr")
            )
            ctx.fail(loc, f"must be at least base_lr ({fmt(b)}), got {fmt(m)}")
    if r.kwargs.get("scale_fn") is not None and "mode" in r.kwargs:
        ctx.warn(
            "CyclicLR: mode is ignored when scale_fn is given (torch uses scale_fn and "
            "scale_mode instead)."
        )
    _cycles_momentum(ctx, r)


def _onecycle(ctx: Context, r: ResolvedScheduler) -> None:
    kw = r.kwargs
    has_epochs, has_steps = kw.get("epochs") is not None, kw.get("steps_per_epoch") is not None
    if kw.get("total_steps") is None and has_epochs != has_steps:
        ctx.fail(
            (*r.loc, "steps_per_epoch" if has_epochs else "epochs"),
            "give both epochs and steps_per_epoch, or total_steps, or none of them "
            "(then total_steps is the run length)",
        )
        return
    if kw.get("total_steps") is not None and (has_epochs or has_steps):
        ctx.warn("OneCycleLR: total_steps is given, so torch ignores epochs and steps_per_epoch.")
    _cycles_momentum(ctx, r)


STRUCTURE_RULES: dict[str, Callable[[Context, ResolvedScheduler], None]] = {
    "MultiStepLR": _multistep,
    "CyclicLR": _cyclic,
    "OneCycleLR": _onecycle,
}


def check_structure(ctx: Context, r: ResolvedScheduler, inside_sequential: bool) -> None:
    """Rules on one scheduler whose own arguments and children are valid."""
    kind = kind_of(r.info)
    if kind == "sequential":
        _sequential(ctx, r)
    elif kind == "chained":
        _chained(ctx, r)
    if inside_sequential:
        _nested_quirks(ctx, r)
    rule = STRUCTURE_RULES.get(r.info.name)
    if rule is not None:
        rule(ctx, r)


# --- run rules ----------------------------------------------------------------------------
def _onecycle_run(ctx: Context, r: ResolvedScheduler, c: Counter) -> None:
    kw = r.kwargs
    used = c.max_epoch + 1  # scheduler states torch computes: 0 .. max_epoch
    total = kw.get("total_steps")
    given = total is not None or kw.get("epochs") is not None
    if total is None and kw.get("epochs") is not None:
        total = kw["epochs"] * kw["steps_per_epoch"]
    if total is None:
        total = max(used, 2)
        kw["total_steps"] = total
    where = "total_steps" if kw.get("total_steps") is not None else "epochs"
    if used > total:
        ctx.fail(
            (*r.loc, where),
            f"OneCycleLR is stepped {used - 1} times in this run, so it needs "
            f"total_steps of at least {used}, got {total}: past its end torch "
            "extrapolates and then raises an error. Give a larger value, or leave "
            "total_steps out to use the run length",
        )
        return
    pct = kw.get("pct_start", 0.3)
    # torch's own phase boundaries (OneCycleLR.__init__), in the same float arithmetic
    end1, end2 = float(pct * total) - 1, float(2 * pct * total) - 2
    if end1 <= 0:
        run_length = "" if given else " (total_steps is the run length here)"
        fix = "total_steps of" if given else "a run of"
        ctx.fail(
            (*r.loc, "pct_start"),
            f"the warm-up gets no steps: pct_start x total_steps must be more than 1, got "
            f"{fmt(pct)} x {total} = {pct * total:.3g}{run_length}. Use pct_start above "
            f"{1 / total:.3g}, or {fix} at least {int(1 / pct) + 1} steps",
        )
        return
    bounds = [end1, end2, total - 1] if kw.get("three_phase") else [end1, total - 1]
    if any(b <= a for a, b in itertools.pairwise(bounds)):
        below = (total + 1) / (2 * total) if kw.get("three_phase") else 1.0
        ctx.fail(
            (*r.loc, "pct_start"),
            f"pct_start = {fmt(pct)} leaves the last phase no steps with total_steps = "
            f"{total}{' and three_phase' if kw.get('three_phase') else ''}; use a "
            f"pct_start below {below:.3g}",
        )
        return
    if given and used < total:
        ctx.warn(
            f"OneCycleLR is set for {total} steps but this run computes only the first "
            f"{used}: the rest of the cycle is not shown."
        )


def _above_lr(ctx: Context, r: ResolvedScheduler) -> None:
    eta_min = r.kwargs.get("eta_min", 0.0)
    if any(eta_min > lr for lr in ctx.group_lrs):
        ctx.warn(
            f"{r.info.name}: eta_min = {fmt(eta_min)} is above the initial learning "
            "rate, so the curve goes up instead of down."
        )


def _cosine_run(ctx: Context, r: ResolvedScheduler, c: Counter) -> None:
    t_max = r.kwargs.get("T_max", 1)
    if c.max_epoch > t_max:
        ctx.warn(
            f"CosineAnnealingLR is stepped {c.max_epoch} times but T_max = {t_max}: past "
            "T_max the cosine rises again towards the initial rate (torch does not hold "
            "it at eta_min). Set T_max to the run length to decay once."
        )
    _above_lr(ctx, r)


def _restarts_run(ctx: Context, r: ResolvedScheduler, c: Counter) -> None:
    _above_lr(ctx, r)


def _growth_run(ctx: Context, r: ResolvedScheduler, c: Counter) -> None:
    gamma = r.kwargs.get("gamma", 0.1)
    if r.info.name == "CyclicLR" and (
        r.kwargs.get("mode") != "exp_range" or r.kwargs.get("scale_fn") is not None
    ):
        return
    if gamma > 1:
        ctx.warn(
            f"{r.info.name}: gamma = {fmt(gamma)} is above 1, so the learning rate grows "
            "instead of decaying."
        )


def _sequential_run(ctx: Context, r: ResolvedScheduler, c: Counter) -> None:
    for i, milestone in enumerate(r.kwargs.get("milestones", [])):
        if c.max_epoch < milestone:
            ctx.warn(
                f"SequentialLR: the run ends before milestone {milestone}, so scheduler "
                f"{i + 2} ({r.children[i + 1].info.name}) never runs."
            )
            return


RUN_RULES: dict[str, Callable[[Context, ResolvedScheduler, Counter], None]] = {
    "OneCycleLR": _onecycle_run,
    "CosineAnnealingLR": _cosine_run,
    "CosineAnnealingWarmRestarts": _restarts_run,
    "StepLR": _growth_run,
    "MultiStepLR": _growth_run,
    "ExponentialLR": _growth_run,
    "CyclicLR": _growth_run,
    "SequentialLR": _sequential_run,
}


def check_run(ctx: Context, r: ResolvedScheduler, c: Counter) -> None:
    """Rules that need to know how often torch steps ``r`` in this run (``c``)."""
    rule = RUN_RULES.get(r.info.name)
    if rule is not None:
        rule(ctx, r, c)
