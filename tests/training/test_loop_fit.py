"""Training jobs run a Loop (``training/loop_fit.py`` and the job loop): their learning
rates equal /api/schedule's for the job's own ``schedule_request`` bit for bit, a plateau
entry is stepped on the real validation loss, and a per-step plateau entry is refused at
that entry's ``interval``; over HTTP too."""

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
WARMUP = {"type": "LinearLR", "start_factor": 0.1, "total_iters": 6}
PLATEAU = {"type": "ReduceLROnPlateau", "patience": 1, "factor": 0.5}


def plan(**spec: Any) -> TrainingPlan:
    return resolve_train(parse_train_spec({**SMALL, **spec}), default_catalog(), Limits())


def loop(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Loop", "schedulers": list(entries)}


CASES = [  # per-batch warmup + per-epoch MultiStepLR; SWA after cosine, two groups
    loop({"scheduler": WARMUP, "interval": "step", "end": 6},
         {"scheduler": {"type": "MultiStepLR", "milestones": [2, 4]}, "interval": "epoch"}),
    loop({"scheduler": {"type": "CosineAnnealingLR", "T_max": 3}, "interval": "epoch", "end": 3},
         {"scheduler": {"type": "SWALR", "swa_lr": [0.02, 0.01], "anneal_epochs": 2},
          "interval": "epoch", "begin": 3}),
]  # fmt: skip


@pytest.mark.parametrize("scheduler", CASES, ids=["warmup+multistep", "swa"])
def test_job_rates_equal_api_schedule_bit_for_bit(scheduler: dict[str, Any]) -> None:
    optimizer = {"type": "SGD", "lr": 0.1, "momentum": 0.9, "param_groups": [{}, {"lr": 0.05}]}
    p = plan(scheduler=scheduler, optimizer=optimizer, epochs=6, log_every=1)
    events = run_to_end(p)
    assert events[-1]["status"] == "completed"
    curve = evaluate({**events[0]["schedule_request"], "max_points": 0})
    steps = [e for e in events if e["type"] in ("step", "metrics")]
    assert len([e for e in steps if e["type"] == "step"]) == p.num_steps == curve["num_steps"]
    for s in steps:
        for g, group in enumerate(curve["groups"]):
            assert s["lr"][g] == group["lr"][s["step"]]
            assert s["momentum"][g] == group["momentum"][s["step"]]
    assert len({s["lr"][0] for s in steps}) > 3  # the schedule really moved


def test_warmup_then_plateau_steps_on_the_real_validation_loss() -> None:
    scheduler = loop({"scheduler": WARMUP, "interval": "step", "end": 6},
                     {"scheduler": PLATEAU, "interval": "epoch", "begin": 2})  # fmt: skip
    p = plan(task={"name": "overfit"}, epochs=30, log_every=1, scheduler=scheduler,
             optimizer={"type": "Adam", "lr": 0.01})  # fmt: skip
    assert not any("synthetic" in w for w in p.run.warnings)
    events = run_to_end(p)
    metrics = [e for e in events if e["type"] == "metrics"]
    val = [m["val_loss"] for m in metrics]
    assert len({m["lr"][0] for m in metrics}) > 2  # the plateau cut the rate
    request = {**events[0]["schedule_request"], "max_points": 0, "metric": {"values": val}}
    curve = evaluate(request)
    for s in (e for e in events if e["type"] == "step"):
        assert s["lr"][0] == curve["groups"][0]["lr"][s["step"]]


def test_a_per_step_plateau_entry_is_refused_at_its_interval() -> None:
    scheduler = loop({"scheduler": WARMUP, "interval": "step"},
                     {"scheduler": PLATEAU, "interval": "step"})  # fmt: skip
    with pytest.raises(SpecError) as raised:
        plan(scheduler=scheduler, epochs=3)
    (e,) = raised.value.errors
    assert e["loc"] == ["scheduler", "schedulers", 1, "interval"]
    assert e["code"] == "metric_scheduler_per_step"


def test_a_loop_job_over_http_runs_and_matches_its_schedule(tmp_path: Path) -> None:
    two = {"type": "SGD", "lr": 0.1, "param_groups": [{}, {"lr": 0.05}]}
    body = {**SMALL, "scheduler": CASES[1], "optimizer": two, "epochs": 5}
    with TestClient(create_app(job_settings(tmp_path))) as client:
        response = client.post("/api/jobs", json=body)
        assert response.status_code == 202, response.text
        with client.websocket_connect(f"/ws/jobs/{response.json()['id']}") as ws:
            events = read_to_done(ws)
        assert events[-1]["status"] == "completed"
        start = next(e for e in events if e["type"] == "start")
        curve = client.post("/api/schedule", json={**start["schedule_request"], "max_points": 0})
        lr = curve.json()["groups"][0]["lr"]
        metrics = [e for e in events if e["type"] == "metrics"]
        assert [m["lr"][0] for m in metrics] == [lr[m["step"]] for m in metrics]
        bad = client.post("/api/jobs", json={**body, "scheduler": loop({"scheduler": WARMUP})})
        assert bad.json()["detail"][0]["loc"] == ["body", "scheduler", "schedulers", 0, "interval"]
