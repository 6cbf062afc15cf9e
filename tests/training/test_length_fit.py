"""A schedule written for another run length than the job's (training/length_fit.py): with
``fit.to`` 'schedule' the job trains the schedule's own length (batches per epoch follow),
with 'task' the schedule is rescaled to the job; either way the job's rates equal
/api/schedule's for the spec it ran (its ``schedule_request``) bit for bit, and the start
and done events say which choice ran. Too long a schedule is refused naming the nearest
length that fits; over HTTP, /api/fit previews both choices."""

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
from lrscope.training.spec import (
    MAX_TRAIN_STEPS,
    TrainingPlan,
    TrainSpec,
    fit_preview,
    parse_train_spec,
    resolve_train,
)
from lrscope.web.app import create_app
from tests.helpers.jobs import job_settings, read_to_done

CYCLIC = {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 100}
SGD = {"type": "SGD", "lr": 0.01, "momentum": 0.9}
# The CyclicLR preset's shape, smaller: 5 epochs of 100 steps, 2.5 cycles.
CURVE = {"epochs": 5, "steps_per_epoch": 100}
TASK = {"task": {"name": "overfit"}, "optimizer": SGD, "epochs": 5}  # 2 batches an epoch


def plan(**spec: Any) -> TrainingPlan:
    return resolve_train(parse_train_spec({**TASK, **spec}), default_catalog(), Limits())


def assert_rates_equal_the_schedule(events: list[dict[str, Any]]) -> dict[str, Any]:
    assert events[-1]["status"] == "completed"
    curve = evaluate({**events[0]["schedule_request"], "max_points": 0})
    steps = [e for e in events if e["type"] in ("step", "metrics")]
    assert len([e for e in steps if e["type"] == "step"]) == curve["num_steps"]
    for s in steps:
        assert s["lr"][0] == curve["groups"][0]["lr"][s["step"]]
        assert s["momentum"][0] == curve["groups"][0]["momentum"][s["step"]]
    return curve


def peaks(values: list[float]) -> int:
    return sum(values[i - 1] < values[i] >= values[i + 1] for i in range(1, len(values) - 1))


def test_without_a_fit_a_per_batch_schedule_is_cut_to_the_task() -> None:
    p = plan(scheduler=CYCLIC)  # today's behaviour, kept for the API: 5 x 2 steps
    assert p.num_steps == 10 and p.fit is None
    assert "fit" not in run_to_end(p)[0]


def test_the_schedule_own_length_trains_and_cycles() -> None:
    p = plan(scheduler=CYCLIC, fit={"to": "schedule", **CURVE}, log_every=1)
    assert (p.epochs, p.steps_per_epoch, p.num_steps) == (5, 100, 500)
    events = run_to_end(p)
    curve = assert_rates_equal_the_schedule(events)
    lrs = [e["lr"][0] for e in events if e["type"] == "step"]
    assert peaks(lrs) >= 2 and max(lrs) == pytest.approx(0.1) and lrs == curve["groups"][0]["lr"]
    fit = events[0]["fit"]
    assert fit["to"] == "schedule" and not fit["rescaled"]
    assert fit["job"] == {"epochs": 5, "steps_per_epoch": 100, "num_steps": 500}
    assert events[-1]["fit"] == fit  # the done event says it too
    assert len([e for e in events if e["type"] == "metrics"]) == 5  # an epoch is 100 batches


def test_more_batches_than_one_pass_cycle_through_the_data() -> None:
    p = plan(scheduler=CYCLIC, fit={"to": "schedule", **CURVE})
    one = plan(scheduler=CYCLIC)
    assert p.steps_per_epoch == 100 > one.steps_per_epoch == 2
    first = run_to_end(p)
    assert first == run_to_end(p)  # the same spec gives the same run
    assert all(e["train_loss"] is not None for e in first if e["type"] == "metrics")


def test_the_schedule_rescaled_to_the_task_trains_its_rescaled_curve() -> None:
    p = plan(scheduler=CYCLIC, fit={"to": "task", **CURVE}, log_every=1)
    assert (p.epochs, p.steps_per_epoch) == (5, 2)
    events = run_to_end(p)
    request = events[0]["schedule_request"]
    assert request["scheduler"]["step_size_up"] == 2  # 100 x 10 / 500
    curve = assert_rates_equal_the_schedule(events)
    assert peaks(curve["groups"][0]["lr"]) >= 2  # it cycles in 10 steps
    fit = events[0]["fit"]
    assert fit["to"] == "task" and fit["rescaled"]
    assert fit["changes"] == [{"loc": ["scheduler", "step_size_up"], "from": 100, "to": 2}]
    assert events[-1]["fit"]["to"] == "task"


