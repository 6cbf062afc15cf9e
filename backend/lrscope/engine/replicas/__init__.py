"""Pure-Python replicas of torch 2.13's ``lr_scheduler`` classes, on plain param groups.

Each class mirrors torch's state machine (the initial step in the constructor, chainable
``get_lr`` versus ``_get_closed_form_lr``, SequentialLR's undo and ``_update_lr(0)``, the
groups' ``initial_lr``/``max_lr``/... entries that constructors share) and its arithmetic,
operation for operation. Python floats are the same doubles and ``math.cos`` the same libm,
so the values are torch's bit for bit. ``run(n, rec)`` equals ``n`` times
``step(); rec.record()``; leaves override the bulk of it with loops that compute each
shared factor once (``itertools`` and ``operator`` apply the very same float operations
at C speed). Anything unexpected raises, and the caller then steps torch instead.
"""

from __future__ import annotations

from lrscope.engine.replicas.base import Optim, Recorder, Scheduler
from lrscope.engine.replicas.composite import ChainedScheduler, ReduceLROnPlateau, SequentialLR
from lrscope.engine.replicas.cosine import CosineAnnealingLR, CosineAnnealingWarmRestarts
from lrscope.engine.replicas.cyclic import CyclicLR, OneCycleLR
from lrscope.engine.replicas.decay import (
    ConstantLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
    StepLR,
)

REPLICAS: dict[str, type[Scheduler]] = {
    cls.__name__: cls
    for cls in (
        LambdaLR,
        MultiplicativeLR,
        StepLR,
        MultiStepLR,
        ConstantLR,
        LinearLR,
        ExponentialLR,
        SequentialLR,
        CosineAnnealingLR,
        ChainedScheduler,
        ReduceLROnPlateau,
        CyclicLR,
        CosineAnnealingWarmRestarts,
        OneCycleLR,
        PolynomialLR,
    )
}

__all__ = ["REPLICAS", "Optim", "Recorder", "Scheduler"]
