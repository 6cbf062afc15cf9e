"""The LR range test as a generator of events, like ``loop.train``: the same task, model,
remedies and batches as a training job, with the learning rate swept instead of scheduled.

Before optimizer step ``k`` every param group's ``lr`` is set to the sweep's rate ``k``
(``range_test_spec.lr_at``), as fastai's ``LRFinder`` sets its hyper-parameter before each
batch; the ``step`` event of step ``k`` reports what the optimizer's param groups held for
it (read after ``optimizer.step()``), its raw loss and the smoothed loss. The sweep stops
on divergence, the rule fastai and Lightning share: the smoothed loss is not finite, or
exceeds ``diverge_factor`` x the best smoothed loss so far. The ``done`` event (status
``completed``, ``reason`` ``"diverged"`` when it stopped early) carries the suggestions.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import torch

from lrscope.engine.torch_stepper import build_optimizer, momentum_key
from lrscope.training.batch_step import batch_step
from lrscope.training.events import Event, done_event, failed_at_start
from lrscope.training.loop import Pace, StopCheck, finite, group_rates, never
from lrscope.training.lr_suggestions import Smoother, suggestions
from lrscope.training.range_test_plan import RangeTestPlan
from lrscope.training.tasks import build_model, linear_layers, make_dataset, param_groups


class _Sweep:
    """What the sweep steps: the run's data, model and optimizer, and what it recorded."""

    def __init__(self, plan: RangeTestPlan) -> None:
        self.plan = plan
        self.generator = torch.Generator().manual_seed(plan.spec.seed + 1)
        self.data = make_dataset(plan)
        self.model = build_model(plan, self.generator)
        groups = param_groups(self.model, len(plan.optimizer.groups))
        self.optimizer = build_optimizer(plan.optimizer, groups)
        self.momentum = momentum_key(self.optimizer)
        self.weights = [layer.weight for layer in linear_layers(self.model)]
        self.lrs: list[float] = []
        self.smoothed: list[float | None] = []

    def batch(self, k: int, order: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        size = self.plan.spec.batch_size
        b = k % self.plan.steps_per_epoch
        idx = order[b * size : (b + 1) * size]
        return self.data.train_x[idx], self.data.train_y[idx]

    def done(self, status: str, reason: str | None, error: str | None = None) -> Event:
        plan = self.plan
        return done_event(
            status,
            reason,
            epochs_run=math.ceil(len(self.lrs) / plan.steps_per_epoch),
            steps_run=len(self.lrs),
            best_epoch=None,
            best_val_loss=None,
            error=error,
            suggestions=suggestions(self.lrs, self.smoothed, plan.range_test.steps),
        )


def start_event(plan: RangeTestPlan) -> Event:
    return {
        "type": "start",
        "kind": "lr_range_test",
        "task": plan.task,
        "task_kind": plan.kind,
        "num_steps": plan.num_steps,
        "steps_per_epoch": plan.steps_per_epoch,
        "range_test": plan.range_test.model_dump(mode="json"),
        "optimizer": plan.optimizer.info.name,
        "groups": len(plan.optimizer.groups),
        "train_size": plan.train_size,
        "batch_size": plan.spec.batch_size,
        "model": {
            "width": plan.width,
            "depth": plan.depth,
            "activation": plan.spec.model.activation,
        },
        "noise": plan.noise,
    }


def range_test(plan: RangeTestPlan, should_stop: StopCheck = never) -> Iterator[Event]:
    """Run the sweep, yielding events; ``should_stop`` is checked before every step."""
    yield start_event(plan)
    try:
        sweep = _Sweep(plan)
    except Exception as exc:  # torch rejected the optimizer on real parameters
        yield failed_at_start(exc)
        return
    try:
        yield from _steps(sweep, should_stop)
    except Exception as exc:
        yield sweep.done("failed", "error", error=f"{type(exc).__name__}: {exc}")


def _steps(sweep: _Sweep, should_stop: StopCheck) -> Iterator[Event]:
    plan, spec = sweep.plan, sweep.plan.range_test
    pace = Pace(plan.spec.steps_per_second)
    smoother = Smoother(spec.smooth)
    best = math.inf
    order = torch.empty(0)
    for k, rate in enumerate(plan.lrs):
        reason = pace.wait(k, should_stop)
        if reason is not None:
            yield sweep.done("interrupted" if reason == "shutdown" else "cancelled", reason)
            return
        if k % plan.steps_per_epoch == 0:
            order = torch.randperm(plan.train_size, generator=sweep.generator)
        for group in sweep.optimizer.param_groups:
            group["lr"] = rate
        batch = sweep.batch(k, order)
        loss = batch_step(
            sweep.model,
            sweep.optimizer,
            sweep.weights,
            plan.spec.regularization,
            sweep.generator,
            plan.kind == "classification",
            batch,
        )
        smoothed = smoother.add(loss)
        lr, momentum = group_rates(sweep.optimizer, sweep.momentum)
        sweep.lrs.append(lr[0])
        sweep.smoothed.append(finite(smoothed))
        yield _step_event(k, plan, lr, momentum, loss, smoothed)
        if math.isfinite(smoothed):
            best = min(best, smoothed)
        if not math.isfinite(smoothed) or smoothed > spec.diverge_factor * best:
            yield sweep.done("completed", "diverged")
            return
    yield sweep.done("completed", None)


def _step_event(
    k: int,
    plan: RangeTestPlan,
    lr: list[float],
    momentum: list[float] | None,
    loss: float,
    smoothed: float,
) -> dict[str, Any]:
    return {
        "type": "step",
        "epoch": (k + 1) / plan.steps_per_epoch,
        "step": k,
        "lr": lr,
        "momentum": momentum,
        "train_loss": finite(loss),
        "smoothed_loss": finite(smoothed),
    }