def test_a_per_epoch_schedule_keeps_the_task_batches() -> None:
    step = {"type": "StepLR", "step_size": 3}
    p = plan(scheduler=step, epochs=9, fit={"to": "schedule", "epochs": 9, "steps_per_epoch": 1})
    assert (p.epochs, p.steps_per_epoch) == (9, 2)  # its epochs; one pass per epoch
    r = plan(scheduler=step, epochs=18, fit={"to": "task", "epochs": 9, "steps_per_epoch": 1})
    assert r.run_spec.scheduler.model_dump()["step_size"] == 6
    assert_rates_equal_the_schedule(run_to_end(r))


def test_a_schedule_too_long_to_train_names_the_nearest_that_fits() -> None:
    long = {"to": "schedule", "epochs": 100, "steps_per_epoch": 10_000}
    with pytest.raises(SpecError) as raised:
        plan(scheduler=CYCLIC, fit=long)
    (issue,) = raised.value.errors
    assert issue["loc"] == ["fit"] and issue["code"] == "schedule_too_long"
    near_e, near_s = (
        int(issue["params"]["near_epochs"]),
        int(issue["params"]["near_steps_per_epoch"]),
    )
    assert near_e * near_s <= MAX_TRAIN_STEPS and near_e == 100
    nearest = plan(scheduler=CYCLIC, epochs=near_e, steps_per_epoch=near_s,
                   fit={**long, "to": "task"})  # fmt: skip
    assert nearest.num_steps == near_e * near_s


def test_a_length_that_contradicts_the_schedule_is_named() -> None:
    with pytest.raises(SpecError) as raised:
        plan(scheduler=CYCLIC, epochs=7, fit={"to": "schedule", **CURVE})
    assert [(e["loc"], e["code"]) for e in raised.value.errors] == [
        (["epochs"], "fit_length_differs")
    ]


def test_a_stored_spec_reads_back_the_same_plan() -> None:
    spec = parse_train_spec({"scheduler": CYCLIC, "fit": {"to": "schedule", **CURVE}})
    again = TrainSpec.model_validate(spec.model_dump(mode="json"))
    assert again.epochs == 5  # the schedule's epochs, written in
    catalog, limits = default_catalog(), Limits()
    assert resolve_train(again, catalog, limits).num_steps == 500


def test_the_preview_offers_both_choices() -> None:
    remedy = {"regularization": {"weight_decay": 0.003}}  # the job's optimizer has it too
    body = {**TASK, **remedy, "scheduler": CYCLIC, "fit": {"to": "task", **CURVE}}
    out = fit_preview(parse_train_spec(body), default_catalog(), Limits())
    assert not out["same_length"] and out["per_batch"]
    assert out["schedule"]["num_steps"] == 500 and out["task"]["num_steps"] == 10
    assert out["train_schedule"]["trainable"] and out["train_schedule"]["num_steps"] == 500
    rescaled = plan(**remedy, scheduler=CYCLIC, fit={"to": "task", **CURVE})
    assert out["rescaled"]["schedule_request"] == rescaled.run_spec.model_dump(
        mode="json", exclude_none=True, exclude={"max_points"}
    )


def test_over_http_preview_and_both_choices(tmp_path: Path) -> None:
    with TestClient(create_app(job_settings(tmp_path))) as client:
        body = {**TASK, "scheduler": CYCLIC, "fit": {"to": "task", **CURVE}}
        preview = client.post("/api/fit", json=body)
        assert preview.status_code == 200, preview.text
        expected = preview.json()["rescaled"]["schedule_request"]
        for to in ("schedule", "task"):
            spec = {**body, "fit": {"to": to, **CURVE}, "log_every": 1}
            if to == "schedule":
                del spec["epochs"]
            created = client.post("/api/jobs", json=spec)
            assert created.status_code == 202, created.text
            with client.websocket_connect(f"/ws/jobs/{created.json()['id']}") as ws:
                events = read_to_done(ws)
            events = [e for e in events if e["type"] in ("start", "step", "metrics", "done")]
            assert events[0]["fit"]["to"] == to == events[-1]["fit"]["to"]
            assert_rates_equal_the_schedule(events)
            if to == "task":
                assert events[0]["schedule_request"] == expected
        missing = client.post("/api/fit", json={**TASK, "scheduler": CYCLIC})
        assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "fit"


def test_a_schedule_length_the_schedule_view_refuses_is_named_at_fit() -> None:
    huge = {"to": "task", "epochs": 10_000_000, "steps_per_epoch": 10_000_000}
    for call in (
        lambda: plan(scheduler=CYCLIC, fit=huge),
        lambda: fit_preview(parse_train_spec({**TASK, "scheduler": CYCLIC, "fit": huge}),
                            default_catalog(), Limits()),
    ):  # fmt: skip
        with pytest.raises(SpecError) as raised:
            call()
        assert raised.value.errors[0]["loc"][0] == "fit"
