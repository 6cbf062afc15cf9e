"""A training job with ``"resume"``: stopped after optimizer step N, it goes on with a new
optimizer and scheduler on the model's own parameters, as the resume's ``how`` says, so its
streamed learning rates equal /api/schedule's for the job's ``schedule_request`` bit for bit;
what the schedule refuses, the job refuses at the same loc.

The constructors are the first of torch's own ``*_state_dict`` tests in pytorch/pytorch
``test/optim/test_lrscheduler.py`` (test_step_lr_state_dict, test_cosine_lr_state_dict,
test_multi_step_lr_state_dict), resumed the three ways of pytorch issue #60265.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.settings import Limits
from lrscope.training.loop import run_to_end
from lrscope.training.spec import TrainingPlan, parse_train_spec, resolve_train
from lrscope.web.app import create_app
from tests.helpers.jobs import job_settings, read_to_done

SMALL = {"task": {"name": "moons", "train_size": 64, "val_size": 64}, "batch_size": 16}
SGD = {"type": "SGD", "lr": 0.05, "momentum": 0.9, "param_groups": [{}, {"lr": 0.5}]}
STEP = {"type": "StepLR", "gamma": 0.1, "step_size": 3}
COSINE = {"type": "CosineAnnealingLR", "T_max": 10, "eta_min": 1e-10}
MULTI = {"type": "MultiStepLR", "gamma": 0.1, "milestones": [2, 5, 9]}


def plan(**spec: Any) -> TrainingPlan:
    return resolve_train(parse_train_spec({**SMALL, **spec}), default_catalog(), Limits())


def job_rates(**spec: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The job's events (one per step) and /api/schedule's curve for its schedule_request."""
    events = run_to_end(plan(optimizer=SGD, epochs=10, log_every=1, **spec))
    assert events[-1]["status"] == "completed"
    request = events[0]["schedule_request"]
    assert request["resume"] == spec["resume"]
    return {"events": events}, evaluate({**request, "max_points": 0})


CASES = [  # 4 steps an epoch: step 15 ends epoch 3 (4 StepLR steps taken)
    ({"scheduler": STEP, "resume": {"at_step": 15, "how": "rebuild"}}),
    ({"scheduler": STEP, "resume": {"at_step": 15, "how": "last_epoch"}}),
    ({"scheduler": STEP, "resume": {"at_step": 15, "how": "state_dict"}}),
    ({"scheduler": COSINE, "resume": {"at_step": 19, "how": "rebuild"}}),
    ({"scheduler": COSINE, "resume": {"at_step": 19, "how": "last_epoch"}}),
    ({"scheduler": MULTI, "resume": {"at_step": 11, "how": "rebuild"}}),
    ({"scheduler": COSINE, "interval": "step", "resume": {"at_step": 6, "how": "rebuild"}}),
    ({"scheduler": {"type": "OneCycleLR", "max_lr": [0.2, 0.1]}, "interval": "step",
      "resume": {"at_step": 17, "how": "state_dict"}}),
]  # fmt: skip


def _id(case: dict[str, Any]) -> str:
    return f"{case['scheduler']['type']}-{case.get('interval', 'epoch')}-{case['resume']['how']}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_job_rates_equal_api_schedule_bit_for_bit(case: dict[str, Any]) -> None:
    job, curve = job_rates(**case)
    steps = [e for e in job["events"] if e["type"] in ("step", "metrics")]
    assert len([e for e in steps if e["type"] == "step"]) == curve["num_steps"] == 40
    for s in steps:
        for g, group in enumerate(curve["groups"]):
            assert s["lr"][g] == group["lr"][s["step"]], (s["step"], g)
            assert s["momentum"][g] == group["momentum"][s["step"]]


@pytest.mark.parametrize("case", [c for c in CASES if c["resume"]["how"] == "rebuild"], ids=_id)
def test_a_rebuilt_job_really_departs_from_the_uninterrupted_one(case: dict[str, Any]) -> None:
    # Without the resume in the loop the job would follow the uninterrupted curve.
    job, curve = job_rates(**case)
    uninterrupted = evaluate(
        {**job["events"][0]["schedule_request"], "resume": None, "max_points": 0}
    )
    assert curve["groups"][0]["lr"] != uninterrupted["groups"][0]["lr"]
    codes = [w["code"] for w in curve["warning_details"]]
    assert "resume_departs" in codes
    rates = [e["lr"][0] for e in job["events"] if e["type"] == "step"]
    assert rates == curve["groups"][0]["lr"] != uninterrupted["groups"][0]["lr"]


