"""Resuming a scheduler whose callables are formulas (LambdaLR, MultiplicativeLR, CyclicLR's
``scale_fn``, and those nested in composites).

torch's ``LambdaLR.state_dict`` and ``CyclicLR.state_dict`` copy the ``__dict__`` of a
callable that is not a plain function, and ``load_state_dict`` updates it (pytorch
``test/optim/test_lrscheduler.py``: ``test_lambda_lr_state_dict_obj``,
``test_cycle_lr_state_dict_picklable`` case 3). A formula is such a callable object, so it
must have a ``__dict__`` for a resume to be evaluated at all (it was a 500).
"""

from __future__ import annotations

from array import array
from typing import Any

import pytest
import torch
from torch.optim.lr_scheduler import LambdaLR

from lrscope.engine import evaluate

FORMULA_SCHEDULERS: dict[str, dict[str, Any]] = {
    "LambdaLR": {"type": "LambdaLR", "lr_lambda": "0.95 ** epoch"},
    "MultiplicativeLR": {"type": "MultiplicativeLR", "lr_lambda": "0.9"},
    "CyclicLR scale_fn": {
        "type": "CyclicLR",
        "base_lr": 0.01,
        "max_lr": 0.1,
        "step_size_up": 3,
        "scale_fn": "0.5 ** x",
    },
    "SequentialLR of LambdaLR": {
        "type": "SequentialLR",
        "milestones": [3],
        "schedulers": [
            {"type": "LambdaLR", "lr_lambda": "0.5"},
            {"type": "StepLR", "step_size": 2},
        ],
    },
}


def _bits(values: list[float]) -> bytes:
    return array("d", values).tobytes()


@pytest.mark.parametrize("name", FORMULA_SCHEDULERS)
def test_state_dict_resume_of_a_formula_scheduler_equals_the_uninterrupted_run(
    name: str,
) -> None:
    spec = {"scheduler": FORMULA_SCHEDULERS[name], "epochs": 12, "max_points": 0}
    plain = evaluate(spec)
    resumed = evaluate({**spec, "resume": {"at_step": 5, "how": "state_dict"}})
    assert _bits(resumed["groups"][0]["lr"]) == _bits(plain["groups"][0]["lr"])
    assert not [w for w in resumed["warning_details"] if w["code"] == "resume_departs"]


def test_rebuilt_lambda_lr_follows_a_script_with_a_lambda() -> None:
    """rebuild: the new LambdaLR starts over on the loaded (already decayed) rates."""
    lrs: list[float] = []
    param = torch.zeros(2, 2, requires_grad=True)
    opt = torch.optim.SGD([param], lr=0.1, momentum=0.9)
    sched = LambdaLR(opt, lambda epoch: 0.95**epoch)
    for step in range(10):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
        if step == 4:
            state = opt.state_dict()
            opt = torch.optim.SGD([param], lr=0.1, momentum=0.9)
            sched = LambdaLR(opt, lambda epoch: 0.95**epoch)
            opt.load_state_dict(state)
    out = evaluate(
        {
            "scheduler": FORMULA_SCHEDULERS["LambdaLR"],
            "epochs": 10,
            "max_points": 0,
            "resume": {"at_step": 4, "how": "rebuild"},
        }
    )
    assert _bits(out["groups"][0]["lr"]) == _bits(lrs)
