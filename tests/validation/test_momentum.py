"""Momentum >= 1 in CyclicLR/OneCycleLR: evaluated with a warning, refused for training.

The 13 cases are torch's own, from pytorch/pytorch ``test/optim/test_lrscheduler.py``
(``TestLRScheduler``): every cyclic test whose momentum reaches 1 or more. Their optimizer
is ``SGD([{conv1}, {conv2, "lr": 0.5}], lr=0.05)`` (momentum 0), or Adam for
``test_cycle_lr_with_adam``; ``_test_cycle_lr`` reads group ``i``'s lr and momentum (beta1
for Adam) before the ``i``-th ``scheduler.step()``, which is the curve's point ``i``.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.catalog import default_catalog
from lrscope.errors import SpecError
from lrscope.settings import Limits
from lrscope.training.spec import parse_train_spec, resolve_train
from tests.helpers.http import detail_of

_TRI = [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3]
_TRI2 = [1, 2, 3, 4, 5, 4, 3, 2, 1, 1.5, 2.0, 2.5, 3.0, 2.5, 2.0, 1.5, 1, 1.25, 1.5, 1.75,
         2.0, 1.75]  # fmt: skip
_XS = [0, 0.25, 0.5, 0.75, 1, 0.75, 0.50, 0.25, 0, 0.25, 0.5, 0.75, 1]
_XS_UD = [0.0, 0.5, 1.0, 5 / 6, 4 / 6, 3 / 6, 2 / 6, 1 / 6, 0.0, 0.5, 1.0, 5 / 6, 4 / 6]
_UD = [1.0, 2.0, 3.0, 4.0, 5.0, 13 / 3, 11 / 3, 9 / 3, 7 / 3, 5 / 3, 1.0]
_UD_MOM = [5.0, 4.0, 3.0, 2.0, 1.0, 5 / 3, 7 / 3, 3.0, 11 / 3, 13 / 3, 5.0]
_TRI2_UD = [1.0, 3.0, 5.0, 13 / 3, 11 / 3, 9 / 3, 7 / 3, 5 / 3, 1.0, 2.0, 3.0, 8 / 3, 7 / 3,
            6 / 3, 5 / 3, 4 / 3, 1.0, 3 / 2, 2.0, 11 / 6, 10 / 6, 9 / 6, 8 / 6, 7 / 6]  # fmt: skip
_TRI2_UD_MOM = [5.0, 3.0, 1.0, 5 / 3, 7 / 3, 3.0, 11 / 3, 13 / 3, 5.0, 4.0, 3.0, 10 / 3,
                11 / 3, 4.0, 13 / 3, 14 / 3, 5.0, 4.5, 4.0, 25 / 6, 13 / 3, 4.5, 14 / 3,
                29 / 6]  # fmt: skip
_OC_LIN = [1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5]
_OC_LIN_MOM = [22, 11.5, 1, 4, 7, 10, 13, 16, 19, 22]


def _cos(start: float, end: float, pct: float) -> float:
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


_OC_COS = [1, 13, 25, *(_cos(25, 0.5, k / 7) for k in range(1, 7)), 0.5]
_OC_COS_MOM = [22, 11.5, 1, *(_cos(1, 22, k / 7) for k in range(1, 7)), 22]
_EXP = [1 + x * 4 * 0.9**i for i, x in enumerate(_XS)]
_EXP_MOM = [5 - x * 4 * 0.9**i for i, x in enumerate(_XS)]


def _cyc(**kw: Any) -> dict[str, Any]:
    return {"type": "CyclicLR", "step_size_up": 4, "cycle_momentum": True, **kw}


def _same(v: list[float]) -> tuple[list[float], list[float]]:
    return v, v


_ONECYCLE = {"type": "OneCycleLR", "max_lr": 25, "base_momentum": 1, "max_momentum": 22,
             "total_steps": 10}  # fmt: skip
# name: (scheduler, lr targets per group, momentum targets per group, optimizer type)
CASES: dict[str, tuple[dict[str, Any], tuple[Any, Any], tuple[Any, Any], str]] = {
    "test_cycle_lr_triangular_mode_one_lr": (
        _cyc(base_lr=1, max_lr=5, base_momentum=1, max_momentum=5, mode="triangular"),
        _same(_TRI), _same([6 - x for x in _TRI]), "SGD"),
    "test_cycle_lr_triangular2_mode_one_lr": (
        _cyc(base_lr=1, max_lr=5, base_momentum=1, max_momentum=5, mode="triangular2"),
        _same(_TRI2), _same([6 - x for x in _TRI2]), "SGD"),
    "test_cycle_lr_exp_range_mode_one_lr": (
        _cyc(base_lr=1, max_lr=5, base_momentum=1, max_momentum=5, mode="exp_range",
             gamma=0.9),
        _same(_EXP), _same(_EXP_MOM), "SGD"),
    "test_cycle_lr_triangular_mode": (
        _cyc(base_lr=[1, 2], max_lr=[5, 6], base_momentum=[1, 2], max_momentum=[5, 6],
             mode="triangular"),
        (_TRI, [x + 1 for x in _TRI]), ([6 - x for x in _TRI], [7 - x for x in _TRI]), "SGD"),
    "test_cycle_lr_triangular2_mode": (
        _cyc(base_lr=[1, 3], max_lr=[5, 7], base_momentum=[1, 3], max_momentum=[5, 7],
             mode="triangular2"),
        (_TRI2, [x + 2 for x in _TRI2]), ([6 - x for x in _TRI2], [8 - x for x in _TRI2]),
        "SGD"),
    "test_cycle_lr_exp_range_mode": (
        _cyc(base_lr=[1, 5], max_lr=[5, 12], base_momentum=[1, 5], max_momentum=[5, 12],
             mode="exp_range", gamma=0.9),
        (_EXP, [5 + x * 7 * 0.9**i for i, x in enumerate(_XS)]),
        (_EXP_MOM, [12 - x * 7 * 0.9**i for i, x in enumerate(_XS)]), "SGD"),
    "test_cycle_lr_triangular_mode_step_size_up_down": (
        _cyc(base_lr=1, max_lr=5, step_size_down=6, base_momentum=1, max_momentum=5,
             mode="triangular"),
        _same(_UD), _same(_UD_MOM), "SGD"),
    "test_cycle_lr_triangular2_mode_step_size_up_down": (
        _cyc(base_lr=[1, 3], max_lr=[5, 7], step_size_up=2, step_size_down=6,
             base_momentum=[1, 3], max_momentum=[5, 7], mode="triangular2"),
        (_TRI2_UD, [x + 2 for x in _TRI2_UD]),
        (_TRI2_UD_MOM, [x + 2 for x in _TRI2_UD_MOM]), "SGD"),
    "test_cycle_lr_exp_range_mode_step_size_up_down": (
        _cyc(base_lr=1, max_lr=5, step_size_up=2, step_size_down=6, base_momentum=1,
             max_momentum=5, mode="exp_range", gamma=0.9),
        _same([1 + x * 4 * 0.9**i for i, x in enumerate(_XS_UD)]),
        _same([5 - x * 4 * 0.9**i for i, x in enumerate(_XS_UD)]), "SGD"),
    "test_onecycle_lr_linear_annealing": (
        {**_ONECYCLE, "final_div_factor": 2, "anneal_strategy": "linear"},
        _same(_OC_LIN), _same(_OC_LIN_MOM), "SGD"),
    "test_onecycle_lr_linear_annealing_three_phases": (
        {**_ONECYCLE, "div_factor": 25, "anneal_strategy": "linear", "pct_start": 0.4,
         "final_div_factor": 4, "three_phase": True},
        _same([1, 9, 17, 25, 17, 9, 1, 0.75, 0.5, 0.25]),
        _same([22, 15, 8, 1, 8, 15, 22, 22, 22, 22]), "SGD"),
    "test_onecycle_lr_cosine_annealing": (
        {**_ONECYCLE, "final_div_factor": 2}, _same(_OC_COS), _same(_OC_COS_MOM), "SGD"),
    "test_cycle_lr_with_adam": (
        {**_ONECYCLE, "final_div_factor": 2, "anneal_strategy": "linear"},
        _same(_OC_LIN), _same(_OC_LIN_MOM), "Adam"),
}  # fmt: skip


def _body(scheduler: dict[str, Any], steps: int, optimizer: str) -> dict[str, Any]:
    opt = {"type": optimizer, "lr": 0.05, "param_groups": [{}, {"lr": 0.5}]}
    return {"scheduler": scheduler, "optimizer": opt, "epochs": 1, "steps_per_epoch": steps}


def test_thirteen_cases() -> None:
    assert len(CASES) == 13


@pytest.mark.parametrize("name", CASES)
def test_torch_cyclic_momentum_cases_reproduce(client: TestClient, name: str) -> None:
    scheduler, lrs, moms, optimizer = CASES[name]
    r = client.post("/api/schedule", json=_body(scheduler, len(lrs[0]), optimizer))
    assert r.status_code == 200, r.text
    body = r.json()
    for group, lr, mom in zip(body["groups"], lrs, moms, strict=True):
        assert group["lr"] == pytest.approx(lr, rel=1e-9, abs=1e-12)
        assert group["momentum"] == pytest.approx(mom, rel=1e-9, abs=1e-12)
    codes = [w["code"] for w in body["warning_details"]]
    assert "momentum_diverges" in codes
    assert any("momentum ≥ 1 makes SGD diverge" in w for w in body["warnings"])


def test_momentum_below_one_has_no_such_warning(client: TestClient) -> None:
    sched = _cyc(base_lr=0.01, max_lr=0.1, base_momentum=0.8, max_momentum=0.95)
    r = client.post("/api/schedule", json=_body(sched, 10, "SGD"))
    assert r.status_code == 200, r.text
    assert "momentum_diverges" not in [w["code"] for w in r.json()["warning_details"]]


def test_momentum_not_cycled_is_not_warned(client: TestClient) -> None:
    sched = {**_cyc(base_lr=1, max_lr=5, base_momentum=1, max_momentum=5),
             "cycle_momentum": False}  # fmt: skip
    r = client.post("/api/schedule", json=_body(sched, 10, "SGD"))
    assert r.status_code == 200, r.text
    assert "momentum_diverges" not in [w["code"] for w in r.json()["warning_details"]]


def test_negative_momentum_is_still_refused(client: TestClient) -> None:
    sched = _cyc(base_lr=0.01, max_lr=0.1, base_momentum=-0.5, max_momentum=0.9)
    detail = detail_of(client.post("/api/schedule", json=_body(sched, 10, "SGD")))
    assert detail[0]["loc"] == ["body", "scheduler", "base_momentum"]


@pytest.mark.parametrize(
    ("scheduler", "loc"),
    [
        ({"type": "OneCycleLR", "max_lr": 0.1, "max_momentum": 1.5}, ["scheduler", "max_momentum"]),
        (_cyc(base_lr=0.01, max_lr=0.1, base_momentum=0.8, max_momentum=[0.9, 1.0]),
         ["scheduler", "max_momentum", 1]),
    ],
)  # fmt: skip
def test_training_job_refuses_momentum_at_least_one(
    scheduler: dict[str, Any], loc: list[Any]
) -> None:
    spec = {"scheduler": scheduler, "epochs": 2,
            "optimizer": {"type": "SGD", "lr": 0.1, "param_groups": [{}, {"lr": 0.2}]}}  # fmt: skip
    with pytest.raises(SpecError) as info:
        resolve_train(parse_train_spec(spec), default_catalog(), Limits())
    (item,) = info.value.errors
    assert item["loc"] == loc and item["code"] == "momentum_cannot_train"
