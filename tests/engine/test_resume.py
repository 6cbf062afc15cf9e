"""``"resume"``: the curve of a run stopped after step N and continued with new objects.

The ``state_dict`` cases are torch's own ``*_state_dict`` tests, from pytorch/pytorch
``test/optim/test_lrscheduler.py``: ``_check_scheduler_state_dict`` steps a scheduler 10
times, loads its state into a freshly built one and requires the same ``__dict__`` and
``get_last_lr()``; here that is: resumed after 10 scheduler steps, the curve equals the
uninterrupted run bit for bit.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch.optim.lr_scheduler import SequentialLR, StepLR

from lrscope.engine import evaluate

# test_step_lr_state_dict, test_multi_step_lr_state_dict, test_exp_step_lr_state_dict,
# test_cosine_lr_state_dict, test_CosineAnnealingWarmRestarts_lr_state_dict,
# test_swa_lr_state_dict (the first constructor of each)
TORCH_STATE_DICT_CASES: dict[str, dict[str, Any]] = {
    "StepLR": {"type": "StepLR", "gamma": 0.1, "step_size": 3},
    "MultiStepLR": {"type": "MultiStepLR", "gamma": 0.1, "milestones": [2, 5, 9]},
    "ExponentialLR": {"type": "ExponentialLR", "gamma": 0.1},
    "CosineAnnealingLR": {"type": "CosineAnnealingLR", "T_max": 10, "eta_min": 1e-10},
    "CosineAnnealingWarmRestarts": {"type": "CosineAnnealingWarmRestarts", "T_0": 10, "T_mult": 2},
    "SWALR": {"type": "SWALR", "anneal_epochs": 3, "swa_lr": 0.5},
}
OPT = {"type": "SGD", "lr": 0.05, "param_groups": [{}, {"lr": 0.5}]}


def _run(scheduler: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return evaluate({"scheduler": scheduler, "optimizer": OPT, "epochs": 20, "max_points": 0,
                     **kw})  # fmt: skip


@pytest.mark.parametrize("name", TORCH_STATE_DICT_CASES)
def test_state_dict_resume_equals_the_uninterrupted_run(name: str) -> None:
    sched = TORCH_STATE_DICT_CASES[name]
    resumed = _run(sched, resume={"at_step": 9, "how": "state_dict"})
    assert resumed["groups"] == _run(sched)["groups"]
    assert not [w for w in resumed["warning_details"] if w["code"] == "resume_departs"]


def test_per_step_state_dict_resume_equals_the_uninterrupted_run() -> None:
    sched = {"type": "OneCycleLR", "max_lr": 0.1}
    spec = {"epochs": 4, "steps_per_epoch": 5}
    resumed = _run(sched, **spec, resume={"at_step": 7, "how": "state_dict"})
    assert resumed["groups"] == _run(sched, **spec)["groups"]


def _script_rebuild(at_step: int, epochs: int) -> list[float]:
    """The common bug, written as a script would: a new StepLR, only the optimizer loaded."""
    opt = torch.optim.SGD([torch.zeros(2, 2, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = StepLR(opt, step_size=3, gamma=0.5)
    lrs = []
    for epoch in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
        if epoch == at_step:
            state = opt.state_dict()
            opt = torch.optim.SGD([torch.zeros(2, 2, requires_grad=True)], lr=0.1, momentum=0.9)
            sched = StepLR(opt, step_size=3, gamma=0.5)
            opt.load_state_dict(state)
    return lrs


def test_rebuild_is_the_scripts_curve_and_names_where_it_departs() -> None:
    spec = {"scheduler": {"type": "StepLR", "step_size": 3, "gamma": 0.5}, "epochs": 12,
            "max_points": 0, "resume": {"at_step": 4, "how": "rebuild"}}  # fmt: skip
    out = evaluate(spec)
    assert out["groups"][0]["lr"] == _script_rebuild(4, 12)
    plain = evaluate({**spec, "resume": None})["groups"][0]["lr"]
    departs = [
        i for i, (a, b) in enumerate(zip(out["groups"][0]["lr"], plain, strict=True)) if a != b
    ]
    assert departs  # the new StepLR restarts its count: its decays come late
    (w,) = [w for w in out["warning_details"] if w["code"] == "resume_departs"]
    assert w["params"]["steps"] == ", ".join(map(str, departs))


def _script_last_epoch_sequential(at_step: int, epochs: int) -> list[float]:
    def make(opt: torch.optim.Optimizer, last_epoch: int = -1) -> SequentialLR:
        warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
        decay = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
        return SequentialLR(opt, [warm, decay], milestones=[3], last_epoch=last_epoch)

    opt = torch.optim.SGD([torch.zeros(2, 2, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = make(opt)
    lrs = []
    for epoch in range(epochs):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
        if epoch == at_step:
            state = opt.state_dict()
            opt = torch.optim.SGD([torch.zeros(2, 2, requires_grad=True)], lr=0.1, momentum=0.9)
            opt.load_state_dict(state)  # its groups carry initial_lr, as last_epoch needs
            sched = make(opt, last_epoch=epoch)  # K - 1 with K = epoch + 1 steps taken
    return lrs


def test_last_epoch_on_a_composite_departs_as_torch_does() -> None:
    sched = {"type": "SequentialLR", "milestones": [3], "schedulers": [
        {"type": "LinearLR", "start_factor": 0.1, "total_iters": 3},
        {"type": "ExponentialLR", "gamma": 0.9}]}  # fmt: skip
    spec = {"scheduler": sched, "epochs": 10, "max_points": 0,
            "resume": {"at_step": 4, "how": "last_epoch"}}  # fmt: skip
    out = evaluate(spec)
    assert out["groups"][0]["lr"] == _script_last_epoch_sequential(4, 10)
    assert "resume_departs" in [w["code"] for w in out["warning_details"]]


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "ExponentialLR"])
def test_last_epoch_equals_the_uninterrupted_run_for_plain_schedulers(name: str) -> None:
    sched = TORCH_STATE_DICT_CASES[name]
    resumed = _run(sched, resume={"at_step": 9, "how": "last_epoch"})
    assert resumed["groups"] == _run(sched)["groups"]
