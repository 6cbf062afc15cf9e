"""Fast paths: pure-Python replicas of torch's schedulers, proven equal to stepping.

``curves(run)`` returns None whenever no replica applies, and the caller then steps torch
itself: a class that is not torch's own (a subclass, a new scheduler), a torch version the
replicas were not written against, a replica that failed its self-check, or any error while
replaying (torch raises there too, and stepping reports it in torch's words).

The replicas are checked twice: ``tests/unit/test_fastpath.py`` compares them with stepping
on many random configurations, and each process compares them with real torch on a few
small ones at first use, switching off any that disagrees (``self_check``).
"""

from __future__ import annotations

import inspect
import threading
from array import array
from functools import cache
from typing import TYPE_CHECKING, Any

import torch
import torch.optim.lr_scheduler as lr_scheduler

from lrscope.replicas import REPLICAS, Optim, Recorder, Scheduler
from lrscope.replicas.composite import ReduceLROnPlateau

if TYPE_CHECKING:
    from lrscope.schedules import Curves
    from lrscope.validation import ResolvedOptimizer, ResolvedRun, ResolvedScheduler

# The torch releases whose lr_scheduler.py the replicas mirror, line by line.
MIRRORED_TORCH = ("2.13",)
# Arguments the service or the replica supplies itself, never from the signature.
_NOT_DEFAULTED = {"self", "optimizer", "last_epoch", "schedulers"}
_lock = threading.Lock()
_disabled: set[str] | None = None  # replicas switched off by the self-check (None: not run)


def curves(run: ResolvedRun) -> Curves | None:
    """The exact curves from the replicas, or None when only stepping torch will do."""
    disabled = _disabled if _disabled is not None else self_check()
    if not _supported(run.scheduler, disabled):
        return None
    try:
        return replay(run)
    except Exception:  # stepping torch raises it too, and says it better
        return None


def replay(run: ResolvedRun) -> Curves:
    """Build the replica of ``run``'s scheduler and record every value the run uses."""
    from lrscope.schedules import Curves

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
    """The optimizer's param groups as torch sets them up (built by torch, then copied)."""
    from lrscope.schedules import build_optimizer, dummy_params

    optimizer = build_optimizer(spec, dummy_params(len(spec.groups)))
    optimizer.step()  # as schedules.build() does before stepping
    groups = [{k: v for k, v in group.items() if k != "params"} for group in optimizer.param_groups]
    for group in groups:
        values = [group["lr"], group.get("momentum", 0.0), *group.get("betas", ())]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            raise TypeError("only Python numbers are replicated (tensor LRs round differently)")
    return Optim(groups, dict(optimizer.defaults))


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


# --- self-check -------------------------------------------------------------------------
_LIN = {"type": "LinearLR", "start_factor": 0.25, "total_iters": 4}
_COS = {"type": "CosineAnnealingLR", "T_max": 3, "eta_min": 0.01}
_STEP = {"type": "StepLR", "step_size": 3, "gamma": 0.5}
_EXP = {"type": "ExponentialLR", "gamma": 0.9}
_CHECKS: list[dict[str, Any]] = [
    {"scheduler": {"type": "LambdaLR", "lr_lambda": "1 / (epoch + 1)"}},
    {"scheduler": {"type": "MultiplicativeLR", "lr_lambda": "0.9"}},
    {"scheduler": _STEP},
    {"scheduler": {"type": "MultiStepLR", "milestones": [2, 5, 5], "gamma": 0.5}},
    {"scheduler": {"type": "ConstantLR", "factor": 0.5, "total_iters": 3}},
    {"scheduler": _LIN},
    {"scheduler": _EXP},
    {"scheduler": _COS},
    {"scheduler": {"type": "PolynomialLR", "total_iters": 6, "power": 2.0}},
    {"scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 3, "T_mult": 2}},
    {
        "scheduler": {
            "type": "CyclicLR",
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 3,
            "mode": "triangular2",
        },
        "optimizer": {"type": "Adam"},
    },
    {"scheduler": {"type": "OneCycleLR", "max_lr": 0.5, "total_steps": 14, "three_phase": True}},
    {
        "scheduler": {"type": "ReduceLROnPlateau", "patience": 1},
        "metric": {"values": [1.0, 0.9, 0.9, 0.95, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]},
    },
    {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [4, 8],
            "schedulers": [_LIN, _COS, {"type": "OneCycleLR", "max_lr": 0.3, "total_steps": 10}],
        }
    },
    {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [3],
            "schedulers": [{"type": "ChainedScheduler", "schedulers": [_EXP, _STEP]}, _LIN],
        }
    },
    {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [5],
            "schedulers": [
                {"type": "SequentialLR", "milestones": [2], "schedulers": [_COS, _EXP]},
                _STEP,
            ],
        }
    },
    {
        "scheduler": {
            "type": "ChainedScheduler",
            "schedulers": [
                {"type": "SequentialLR", "milestones": [2], "schedulers": [_LIN, _COS]},
                {"type": "MultiStepLR", "milestones": [4, 6]},
            ],
        }
    },
]


def self_check() -> set[str]:
    """Compare every replica with real torch on small runs; return the ones to switch off.

    Runs once per process (a few milliseconds). A replica that disagrees, or fails where
    torch does not, is switched off, whatever the run it appears in.
    """
    global _disabled
    with _lock:
        if _disabled is not None:
            return _disabled
        disabled: set[str] = set()
        if ".".join(torch.__version__.split(".")[:2]) not in MIRRORED_TORCH:
            disabled = set(REPLICAS)
        else:
            for spec in _CHECKS:
                disabled |= _check(spec)
        _disabled = disabled
        return disabled


def _check(spec: dict[str, Any]) -> set[str]:
    from lrscope.catalog import default_catalog
    from lrscope.schedules import step_curves
    from lrscope.settings import Limits
    from lrscope.specs import RunSpec
    from lrscope.validation import resolve_run

    try:
        run = resolve_run(
            RunSpec.model_validate({"epochs": 13, "interval": "epoch", **spec}),
            default_catalog(),
            Limits(),
        )
        if curves_equal(replay(run), step_curves(run)):
            return set()
    except Exception:  # any failure counts as a disagreement
        pass
    return _names(spec["scheduler"])


def curves_equal(a: Curves, b: Curves) -> bool:
    """Same doubles bit for bit (so -0.0 differs from 0.0), momentum included."""
    if (a.momentum is None) != (b.momentum is None):
        return False
    return _same_bits(a.lr, b.lr) and _same_bits(a.momentum or [], b.momentum or [])


def _same_bits(a: list[list[float]], b: list[list[float]]) -> bool:
    return len(a) == len(b) and all(
        len(x) == len(y) and array("d", x).tobytes() == array("d", y).tobytes()
        for x, y in zip(a, b, strict=True)
    )


def _names(spec: dict[str, Any]) -> set[str]:
    """What a failed check switches off: a leaf, or the composites of a nested check (a
    leaf's own use is covered by its own check; in a composite it is used differently)."""
    children = spec.get("schedulers")
    if not children:
        return {str(spec["type"])}
    return {str(spec["type"])}.union(*(_names(c) for c in children if c.get("schedulers")))


def reset_self_check() -> None:
    """Forget the self-check's verdict (tests use it to run the check again)."""
    global _disabled
    with _lock:
        _disabled = None
