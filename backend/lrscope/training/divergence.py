"""Why a run diverged, in plain words and with what to try: the ``done`` event's message.

A loss that becomes NaN or infinite almost always means the learning rate is too high for
the model and its remedies (dropout makes the gradient noisier, a large L1 pulls hard);
the message names the rate, what sets the run apart, and a rate three times smaller.
"""

from __future__ import annotations

from typing import Any

from lrscope.messages import render
from lrscope.training.spec import TrainingPlan


def run_setting(plan: TrainingPlan) -> str:
    """What sets the run apart, in the spec's own words: ``SGD, dropout 0.5, l1 0.0001``."""
    reg = plan.spec.regularization
    parts = [plan.spec.optimizer.type]
    if reg.weight_decay:
        parts.append(f"weight_decay {reg.weight_decay:g}")
    for name in ("l1", "dropout", "input_noise"):
        value = getattr(reg, name)
        if value:
            parts.append(f"{name} {value:g}")
    return ", ".join(parts)


def diverged(
    plan: TrainingPlan,
    value: float,
    lr: float,
    *,
    step: int | None = None,
    epoch: int | None = None,
) -> dict[str, Any]:
    """``code``, ``params`` and the English ``error`` of a run whose loss became ``value``
    (at optimizer step ``step``, or at the end of epoch ``epoch``) with learning rate ``lr``."""
    params = {
        "value": str(value),
        "lr": f"{lr:g}",
        "smaller": f"{lr / 3:.2g}",
        "setting": run_setting(plan),
    }
    if step is not None:
        code, params["step"] = "diverged_train_loss", str(step)
    else:
        code, params["epoch"] = "diverged_val_loss", str(epoch)
    return {"code": code, "params": params, "error": render(code, params)}
