"""Run rules: what is wrong or surprising once it is known how often torch steps each
scheduler (``step_counts``): OneCycleLR stepped past its end, a cosine past ``T_max``, a
SequentialLR milestone the run never reaches. They only report; defaults such as
OneCycleLR's ``total_steps`` are filled beforehand by ``defaults.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from lrscope.errors import fmt
from lrscope.validation.context import Context, RunFacts
from lrscope.validation.resolved import ResolvedScheduler
from lrscope.validation.step_counts import Counter


def _onecycle_run(ctx: Context, facts: RunFacts, r: ResolvedScheduler, c: Counter) -> None:
    kw = r.kwargs
    used = c.max_epoch + 1  # scheduler states torch computes: 0 .. max_epoch
    given = "total_steps" not in r.filled  # else defaults.py made it the run length
    total = kw.get("total_steps")
    if total is None:
        total = kw["epochs"] * kw["steps_per_epoch"]
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


def _above_lr(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    eta_min = r.kwargs.get("eta_min", 0.0)
    if any(eta_min > lr for lr in facts.group_lrs):
        ctx.warn(
            f"{r.info.name}: eta_min = {fmt(eta_min)} is above the initial learning "
            "rate, so the curve goes up instead of down."
        )


def _cosine_run(ctx: Context, facts: RunFacts, r: ResolvedScheduler, c: Counter) -> None:
    t_max = r.kwargs.get("T_max", 1)
    if c.max_epoch > t_max:
        ctx.warn(
            f"CosineAnnealingLR is stepped {c.max_epoch} times but T_max = {t_max}: past "
            "T_max the cosine rises again towards the initial rate (torch does not hold "
            "it at eta_min). Set T_max to the run length to decay once."
        )
    _above_lr(ctx, facts, r)


def _restarts_run(ctx: Context, facts: RunFacts, r: ResolvedScheduler, c: Counter) -> None:
    _above_lr(ctx, facts, r)


def _growth_run(ctx: Context, facts: RunFacts, r: ResolvedScheduler, c: Counter) -> None:
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


def _sequential_run(ctx: Context, facts: RunFacts, r: ResolvedScheduler, c: Counter) -> None:
    for i, milestone in enumerate(r.kwargs.get("milestones", [])):
        if c.max_epoch < milestone:
            ctx.warn(
                f"SequentialLR: the run ends before milestone {milestone}, so scheduler "
                f"{i + 2} ({r.children[i + 1].info.name}) never runs."
            )
            return


RUN_RULES: dict[str, Callable[[Context, RunFacts, ResolvedScheduler, Counter], None]] = {
    "OneCycleLR": _onecycle_run,
    "CosineAnnealingLR": _cosine_run,
    "CosineAnnealingWarmRestarts": _restarts_run,
    "StepLR": _growth_run,
    "MultiStepLR": _growth_run,
    "ExponentialLR": _growth_run,
    "CyclicLR": _growth_run,
    "SequentialLR": _sequential_run,
}


def check_run(ctx: Context, facts: RunFacts, r: ResolvedScheduler, c: Counter) -> None:
    """Rules that need to know how often torch steps ``r`` in this run (``c``)."""
    rule = RUN_RULES.get(r.info.name)
    if rule is not None:
        rule(ctx, facts, r, c)
