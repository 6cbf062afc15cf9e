"""Run rules: what is wrong or surprising once it is known how often torch steps each
scheduler (``step_counts``): OneCycleLR stepped past its end, a cosine past ``T_max``, a
SequentialLR milestone the run never reaches. They only report; defaults such as
OneCycleLR's ``total_steps`` are filled beforehand by ``defaults.py``.
"""

from __future__ import annotations

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
            "onecycle_too_short",
            steps=str(used - 1),
            needed=str(used),
            total=str(total),
        )
        return
    pct = kw.get("pct_start", 0.3)
    # torch's own phase boundaries (OneCycleLR.__init__), in the same float arithmetic
    end1, end2 = float(pct * total) - 1, float(2 * pct * total) - 2
    if end1 <= 0:
        ctx.fail(
            (*r.loc, "pct_start"),
            "onecycle_no_warmup" if given else "onecycle_no_warmup_run_length",
            pct_start=fmt(pct),
            total=str(total),
            product=f"{pct * total:.3g}",
            min_pct_start=f"{1 / total:.3g}",
            min_steps=str(int(1 / pct) + 1),
        )
        return
    # Two phases always have a last one: the catalog keeps pct_start below 1.
    if kw.get("three_phase") and not end1 < end2 < total - 1:
        ctx.fail(
            (*r.loc, "pct_start"),
            "onecycle_no_last_phase",
            pct_start=fmt(pct),
            total=str(total),
            max_pct_start=f"{(total + 1) / (2 * total):.3g}",
        )
        return
    if given and used < total:
        ctx.warn("onecycle_partial", total=str(total), used=str(used))


def _above_lr(ctx: Context, facts: RunFacts, r: ResolvedScheduler) -> None:
    eta_min = r.kwargs.get("eta_min", 0.0)
    if any(eta_min > lr for lr in facts.group_lrs):
        ctx.warn("eta_min_above_lr", scheduler=r.info.name, eta_min=fmt(eta_min))


def _cosine_run(ctx: Context, facts: RunFacts, r: ResolvedScheduler, c: Counter) -> None:
    t_max = r.kwargs.get("T_max", 1)
    if c.max_epoch > t_max:
        ctx.warn("cosine_past_t_max", steps=str(c.max_epoch), t_max=str(t_max))
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
        ctx.warn("gamma_above_one", scheduler=r.info.name, gamma=fmt(gamma))


def _sequential_run(ctx: Context, facts: RunFacts, r: ResolvedScheduler, c: Counter) -> None:
    for i, milestone in enumerate(r.kwargs.get("milestones", [])):
        if c.max_epoch < milestone:
            ctx.warn(
                "milestone_never_reached",
                milestone=str(milestone),
                position=str(i + 2),
                scheduler=r.children[i + 1].info.name,
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
