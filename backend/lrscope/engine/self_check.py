"""At boot, every replica is compared with real torch on small runs; one that disagrees
(or fails where torch does not) is switched off for the life of the process."""

from __future__ import annotations

import threading
from typing import Any

import torch

from lrscope.catalog import default_catalog
from lrscope.engine import deadline
from lrscope.engine.curves import curves_equal
from lrscope.engine.replay import MIRRORED_TORCH, replay
from lrscope.engine.replicas import REPLICAS
from lrscope.engine.torch_stepper import step_curves
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run

_lock = threading.Lock()
_disabled: set[str] | None = None  # replicas switched off by the self-check (None: not run)


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
            # Not under a request's deadline (the first request of a process may run this):
            # a check stopped part way would switch a sound replica off for good.
            with deadline.active(None):
                for spec in _CHECKS:
                    disabled |= _check(spec)
        _disabled = disabled
        return disabled


def _check(spec: dict[str, Any]) -> set[str]:
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


def _names(spec: dict[str, Any]) -> set[str]:
    """What a failed check switches off: a leaf, or the composites of a nested check (a
    leaf's own use is covered by its own check; in a composite it is used differently)."""
    children = spec.get("schedulers")
    if not children:
        return {str(spec["type"])}
    return {str(spec["type"])}.union(*(_names(c) for c in children if c.get("schedulers")))


def disabled_replicas() -> set[str]:
    """The replicas switched off (the check runs on first use if it has not yet)."""
    return _disabled if _disabled is not None else self_check()


def reset_self_check() -> None:
    """Forget the self-check's verdict (tests use it to run the check again)."""
    global _disabled
    with _lock:
        _disabled = None
