"""One working scheduler spec per scheduler of torch 2.13, each as a student would first try
it: valid on its own, with the run's defaults, and warning-free (for 40 epochs of 2 steps).

The API test evaluates each, the replay test checks each takes the fast path and equals
stepping torch, and the coverage tests compare the names with torch's and the replicas'.
"""

from __future__ import annotations

from typing import Any

STEP: dict[str, Any] = {"type": "StepLR", "step_size": 3}

SCHEDULERS: dict[str, dict[str, Any]] = {
    "LambdaLR": {"type": "LambdaLR", "lr_lambda": "0.95 ** epoch"},
    "MultiplicativeLR": {"type": "MultiplicativeLR", "lr_lambda": "0.9"},
    "StepLR": STEP,
    "MultiStepLR": {"type": "MultiStepLR", "milestones": [10, 20, 30], "gamma": 0.1},
    "ConstantLR": {"type": "ConstantLR", "factor": 0.5, "total_iters": 4},
    "LinearLR": {"type": "LinearLR", "start_factor": 0.1, "total_iters": 10},
    "ExponentialLR": {"type": "ExponentialLR", "gamma": 0.9},
    "SequentialLR": {
        "type": "SequentialLR",
        "milestones": [5],
        "schedulers": [
            {"type": "LinearLR", "start_factor": 0.1, "total_iters": 5},
            {"type": "CosineAnnealingLR", "T_max": 35},
        ],
    },
    "CosineAnnealingLR": {"type": "CosineAnnealingLR", "T_max": 40, "eta_min": 0.001},
    "ChainedScheduler": {
        "type": "ChainedScheduler",
        "schedulers": [
            {"type": "ConstantLR", "factor": 0.1},
            {"type": "ExponentialLR", "gamma": 0.9},
        ],
    },
    "ReduceLROnPlateau": {"type": "ReduceLROnPlateau", "patience": 2},
    "CyclicLR": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5},
    "CosineAnnealingWarmRestarts": {"type": "CosineAnnealingWarmRestarts", "T_0": 10},
    "OneCycleLR": {"type": "OneCycleLR", "max_lr": 0.1},
    "PolynomialLR": {"type": "PolynomialLR", "total_iters": 30, "power": 2.0},
}
