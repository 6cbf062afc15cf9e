"""The oracle: build torch's own optimizer and scheduler from a resolved run and step them,
recording ``param_groups[g]["lr"]`` (and momentum or beta1) as each optimizer step uses it."""

from __future__ import annotations

import torch
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from lrscope.catalog import constructor_params
from lrscope.engine import deadline
from lrscope.engine.curves import Curves
from lrscope.engine.fractional import fractional_epoch
from lrscope.errors import Loc, SpecError, error
from lrscope.spec.formula import Expression, ExpressionError
from lrscope.validation import ResolvedOptimizer, ResolvedRun, ResolvedScheduler


def dummy_params(num_groups: int) -> list[list[torch.Tensor]]:
    # 2-D so that optimizers restricted to matrices (Muon) accept them.
    return [[torch.zeros(2, 2, requires_grad=True)] for _ in range(num_groups)]


def build_optimizer(spec: ResolvedOptimizer, params: list[list[torch.Tensor]]) -> Optimizer:
    """The optimizer, one param group per entry of ``params`` with the spec's overrides."""
    groups = [{"params": p, **overrides} for p, overrides in zip(params, spec.groups, strict=True)]
    optimizer: Optimizer = spec.info.cls(groups, **spec.kwargs)
    return optimizer


def build_scheduler(spec: ResolvedScheduler, optimizer: Optimizer) -> LRScheduler:
    """Construct the scheduler (children first, in order, as a user's script would)."""
    kwargs = dict(spec.kwargs)
    if spec.children:
        kwargs["schedulers"] = [build_scheduler(c, optimizer) for c in spec.children]
    if "optimizer" in constructor_params(spec.info.cls):
        kwargs["optimizer"] = optimizer
    scheduler: LRScheduler = spec.info.cls(**kwargs)
    return scheduler


def momentum_key(optimizer: Optimizer) -> str | None:
    """Which group entry holds momentum: ``momentum``, beta1 of ``betas``, or none."""
    if "momentum" in optimizer.defaults:
        return "momentum"
    if "betas" in optimizer.defaults:
        return "betas"
    return None


def build(run: ResolvedRun) -> tuple[Optimizer, LRScheduler]:
    """Optimizer on dummy parameters plus its scheduler, ready to step.

    One ``optimizer.step()`` without gradients changes nothing but tells torch the
    optimizer has stepped, so it does not warn that the scheduler stepped first. A
    composite nested first in SequentialLR steps its children while being built, so the
    flag that step sets is raised beforehand too.
    """
    try:
        optimizer = build_optimizer(run.optimizer, dummy_params(len(run.optimizer.groups)))
    except Exception as exc:
        raise SpecError(
            [error(("optimizer",), "torch_rejects_optimizer_build", detail=str(exc))]
        ) from exc
    optimizer._opt_called = True  # type: ignore[attr-defined]
    try:
        scheduler = build_scheduler(run.scheduler, optimizer)
    except ExpressionError as exc:  # LambdaLR and its kin call the formula while built
        raise SpecError(
            [error(formula_loc(run), "formula_fails_at_build", "expression", detail=str(exc))]
        ) from exc
    except Exception as exc:
        raise SpecError(
            [error(("scheduler",), "torch_rejects_scheduler", detail=str(exc))]
        ) from exc
    optimizer.step()
    return optimizer, scheduler


def step_curves(run: ResolvedRun) -> Curves:
    """Step torch's own scheduler once per value the run uses and record every group."""
    optimizer, scheduler = build(run)
    groups = optimizer.param_groups
    key = momentum_key(optimizer)
    count = run.scheduler_values
    lrs: list[list[float]] = [[] for _ in groups]
    moms: list[list[float]] = [[] for _ in groups]
    metric = run.metric
    k = 0
    try:
        for k in range(count):
            deadline.check(k)
            for g, group in enumerate(groups):
                lrs[g].append(group["lr"])
                if key == "momentum":
                    moms[g].append(group["momentum"])
                elif key == "betas":
                    moms[g].append(group["betas"][0])
            if k + 1 < count:
                if metric is not None:
                    scheduler.step(metric[k])  # type: ignore[arg-type]
                elif run.interval == "fractional":
                    scheduler.step(fractional_epoch(k, run.steps_per_epoch))  # type: ignore[arg-type]
                else:
                    scheduler.step()
    except deadline.EvaluationCancelled:
        raise
    except Exception as exc:
        raise step_failure(exc, formula_loc(run), ("scheduler",), k) from exc
    return Curves(lrs, moms if key else None)


def step_failure(exc: Exception, formula_loc: Loc, loc: Loc, k: int) -> SpecError:
    """What a ``scheduler.step()`` that raised after value ``k`` becomes: a formula's own
    failure at ``formula_loc``, anything else torch raised at ``loc``."""
    if isinstance(exc, ExpressionError):
        return SpecError(
            [
                error(
                    formula_loc,
                    "formula_fails_at_step",
                    "expression",
                    step=str(k + 1),
                    detail=str(exc),
                )
            ]
        )
    return SpecError(
        [
            error(
                loc,
                "torch_raised_at_step",
                error=type(exc).__name__,
                step=str(k + 1),
                detail=str(exc),
            )
        ]
    )


def formula_loc(run: ResolvedRun) -> Loc:
    """Where the failing formula sits: its field when the run has one formula."""
    locs = _expression_locs(run.scheduler)
    return locs[0] if len(locs) == 1 else ("scheduler",)


def _expression_locs(spec: ResolvedScheduler) -> list[Loc]:
    """Where the formulas of a scheduler tree sit in the spec."""
    locs: list[Loc] = []
    for name, value in spec.kwargs.items():
        if isinstance(value, Expression):
            locs.append((*spec.loc, name))
        elif isinstance(value, list):
            locs += [(*spec.loc, name, i) for i, v in enumerate(value) if isinstance(v, Expression)]
    for child in spec.children:
        locs += _expression_locs(child)
    return locs
