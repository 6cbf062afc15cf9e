"""The training loop as a generator of events, independent of any web layer.

Events are plain JSON-ready dicts without ``seq`` (the job layer numbers them):

- ``start``: the run's shape (epochs, steps per epoch, interval, groups, ...), and with a
  TrainSpec ``fit`` which choice ran (the schedule's own length, or rescaled to the task);
- ``step``: every ``log_every`` optimizer steps, the rate used at ``step`` and the mean
  training loss since the previous step event;
- ``metrics``: at each epoch's end, training and validation loss (and accuracy);
- ``boundary`` (2-D classification): the model's P(class 1) on the start event's grid,
  before training (epoch 0) and after every ``boundary.every`` epochs and the last one;
- ``early_stop`` when patience runs out; ``done`` last, always.

``lr`` is read from the optimizer after its step and before ``scheduler.step()``: the rate
that step used, so the values equal ``/api/schedule``'s point ``step`` bit for bit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

import torch

from lrscope.engine.fractional import fractional_epoch
from lrscope.engine.loop_stepper import LoopSteps
from lrscope.engine.resume import restore
from lrscope.engine.torch_stepper import build_optimizer, build_scheduler, momentum_key
from lrscope.training.batch_step import batch_step, task_loss
from lrscope.training.boundary import boundary_event, boundary_setup, is_frame_epoch
from lrscope.training.divergence import diverged
from lrscope.training.events import Event, done_event, failed_at_start
from lrscope.training.spec import TrainingPlan
from lrscope.training.tasks import (
    Dataset,
    build_model,
    linear_layers,
    make_dataset,
    param_groups,
)
from lrscope.validation.resume import scheduler_steps_taken

StopCheck = Callable[[], str | None]  # returns why the run must stop, or None


def finite(v: float) -> float | None:
    """A loss as JSON can carry it: None for NaN or infinity."""
    return v if math.isfinite(v) else None


def group_rates(optimizer: Any, key: str | None) -> tuple[list[float], list[float] | None]:
    """Each param group's ``lr`` and momentum (or beta1, by ``momentum_key``) as torch holds it."""
    groups = optimizer.param_groups
    lr = [float(g["lr"]) for g in groups]
    if key == "momentum":
        return lr, [float(g["momentum"]) for g in groups]
    if key == "betas":
        return lr, [float(g["betas"][0]) for g in groups]
    return lr, None


class _Run:
    """Mutable state of one run, kept out of the generator body for readability."""

    def __init__(self, plan: TrainingPlan, data: Dataset, boundary: dict[str, Any] | None) -> None:
        self.plan = plan
        self.generator = torch.Generator().manual_seed(plan.spec.seed + 1)
        self.data = data
        self.boundary = boundary  # the start event's grid, or None: no frames
        self.model = build_model(plan, self.generator)
        groups = param_groups(self.model, len(plan.run.optimizer.groups))
        self.optimizer = build_optimizer(plan.run.optimizer, groups)
        # A Loop's entries are stepped by LoopSteps; any other scheduler is one object.
        self.loop = LoopSteps(plan.run, self.optimizer) if plan.run.loop is not None else None
        self.scheduler: Any = (
            None if self.loop else build_scheduler(plan.run.scheduler, self.optimizer)
        )
        self.momentum = momentum_key(self.optimizer)
        # With a resume: scheduler steps before new objects take over (engine/resume.py).
        self.resume_after = scheduler_steps_taken(plan.run) if plan.run.resume else None
        self.scheduler_steps = 0
        self.weights = [layer.weight for layer in linear_layers(self.model)]
        self.classification = plan.kind == "classification"
        self.steps = 0
        self.epochs = 0
        self.best_val: float | None = None
        self.best_epoch = 0

    def step_scheduler(self, *args: float) -> None:
        """``scheduler.step(*args)``; at the resume point, new optimizer and scheduler on the
        model's parameters, restored as the resume's ``how`` says (the engine's own code)."""
        self.scheduler.step(*args)
        self.scheduler_steps += 1
        if self.scheduler_steps == self.resume_after:
            groups = param_groups(self.model, len(self.plan.run.optimizer.groups))
            self.optimizer, self.scheduler = restore(
                self.plan.run, self.optimizer, self.scheduler, self.scheduler_steps, groups
            )

    def rates(self) -> tuple[list[float], list[float] | None]:
        return group_rates(self.optimizer, self.momentum)

    def loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return task_loss(self.classification, out, y)

    def train_step(self, x: torch.Tensor, y: torch.Tensor) -> float:
        reg = self.plan.spec.regularization
        return batch_step(
            self.model,
            self.optimizer,
            self.weights,
            reg,
            self.generator,
            self.classification,
            (x, y),
        )

    @torch.no_grad()
    def validate(self) -> tuple[float, float | None]:
        self.model.eval()
        out = self.model(self.data.val_x)
        self.model.train()
        val_loss = float(self.loss(out, self.data.val_y).item())
        if not self.classification:
            return val_loss, None
        accuracy = (out.argmax(dim=1) == self.data.val_y).float().mean().item()
        return val_loss, float(accuracy)

    def frame(self, epoch: int, last: bool = False) -> Iterator[Event]:
        """The decision boundary after ``epoch`` epochs, if this run draws one then
        (``last``: the run ends there, so it always does)."""
        every = self.plan.boundary_every
        if self.boundary is None or every is None:
            return
        if last or is_frame_epoch(epoch, self.plan.spec.epochs, every):
            yield boundary_event(self.model, self.boundary, epoch, self.steps - 1)

    def done(
        self, status: str, reason: str | None = None, error: str | None = None, **worded: Any
    ) -> Event:
        return done_event(
            status,
            reason,
            fit=self.plan.fit,
            epochs_run=self.epochs,
            steps_run=self.steps,
            best_epoch=self.best_epoch or None,
            best_val_loss=self.best_val,
            error=error,
            **worded,
        )


