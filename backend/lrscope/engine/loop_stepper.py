"""The Loop composite stepped by torch itself: every entry's scheduler built on the one
optimizer in list order, then the training loop of the contract (DESIGN.md, "Contracts
added in v1.1"): after optimizer step ``s`` each ``"step"`` entry, at the end of epoch
``e`` each ``"epoch"`` entry, in list order, when the entry steps at that count.

One value is recorded per optimizer step when any entry is a ``"step"`` one, else one per
epoch (``run.interval``). Nothing is stepped after the last recorded value: it would change
nothing the run uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from lrscope.engine import deadline
from lrscope.engine.curves import Curves
from lrscope.engine.torch_stepper import (
    build_optimizer,
    build_scheduler,
    dummy_params,
    momentum_key,
    step_failure,
)
from lrscope.errors import SpecError, error
from lrscope.spec.formula import ExpressionError
from lrscope.validation import ResolvedEntry, ResolvedRun

Metric = Sequence[float] | Mapping[int, float] | None


def build_loop(run: ResolvedRun, optimizer: Optimizer) -> list[LRScheduler]:
    """Each entry's scheduler, built in list order on ``optimizer`` (a 422 at the entry's
    ``scheduler`` when torch refuses one)."""
    schedulers = []
    for entry in run.loop or []:
        loc = (*entry.loc, "scheduler")
        try:
            schedulers.append(build_scheduler(entry.scheduler, optimizer))
        except ExpressionError as exc:
            raise SpecError(
                [error(loc, "formula_fails_at_build", "expression", detail=str(exc))]
            ) from exc
        except Exception as exc:
            raise SpecError([error(loc, "torch_rejects_scheduler", detail=str(exc))]) from exc
    return schedulers


def step_entries(
    entries: list[tuple[ResolvedEntry, LRScheduler]], count: int, metric: Metric
) -> None:
    """Step, in list order, each of ``entries`` that steps at ``count`` (its own index: the
    optimizer step or the epoch); a plateau entry gets ``metric[count]``."""
    for entry, scheduler in entries:
        if not entry.steps_at(count):
            continue
        try:
            if entry.needs_metric:
                scheduler.step(metric[count])  # type: ignore[arg-type, index]
            else:
                scheduler.step()
        except Exception as exc:
            loc = (*entry.loc, "scheduler")
            raise step_failure(exc, loc, loc, count) from exc


Pairs = list[tuple[ResolvedEntry, LRScheduler]]


class LoopSteps:
    """A Loop's entries built on ``optimizer`` and stepped as the training loop steps them:
    ``after_step(s)`` after optimizer step ``s``, ``after_epoch(e)`` at the end of epoch
    ``e``. ``metric[count]`` is what a plateau entry gets (a list, or the validation loss
    of a training job by epoch)."""

    def __init__(self, run: ResolvedRun, optimizer: Optimizer) -> None:
        pairs = list(zip(run.loop or [], build_loop(run, optimizer), strict=True))
        self.per_step: Pairs = [p for p in pairs if p[0].interval == "step"]
        self.per_epoch: Pairs = [p for p in pairs if p[0].interval == "epoch"]

    def after_step(self, step: int, metric: Metric = None) -> None:
        step_entries(self.per_step, step, metric)

    def after_epoch(self, epoch: int, metric: Metric = None) -> None:
        step_entries(self.per_epoch, epoch, metric)


def loop_curves(run: ResolvedRun) -> Curves:
    """Step the Loop's entries as the training loop does and record every group."""
    try:
        optimizer = build_optimizer(run.optimizer, dummy_params(len(run.optimizer.groups)))
    except Exception as exc:
        raise SpecError(
            [error(("optimizer",), "torch_rejects_optimizer_build", detail=str(exc))]
        ) from exc
    optimizer._opt_called = True  # type: ignore[attr-defined]
    loop = LoopSteps(run, optimizer)
    optimizer.step()  # no gradients: changes nothing, but torch knows it stepped
    groups = optimizer.param_groups
    key = momentum_key(optimizer)
    lrs: list[list[float]] = [[] for _ in groups]
    moms: list[list[float]] = [[] for _ in groups]
    every_step = run.interval == "step"
    last = run.num_steps - 1
    for e in range(run.epochs):
        for b in range(run.steps_per_epoch):
            s = e * run.steps_per_epoch + b
            deadline.check(s)
            if every_step or b == 0:
                for g, group in enumerate(groups):
                    lrs[g].append(group["lr"])
                    if key is not None:
                        moms[g].append(group[key] if key == "momentum" else group[key][0])
            if s < last:
                loop.after_step(s, run.metric)
        if e + 1 < run.epochs:
            loop.after_epoch(e, run.metric)
    return Curves(lrs, moms if key else None)


def loop_metric_series(run: ResolvedRun) -> np.ndarray | None:
    """The metric at each optimizer step, as the plateau entries are given it: a step
    entry's value at the step it follows, an epoch entry's at every step of its epoch
    (a step entry's wins where both read one). NaN where none is passed; None when no
    entry reads one."""
    entries = [e for e in run.loop or [] if e.needs_metric]
    if not entries or not run.metric:
        return None
    metric = np.asarray(run.metric, dtype=np.float64)
    counts = np.arange(len(metric))
    values = np.full(run.num_steps, np.nan)
    for entry in sorted(entries, key=lambda e: e.interval == "step"):
        end = len(metric) if entry.end is None else min(entry.end, len(metric))
        used = (counts >= entry.begin) & (counts < end)
        used &= (counts - entry.begin + 1) % entry.every == 0
        if entry.interval == "step":
            values[counts[used]] = metric[used]
        else:
            spe = run.steps_per_epoch
            for c in counts[used]:
                values[c * spe : (c + 1) * spe] = metric[c]
    return None if np.isnan(values).all() else values
