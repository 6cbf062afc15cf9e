"""The curated overlay: what torch's signatures and docstrings cannot say.

Bounds where a signature says only ``float``, the step unit of per-batch schedulers,
which arguments are formulas, and which are lengths (``length``: what a rescale scales).
Keys are ``Param`` fields. Everything else is discovered.
"""

from __future__ import annotations

from typing import Any

# Names in torch's __all__ that are not schedulers a user picks.
EXCLUDED_SCHEDULERS: dict[str, str] = {
    "LRScheduler": "abstract base class: it has no schedule of its own",
}
# Optimizer arguments that change how the update is computed, never the learning rate.
IMPLEMENTATION_ARGS = {"params", "foreach", "differentiable", "capturable", "fused"}
EXCLUDED_OPTIMIZERS: dict[str, str] = {
    "Optimizer": "abstract base class",
    "LBFGS": "needs a closure that re-evaluates the model on every step",
}
# Per parameter: bounds and kind where the signature is too loose. Keys are Param fields.
_POS = {"exclusive_minimum": 0}
_NONNEG = {"minimum": 0}
_UNIT_OPEN = {"minimum": 0, "exclusive_maximum": 1}
# A length in the scheduler's own steps: what a rescale to another run length scales.
_STEPS = {"length": "scheduler_steps"}
OVERLAY: dict[str, dict[str, Any]] = {
    "LambdaLR": {
        # torch's own first line ("Sets the initial learning rate.") says little
        "summary": "Sets the learning rate of each parameter group to the initial lr times "
        "a given function of the epoch.",
        "params": {"lr_lambda": {"type": "expression", "variable": "epoch"}},
    },
    "MultiplicativeLR": {"params": {"lr_lambda": {"type": "expression", "variable": "epoch"}}},
    "StepLR": {"params": {"step_size": {"minimum": 1, **_STEPS}, "gamma": _POS}},
    "MultiStepLR": {"params": {"milestones": {"minimum": 1, **_STEPS}, "gamma": _POS}},
    "ConstantLR": {
        "params": {
            "factor": {"exclusive_minimum": 0, "maximum": 1},
            "total_iters": {"minimum": 1, **_STEPS},
        }
    },
    "LinearLR": {
        "params": {
            "start_factor": {"exclusive_minimum": 0, "maximum": 1},
            "end_factor": {"minimum": 0, "maximum": 1},
            "total_iters": {"minimum": 1, **_STEPS},
        }
    },
    "ExponentialLR": {"params": {"gamma": _POS}},
    "SequentialLR": {"params": {"milestones": {"minimum": 1, **_STEPS}}},
    "CosineAnnealingLR": {"params": {"T_max": {"minimum": 1, **_STEPS}, "eta_min": _NONNEG}},
    "ReduceLROnPlateau": {
        "needs_metric": True,
        "params": {
            "factor": {"exclusive_minimum": 0, "exclusive_maximum": 1},
            "patience": {**_NONNEG, **_STEPS},
            "threshold": _NONNEG,
            "cooldown": {**_NONNEG, **_STEPS},
            "min_lr": {"minimum": 0, "per_group": True},
            "eps": _NONNEG,
        },
    },
    "CyclicLR": {
        "step_unit": "step",
        "params": {
            "base_lr": {"exclusive_minimum": 0},
            "max_lr": {"exclusive_minimum": 0},
            "step_size_up": {"minimum": 1, **_STEPS},
            "step_size_down": {"minimum": 1, **_STEPS},
            "gamma": _POS,
            "scale_fn": {"type": "expression", "variable": "x"},
            # >= 1 is evaluated with a warning (validation/momentum.py): torch's own tests
            # cycle momentum between 1 and 5; training jobs refuse it
            "base_momentum": {**_NONNEG, "per_group": True},
            "max_momentum": {**_NONNEG, "per_group": True},
        },
    },
    "CosineAnnealingWarmRestarts": {
        "params": {"T_0": {"minimum": 1, **_STEPS}, "T_mult": {"minimum": 1}, "eta_min": _NONNEG}
    },
    "OneCycleLR": {
        "step_unit": "step",
        "params": {
            "max_lr": {"exclusive_minimum": 0},
            "total_steps": {"minimum": 2, **_STEPS},
            "epochs": {"minimum": 1, "length": "epochs"},
            "steps_per_epoch": {"minimum": 1, "length": "batches"},
            "pct_start": {"exclusive_minimum": 0, "exclusive_maximum": 1},
            "base_momentum": _NONNEG,
            "max_momentum": _NONNEG,
            "div_factor": _POS,
            "final_div_factor": _POS,
        },
    },
    "PolynomialLR": {"params": {"total_iters": {"minimum": 1, **_STEPS}, "power": _NONNEG}},
    # torch.optim.swa_utils, outside lr_scheduler.__all__ (introspect.py finds it there)
    "SWALR": {
        "summary": "Anneals each group's learning rate to a fixed SWA value over "
        "anneal_epochs steps, then holds it (torch.optim.swa_utils.SWALR).",
        "params": {
            "swa_lr": {
                "minimum": 0,
                "per_group": True,
                "description": "the learning rate to anneal to and hold: one for all param "
                "groups or one per group",
            },
            "anneal_epochs": {
                "type": "integer",
                "minimum": 0,
                **_STEPS,
                "description": "steps of the annealing phase (0: jump to swa_lr when built)",
            },
            "anneal_strategy": {
                "description": "'cos' (cosine) or 'linear' interpolation to swa_lr",
            },
        },
    },
}
OPTIMIZER_OVERLAY: dict[str, dict[str, Any]] = {
    "lr": _NONNEG,
    "momentum": _UNIT_OPEN,
    "dampening": _NONNEG,
    "weight_decay": _NONNEG,
    "eps": _NONNEG,
    "betas": {"minimum": 0, "exclusive_maximum": 1},
    "alpha": _NONNEG,
    "rho": {"minimum": 0, "maximum": 1},
    "lr_decay": _NONNEG,
    "momentum_decay": _NONNEG,
}