def start_event(plan: TrainingPlan, data: Dataset | None = None) -> Event:
    boundary = None
    if plan.boundary_every is not None:
        data = data or make_dataset(plan)
        boundary = boundary_setup(data.train_x, data.train_y, plan.boundary_every)
    return {
        "type": "start",
        "task": plan.task,
        "kind": plan.kind,
        "epochs": plan.epochs,
        "steps_per_epoch": plan.steps_per_epoch,
        "num_steps": plan.num_steps,
        "interval": plan.run.interval,
        "log_every": plan.log_every,
        "groups": len(plan.run.optimizer.groups),
        "train_size": plan.train_size,
        "val_size": plan.val_size,
        "batch_size": plan.spec.batch_size,
        "model": {
            "width": plan.width,
            "depth": plan.depth,
            "activation": plan.spec.model.activation,
        },
        "noise": plan.noise,
        # The decision boundary's grid and training points (None: the run sends no frames).
        "boundary": boundary,
        "warnings": list(plan.run.warnings),
        "warning_details": list(plan.run.warning_details),
        # POST this to /api/schedule (with ReduceLROnPlateau: metric.values = the val_loss
        # series) for the curve the job's learning rates follow, bit for bit.
        "schedule_request": plan.run_spec.model_dump(
            mode="json", exclude_none=True, exclude={"max_points"}
        ),
        # With a fit: the schedule's own length, the job's, and whether it was rescaled.
        **({"fit": plan.fit} if plan.fit is not None else {}),
    }


def never() -> str | None:
    return None


def train(plan: TrainingPlan, should_stop: StopCheck = never) -> Iterator[Event]:
    """Run the job, yielding events; ``should_stop`` is checked before every step."""
    data = make_dataset(plan)
    start = start_event(plan, data)
    yield start
    try:
        run = _Run(plan, data, start["boundary"])
    except Exception as exc:  # torch rejected the optimizer or scheduler on real parameters
        yield failed_at_start(exc)
        return
    try:
        yield from _epochs(run, should_stop)
    except Exception as exc:
        yield run.done("failed", reason="error", error=f"{type(exc).__name__}: {exc}")


class Pace:
    """Holds a run to at most ``rate`` steps a second; the numbers stay the same."""

    def __init__(self, rate: float | None) -> None:
        self.rate = rate
        self.start = time.monotonic()

    def wait(self, steps: int, should_stop: StopCheck) -> str | None:
        """Sleep until step ``steps`` is due, checking ``should_stop`` every 0.1 s."""
        while self.rate is not None:
            reason = should_stop()
            late = self.start + steps / self.rate - time.monotonic()
            if reason is not None or late <= 0:
                return reason
            time.sleep(min(late, 0.1))
        return should_stop()


