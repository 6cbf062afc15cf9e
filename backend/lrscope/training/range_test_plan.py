"""A TrainSpec of kind ``lr_range_test``, checked and resolved into the sweep it runs.

The task, model, batch size, optimizer and remedies are a training job's, checked by the
same code (the optimizer by ``/api/schedule``'s own ``resolve_optimizer``); what only a
schedule uses (``scheduler``, ``resume``, ``interval``, ``epochs``, ``log_every``, early
stopping) is refused at its field when set to other than its default, since the sweep
replaces the schedule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from lrscope.catalog import Catalog
from lrscope.errors import SpecError, error
from lrscope.settings import Limits
from lrscope.training.range_test_spec import RangeTestSpec, sweep
from lrscope.training.spec import (
    TASKS,
    TrainSpec,
    check_groups,
    check_sizes,
    relocate,
    with_weight_decay,
)
from lrscope.validation.context import Context
from lrscope.validation.optimizer import resolve_optimizer
from lrscope.validation.resolved import ResolvedOptimizer

# Fields of a TrainSpec that only a schedule uses.
SCHEDULE_ONLY = ("scheduler", "resume", "interval", "epochs", "log_every", "fit", "steps_per_epoch")


@dataclass(frozen=True)
class RangeTestPlan:
    """A checked LR range test with every default filled in (a ``tasks.TaskShape``)."""

    spec: TrainSpec
    range_test: RangeTestSpec
    optimizer: ResolvedOptimizer
    lrs: tuple[float, ...]  # the rate of each sweep step
    task: str
    kind: Literal["classification", "regression"]
    inputs: int
    outputs: int
    train_size: int
    val_size: int
    noise: float
    width: int
    depth: int
    steps_per_epoch: int

    @property
    def num_steps(self) -> int:
        return self.range_test.steps


def resolve_range_test(spec: TrainSpec, catalog: Catalog, limits: Limits) -> RangeTestPlan:
    """Check an LR range test completely; raise SpecError (locs relative to the body)."""
    d = TASKS[spec.task.name]
    range_test = spec.range_test or RangeTestSpec()
    train_size = spec.task.train_size or d.train_size
    depth = spec.model.depth or d.depth
    errors = [error(loc, "range_test_ignores") for loc in _schedule_fields(spec)]
    if range_test.max_lr <= range_test.min_lr:
        errors.append(
            error(
                ("range_test", "max_lr"),
                "range_test_bounds",
                min_lr=f"{range_test.min_lr:g}",
            )
        )
    optimizer_spec, wd_errors = with_weight_decay(spec)
    errors += wd_errors + check_sizes(spec, train_size, range_test.steps)
    errors += check_groups(optimizer_spec, depth)
    if errors:
        raise SpecError(errors)
    ctx = Context(catalog, limits)
    optimizer = resolve_optimizer(ctx, optimizer_spec, ("optimizer",))
    wd = spec.regularization.weight_decay is not None
    if optimizer is None or ctx.errors:
        raise SpecError([relocate(e, wd) for e in ctx.errors])
    return RangeTestPlan(
        spec=spec,
        range_test=range_test,
        optimizer=optimizer,
        lrs=tuple(sweep(range_test)),
        task=spec.task.name,
        kind=d.kind,
        inputs=d.inputs,
        outputs=d.outputs,
        train_size=train_size,
        val_size=spec.task.val_size or d.val_size,
        noise=d.noise if spec.task.noise is None else spec.task.noise,
        width=spec.model.width or d.width,
        depth=depth,
        steps_per_epoch=math.ceil(train_size / spec.batch_size),
    )


def _schedule_fields(spec: TrainSpec) -> list[tuple[str, ...]]:
    """The fields this range test sets (to other than their defaults) that only a schedule
    uses. Compared with the default, not by ``model_fields_set``: the job layer hands the
    worker the spec with its defaults filled in."""
    given: list[tuple[str, ...]] = [
        (name,)
        for name in SCHEDULE_ONLY
        if getattr(spec, name)
        != TrainSpec.model_fields[name].get_default(call_default_factory=True)
    ]
    if spec.regularization.early_stopping is not None:
        given.append(("regularization", "early_stopping"))
    return given
