"""Fast paths: pure-Python replicas of torch's schedulers, proven equal to stepping.

``fast_curves(run, disabled)`` returns None whenever no replica applies, and the caller
then steps torch itself: a class that is not torch's own (a subclass, a new scheduler),
a torch version the replicas were not written against, a replica that failed its
self-check, or any error while replaying (torch raises there too, and stepping reports it
in torch's words).

The replicas are checked twice: the tests compare them with stepping on many random
configurations, and each process compares them with real torch on a few small ones before
serving, switching off any that disagrees (``self_check.py``).
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any

import torch.optim.lr_scheduler as lr_scheduler

from lrscope.engine import deadline
from lrscope.engine.curves import Curves
from lrscope.engine.replicas import REPLICAS, Optim, Recorder, Scheduler
from lrscope.engine.replicas.composite import ReduceLROnPlateau
from lrscope.validation import ResolvedOptimizer, ResolvedRun, ResolvedScheduler

# The torch releases whose lr_scheduler.py the replicas mirror, line by line.
MIRRORED_TORCH = ("2.13",)
# Arguments the service or the replica supplies itself, never from the signature.
_NOT_DEFAULTED = {"self", "optimizer", "last_epoch", "schedulers"}


def fast_curves(run: ResolvedRun, disabled: set[str]) -> Curves | None:
    """The exact curves from the replicas, or None when only stepping torch will do
    (``disabled``: the replicas the self-check switched off)."""
    if run.interval == "fractional" or not _supported(run.scheduler, disabled):
        return None
    try:
        return replay(run)
    except deadline.EvaluationCancelled:
        raise
    except Exception:  # stepping torch raises it too, and says it better
        return None


def replay(run: ResolvedRun) -> Curves:
    """Build the replica of ``run``'s scheduler and record every value the run uses."""
    opt = _stand_in(run.optimizer)
    scheduler = _build(run.scheduler, opt)
    if isinstance(scheduler, ReduceLROnPlateau):
        scheduler.metrics = run.metric or ()
    rec = Recorder(opt)
    rec.record()
    scheduler.run(run.scheduler_values - 1, rec)
    return Curves(rec.lr, rec.momentum if rec.key is not None else None)


def _supported(spec: ResolvedScheduler, disabled: set[str]) -> bool:
    name = spec.info.name
    return (
        name in REPLICAS
        and name not in disabled
        and spec.info.cls is getattr(lr_scheduler, name, None)  # not a subclass or look-alike
        and all(_supported(child, disabled) for child in spec.children)
    )


def _stand_in(spec: ResolvedOptimizer) -> Optim:
    """The optimizer's param groups as torch set them up when validation built it."""
    if not spec.built_groups:
        raise ValueError("the optimizer was not built by validation")
    groups = [dict(group) for group in spec.built_groups]
    for group in groups:
        values = [group["lr"], group.get("momentum", 0.0), *group.get("betas", ())]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise TypeError("only Python numbers are replicated (tensor LRs round differently)")
    return Optim(groups, dict(spec.built_defaults))


def _build(spec: ResolvedScheduler, opt: Optim) -> Scheduler:
    """Construct the replica as build_scheduler constructs torch's: children first, in order."""
    kwargs = {**_defaults(spec.info.cls), **spec.kwargs}
    if spec.children:
        kwargs["schedulers"] = [_build(child, opt) for child in spec.children]
    return REPLICAS[spec.info.name](opt, **kwargs)


@cache
def _defaults(cls: type) -> dict[str, Any]:
    """The installed torch's defaults, so a replica never relies on a default of its own."""
    return {
        name: p.default
        for name, p in inspect.signature(cls).parameters.items()
        if name not in _NOT_DEFAULTED and p.default is not inspect.Parameter.empty
    }
