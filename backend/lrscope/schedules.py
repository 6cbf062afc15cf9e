"""RunSpec -> torch optimizer + scheduler -> the exact learning-rate curves.

Pure: no web framework here. Point *i* of a curve is ``param_groups[g]["lr"]`` as the
optimizer uses it for optimizer step *i*, i.e. read before the scheduler steps that follow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from pydantic import ValidationError
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from lrscope import fastpath
from lrscope.catalog import Catalog, constructor_params, default_catalog
from lrscope.expressions import Expression, ExpressionError
from lrscope.settings import Limits
from lrscope.specs import RunSpec
from lrscope.validation import (
    ResolvedOptimizer,
    ResolvedRun,
    ResolvedScheduler,
    SpecError,
    error,
    resolve_run,
)


@dataclass
class Curves:
    """Every scheduler value of a run: ``lr[g][k]`` after k scheduler steps."""

    lr: list[list[float]]
    momentum: list[list[float]] | None


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
        raise SpecError([error(("optimizer",), f"torch rejected the optimizer: {exc}")]) from exc
    optimizer._opt_called = True  # type: ignore[attr-defined]
    try:
        scheduler = build_scheduler(run.scheduler, optimizer)
    except ExpressionError as exc:  # LambdaLR and its kin call the formula while built
        raise SpecError(
            [
                error(
                    _formula_loc(run),
                    f"the formula fails when torch builds the scheduler: {exc}",
                    "expression",
                )
            ]
        ) from exc
    except Exception as exc:
        raise SpecError([error(("scheduler",), f"torch rejected the scheduler: {exc}")]) from exc
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
            for g, group in enumerate(groups):
                lrs[g].append(group["lr"])
                if key == "momentum":
                    moms[g].append(group["momentum"])
                elif key == "betas":
                    moms[g].append(group["betas"][0])
            if k + 1 < count:
                if metric is not None:
                    scheduler.step(metric[k])  # type: ignore[arg-type]
                else:
                    scheduler.step()
    except ExpressionError as exc:
        raise SpecError(
            [
                error(
                    _formula_loc(run),
                    f"the formula fails at scheduler step {k + 1}: {exc}",
                    "expression",
                )
            ]
        ) from exc
    except Exception as exc:
        raise SpecError(
            [
                error(
                    ("scheduler",),
                    f"torch raised {type(exc).__name__} at scheduler step {k + 1}: {exc}",
                )
            ]
        ) from exc
    return Curves(lrs, moms if key else None)


def _formula_loc(run: ResolvedRun) -> tuple[str | int, ...]:
    """Where the failing formula sits: its field when the run has one formula."""
    locs = _expression_locs(run.scheduler)
    return locs[0] if len(locs) == 1 else ("scheduler",)


def _expression_locs(spec: ResolvedScheduler) -> list[tuple[str | int, ...]]:
    """Where the formulas of a scheduler tree sit in the spec."""
    locs: list[tuple[str | int, ...]] = []
    for name, value in spec.kwargs.items():
        if isinstance(value, Expression):
            locs.append((*spec.loc, name))
        elif isinstance(value, list):
            locs += [(*spec.loc, name, i) for i, v in enumerate(value) if isinstance(v, Expression)]
    for child in spec.children:
        locs += _expression_locs(child)
    return locs


def curves(run: ResolvedRun) -> Curves:
    """The exact curves: a fast path proven equal to stepping where one exists."""
    fast = fastpath.curves(run)
    return fast if fast is not None else step_curves(run)


def _metric_series(run: ResolvedRun) -> np.ndarray | None:
    """ReduceLROnPlateau's metric per training step: the value passed to scheduler.step() at
    the end of that step's epoch (or step), so a drop in the rate follows the values that
    caused it. NaN where none is passed (the last epoch or step)."""
    if not run.metric:
        return None
    values = np.full(run.scheduler_values, np.nan)
    values[: len(run.metric)] = run.metric[: run.scheduler_values]
    return _series(values, run)


def _series(values: list[float] | np.ndarray, run: ResolvedRun) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if run.interval == "epoch" and run.steps_per_epoch > 1:
        arr = np.repeat(arr, run.steps_per_epoch)
    return arr


def decimate(series: list[np.ndarray], max_points: int) -> np.ndarray | None:
    """Indices that keep each bucket's min and max of every series (plus both ends).

    Returns None when every point fits. The union over series stays within max_points.
    """
    n = len(series[0])
    if max_points == 0 or n <= max_points:
        return None
    buckets = max(1, (max_points - 2) // (2 * len(series)))
    size = math.ceil(n / buckets)
    pad = buckets * size - n
    keep = [np.array([0, n - 1])]
    offsets = np.arange(buckets) * size
    for s in series:
        padded = np.concatenate([s, np.full(pad, s[-1])]) if pad else s
        grid = padded.reshape(buckets, size)
        for pick in (grid.argmin(axis=1), grid.argmax(axis=1)):
            keep.append(np.minimum(offsets + pick, n - 1))
    return np.unique(np.concatenate(keep))


def _checked(values: np.ndarray, what: str, warnings: list[str]) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.argmax(bad))
        raise SpecError(
            [
                error(
                    ("scheduler",),
                    f"the {what} becomes {values[i]} at step {i}; "
                    "check the expression or arguments",
                )
            ]
        )
    if (values < 0).any() and what == "learning rate":
        i = int(np.argmax(values < 0))
        warnings.append(
            f"The learning rate is negative ({values[i]:.6g}) from step {i}: an "
            "optimizer would climb the loss instead of descending it."
        )


def evaluate_resolved(run: ResolvedRun, torch_version: str) -> dict[str, Any]:
    exact = curves(run)
    warnings = list(run.warnings)
    lr = [_series(v, run) for v in exact.lr]
    mom = [_series(v, run) for v in exact.momentum] if exact.momentum is not None else None
    for s in lr:
        _checked(s, "learning rate", warnings)
    metric = _metric_series(run)
    n = run.num_steps
    x = np.arange(n)
    shape = [np.nan_to_num(metric, nan=metric[~np.isnan(metric)][-1])] if metric is not None else []
    keep = decimate(lr + (mom or []) + shape, run.max_points)
    if keep is not None:
        x = x[keep]
        lr = [s[keep] for s in lr]
        mom = [s[keep] for s in mom] if mom is not None else None
        metric = metric[keep] if metric is not None else None
    epoch = x / run.steps_per_epoch
    return {
        "torch_version": torch_version,
        "num_steps": n,
        "x": x.tolist(),
        "epoch": epoch.tolist(),
        "groups": [
            {"lr": lr[g].tolist(), "momentum": mom[g].tolist() if mom is not None else None}
            for g in range(len(lr))
        ],
        "warnings": list(dict.fromkeys(warnings)),
        "decimated": keep is not None,
        "metric": (
            [None if math.isnan(v) else v for v in metric.tolist()] if metric is not None else None
        ),
    }


def evaluate(
    spec: RunSpec | dict[str, Any],
    *,
    catalog: Catalog | None = None,
    limits: Limits | None = None,
) -> dict[str, Any]:
    """Evaluate a run spec (the same JSON as ``POST /api/schedule``) and return its curves.

    Raises ``SpecError`` (with ``.errors``, each naming the field) on bad input.

    >>> out = evaluate({"scheduler": {"type": "StepLR", "step_size": 2}, "epochs": 4})
    >>> out["groups"][0]["lr"]
    [0.1, 0.1, 0.010000000000000002, 0.010000000000000002]
    """
    catalog = catalog or default_catalog()
    run_spec = spec if isinstance(spec, RunSpec) else _parse(spec)
    run = resolve_run(run_spec, catalog, limits or Limits())
    return evaluate_resolved(run, catalog.torch_version)


def _parse(spec: dict[str, Any]) -> RunSpec:
    try:
        return RunSpec.model_validate(spec)
    except ValidationError as exc:
        raise SpecError.from_pydantic(exc) from exc