def test_plateau_resumed_from_state_dict_keeps_stepping_on_the_validation_loss() -> None:
    spec = {
        "task": {"name": "overfit"},
        "epochs": 30,
        "log_every": 1,
        "optimizer": {"type": "Adam", "lr": 0.01},
        "scheduler": {"type": "ReduceLROnPlateau", "patience": 2, "factor": 0.5},
        "resume": {"at_step": 17, "how": "state_dict"},  # overfit: 40 samples, 3 batches
    }
    events = run_to_end(plan(**spec))
    val = [e["val_loss"] for e in events if e["type"] == "metrics"]
    metric = {"values": val}
    curve = evaluate({**events[0]["schedule_request"], "max_points": 0, "metric": metric})
    rates = [e["lr"][0] for e in events if e["type"] == "step"]
    assert rates == curve["groups"][0]["lr"]
    assert len(set(rates)) > 2  # the plateau cut the rate


def _refusal(build: Any, spec: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(SpecError) as info:
        build(spec)
    return [(tuple(e["loc"]), e["code"]) for e in info.value.errors]


REFUSED = [
    ({"scheduler": STEP, "resume": {"at_step": 5, "how": "state_dict"}}, "resume_mid_epoch"),
    ({"scheduler": STEP, "resume": {"at_step": 39, "how": "rebuild"}}, "resume_at_step_range"),
    ({"scheduler": {"type": "ReduceLROnPlateau", "patience": 2},
      "resume": {"at_step": 3, "how": "last_epoch"}}, "resume_no_last_epoch"),
    ({"scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 2}, "interval": "fractional",
      "resume": {"at_step": 3, "how": "state_dict"}}, "resume_unsupported"),
    ({"scheduler": {"type": "Loop", "schedulers": [{"scheduler": STEP, "interval": "epoch"}]},
      "resume": {"at_step": 3, "how": "state_dict"}}, "resume_unsupported"),
]  # fmt: skip


@pytest.mark.parametrize("case", REFUSED, ids=[c[1] + str(i) for i, c in enumerate(REFUSED)])
def test_the_job_refuses_what_the_schedule_refuses_at_the_same_loc(
    case: tuple[dict[str, Any], str],
) -> None:
    spec, code = case
    job = _refusal(lambda s: plan(**s, epochs=10), spec)
    schedule = _refusal(
        lambda s: evaluate({**s, "epochs": 10, "steps_per_epoch": 4}),
        spec,
    )
    assert job == schedule
    assert code in [c for _, c in job]
    assert all(loc[0] == "resume" for loc, _ in job)


def test_a_resumed_job_over_http_streams_the_resumed_curve(tmp_path: Path) -> None:
    body = {**SMALL, "scheduler": STEP, "optimizer": SGD, "epochs": 10,
            "resume": {"at_step": 15, "how": "rebuild"}}  # fmt: skip
    with TestClient(create_app(job_settings(tmp_path))) as client:
        response = client.post("/api/jobs", json=body)
        assert response.status_code == 202, response.text
        with client.websocket_connect(f"/ws/jobs/{response.json()['id']}") as ws:
            events = read_to_done(ws)
        assert events[-1]["status"] == "completed"
        start = next(e for e in events if e["type"] == "start")
        request = {**start["schedule_request"], "max_points": 0}
        lr = client.post("/api/schedule", json=request).json()["groups"][1]["lr"]
        plain = client.post("/api/schedule", json={**request, "resume": None}).json()
        metrics = [e for e in events if e["type"] == "metrics"]
        assert [m["lr"][1] for m in metrics] == [lr[m["step"]] for m in metrics]
        assert lr != plain["groups"][1]["lr"]
        late = {**body, "resume": {"at_step": 14, "how": "rebuild"}}
        schedule = client.post("/api/schedule", json={**request, "resume": late["resume"]})
        bad = client.post("/api/jobs", json=late)
        assert bad.status_code == schedule.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["body", "resume", "at_step"]
        assert schedule.json()["detail"][0]["loc"] == bad.json()["detail"][0]["loc"]