def _epochs(run: _Run, should_stop: StopCheck) -> Iterator[Event]:
    plan = run.plan
    stopping = plan.spec.regularization.early_stopping
    pace = Pace(plan.spec.steps_per_second)
    window: list[float] = []  # training losses since the last step event
    waited = 0  # epochs without improvement, for early stopping
    yield from run.frame(0)
    for epoch in range(plan.epochs):
        rates = yield from _train_epoch(run, pace, window, should_stop)
        if rates is None:  # stopped or diverged: the done event is sent
            return
        run.epochs = epoch + 1
        val_loss, val_accuracy = run.validate()
        yield {
            "type": "metrics",
            "epoch": epoch + 1,
            "step": run.steps - 1,
            "lr": rates[0],
            "momentum": rates[1],
            "train_loss": finite(rates[2]),
            "val_loss": finite(val_loss),
            "val_accuracy": val_accuracy,
        }
        if not math.isfinite(val_loss):
            why = diverged(plan, val_loss, rates[0][0], epoch=epoch + 1)
            yield run.done("failed", reason="diverged", **why)
            return
        min_delta = stopping.min_delta if stopping else 0.0
        if run.best_val is None or val_loss < run.best_val - min_delta:
            run.best_val, run.best_epoch, waited = val_loss, epoch + 1, 0
        else:
            waited += 1
        if stopping is not None and waited >= stopping.patience:
            yield from run.frame(epoch + 1, last=True)
            yield {
                "type": "early_stop",
                "epoch": epoch + 1,
                "best_epoch": run.best_epoch,
                "best_val_loss": run.best_val,
                "patience": stopping.patience,
            }
            yield run.done("early_stopped")
            return
        yield from run.frame(epoch + 1)
        if run.loop is not None and epoch + 1 < plan.epochs:
            run.loop.after_epoch(epoch, {epoch: val_loss})
        elif plan.run.interval == "epoch" and epoch + 1 < plan.epochs:
            if plan.run.scheduler.info.needs_metric:
                run.step_scheduler(val_loss)
            else:
                run.step_scheduler()
    yield run.done("completed")


Rates = tuple[list[float], list[float] | None, float]


def _train_epoch(
    run: _Run, pace: Pace, window: list[float], should_stop: StopCheck
) -> Generator[Event, None, Rates | None]:
    """One epoch of optimizer steps, yielding throttled step events. Returns the epoch's
    last learning rates, momenta and mean training loss, or None when the run ended (its
    done event sent: stopped, or the loss diverged)."""
    plan, data = run.plan, run.data
    spe, batch = plan.steps_per_epoch, plan.spec.batch_size
    one_pass = math.ceil(plan.train_size / batch)
    losses: list[float] = []
    lr: list[float] = []
    momentum: list[float] | None = None
    for b in range(spe):
        reason = pace.wait(run.steps, should_stop)
        if reason is not None:
            yield run.done("interrupted" if reason == "shutdown" else "cancelled", reason=reason)
            return None
        if b % one_pass == 0:  # a new shuffled pass over the training set
            order = torch.randperm(plan.train_size, generator=run.generator)
        j = b % one_pass
        idx = order[j * batch : (j + 1) * batch]
        loss = run.train_step(data.train_x[idx], data.train_y[idx])
        k = run.steps
        run.steps += 1
        if not math.isfinite(loss):
            why = diverged(plan, loss, run.rates()[0][0], step=k)
            yield run.done("failed", reason="diverged", **why)
            return None
        window.append(loss)
        losses.append(loss)
        if run.steps % plan.log_every == 0 or b == spe - 1:
            lr, momentum = run.rates()
        if run.steps % plan.log_every == 0:
            yield {
                "type": "step",
                "epoch": run.steps / spe,
                "step": k,
                "lr": lr,
                "momentum": momentum,
                "train_loss": sum(window) / len(window),
            }
            window.clear()
        if run.loop is not None and k + 1 < plan.num_steps:
            run.loop.after_step(k)
        elif plan.run.interval == "step" and k + 1 < plan.num_steps:
            run.step_scheduler()
        elif plan.run.interval == "fractional" and k + 1 < plan.num_steps:
            run.scheduler.step(fractional_epoch(k, spe))
    return lr, momentum, sum(losses) / len(losses)


def run_to_end(plan: TrainingPlan, should_stop: StopCheck = never) -> list[Event]:
    """Every event of a run, for tests and the benchmark's bare baseline."""
    return list(train(plan, should_stop))
