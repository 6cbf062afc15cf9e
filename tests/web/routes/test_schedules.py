"""POST /api/schedule over HTTP (``web/routes/schedules.py``): the contract of DESIGN.md."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from fastapi.testclient import TestClient
from torch.optim import lr_scheduler

from tests.helpers.http import JSON, detail_of
from tests.helpers.specs import SCHEDULERS, STEP


def post(client: TestClient, body: dict[str, Any]) -> Any:
    return client.post("/api/schedule", json=body)


def test_every_scheduler_of_torch_has_an_example() -> None:
    assert set(SCHEDULERS) == set(lr_scheduler.__all__) - {"LRScheduler"}


@pytest.mark.parametrize("name", SCHEDULERS)
def test_each_scheduler_evaluates(client: TestClient, name: str) -> None:
    r = post(client, {"scheduler": SCHEDULERS[name], "epochs": 40, "steps_per_epoch": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"torch_version", "num_steps", "interval", "x", "epoch", "groups",
                         "warnings", "warning_details", "decimated", "metric", "setup"}  # fmt: skip
    assert (body["metric"] is not None) == (name == "ReduceLROnPlateau")
    assert body["torch_version"] == torch.__version__.split("+")[0]
    assert body["num_steps"] == 80 and body["decimated"] is False
    assert body["x"] == list(range(80))
    assert body["epoch"] == [i / 2 for i in range(80)]
    (group,) = body["groups"]
    assert len(group["lr"]) == 80 and len(group["momentum"]) == 80  # default SGD(momentum=0.9)
    assert all(isinstance(v, float) for v in group["lr"])
    assert body["warnings"] == []


def test_several_param_groups_with_per_group_arguments(client: TestClient) -> None:
    body = {
        "scheduler": {"type": "CyclicLR", "base_lr": [0.01, 0.02], "max_lr": [0.1, 0.2],
                      "step_size_up": 2},
        "optimizer": {"type": "Adam", "lr": 0.1, "param_groups": [{}, {"lr": 0.5}]},
        "epochs": 5,
    }  # fmt: skip
    groups = post(client, body).json()["groups"]
    assert [g["lr"][2] for g in groups] == [0.1, 0.2]  # max_lr of each group at step 2
    assert groups[0]["momentum"] == pytest.approx([0.9, 0.85, 0.8, 0.85, 0.9])  # beta1


def test_interval_defaults_to_the_step_unit(client: TestClient) -> None:
    one = {"scheduler": SCHEDULERS["OneCycleLR"], "epochs": 5, "steps_per_epoch": 10}
    per_batch = post(client, one).json()["groups"][0]["lr"]
    assert len(set(per_batch)) == 50  # a new rate every batch
    per_epoch = post(client, {**one, "interval": "epoch"}).json()["groups"][0]["lr"]
    assert per_epoch == [v for v in per_epoch[::10] for _ in range(10)]
    assert len(set(per_epoch)) == 5
    step = post(client, {"scheduler": STEP, "epochs": 3, "steps_per_epoch": 2}).json()
    assert step["groups"][0]["lr"][:2] == [0.1, 0.1]  # StepLR steps once per epoch


def test_warnings_reach_the_response(client: TestClient) -> None:
    out = post(client, {"scheduler": {"type": "ExponentialLR", "gamma": 1.1}, "epochs": 3}).json()
    assert out["warnings"] == ["ExponentialLR: gamma = 1.1 is above 1, so the learning rate "
                               "grows instead of decaying."]  # fmt: skip


def test_plateau_on_given_metric_values(client: TestClient) -> None:
    body = {"scheduler": {"type": "ReduceLROnPlateau", "patience": 0, "factor": 0.5},
            "optimizer": {"type": "SGD", "lr": 1.0}, "epochs": 4,
            "metric": {"values": [1.0, 1.0, 1.0, 0.5, 99.0]}}  # fmt: skip
    assert post(client, body).json()["groups"][0]["lr"] == [1.0, 1.0, 0.5, 0.25]


# --- errors --------------------------------------------------------------------------------------
def test_a_nested_bad_argument_is_a_422_at_its_field(client: TestClient) -> None:
    seq = {**SCHEDULERS["SequentialLR"]}
    seq["schedulers"] = [seq["schedulers"][0], {"type": "CosineAnnealingLR", "T_max": 0}]
    (e,) = detail_of(post(client, {"scheduler": seq}))
    assert e["loc"] == ["body", "scheduler", "schedulers", 1, "T_max"]
    assert e["msg"] == "must be at least 1, got 0"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"scheduler": STEP, "epochs": 0}, ["body", "epochs"]),
        ({"scheduler": STEP, "interval": "batch"}, ["body", "interval"]),
        ({"scheduler": STEP, "max_points": -1}, ["body", "max_points"]),
        ({"scheduler": STEP, "colour": "red"}, ["body", "colour"]),
        ({"epochs": 3}, ["body", "scheduler"]),
        ({"scheduler": {"step_size": 3}}, ["body", "scheduler", "type"]),
        ({"scheduler": {"type": "StepLR"}}, ["body", "scheduler", "step_size"]),
        ({"scheduler": {"type": "Nope"}}, ["body", "scheduler", "type"]),
        ({"scheduler": STEP, "epochs": 3_000_000}, ["body", "epochs"]),
        ({"scheduler": {**STEP, "gamma": -1}}, ["body", "scheduler", "gamma"]),
    ],
)
def test_422_shape_and_loc(client: TestClient, body: dict[str, Any], loc: list[Any]) -> None:
    assert loc in [e["loc"] for e in detail_of(post(client, body))]


def test_a_torch_error_mid_run_is_a_422_naming_the_step(client: TestClient) -> None:
    body = {"scheduler": {"type": "LambdaLR", "lr_lambda": "1 / (epoch - 5)"}, "epochs": 10}
    (e,) = detail_of(post(client, body))
    assert e["loc"][:2] == ["body", "scheduler"] and "step 5" in e["msg"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"scheduler": ',
        b"not json",
        b"[]",
        b'"StepLR"',
        b"",
        b'{"scheduler": {"type": "StepLR", "step_size": 1, "x": '
        + b"[" * 5000
        + b"]" * 5000
        + b"}}",
        b'{"scheduler": {"type": "StepLR", "step_size": 1, "x": ' + b"[" * 900 + b"]" * 900 + b"}}",
        b'{"scheduler": {"type": "StepLR", "step_size": NaN}}',
        b'{"scheduler": {"type": "StepLR", "step_size": 1' + b"0" * 5000 + b"}}",
        '{"scheduler": {"type": "StépLR\u0000"}}'.encode(),
        b"\xff\xfe{",
    ],
)
def test_malformed_bodies_get_a_4xx(client: TestClient, raw: bytes) -> None:
    r = client.post("/api/schedule", content=raw, headers=JSON)
    assert 400 <= r.status_code < 500, r.text


def test_a_body_that_is_not_json_says_so(client: TestClient) -> None:
    r = client.post("/api/schedule", content=b"{bad", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"].startswith("the body is not valid JSON: ")


def test_the_schedule_says_which_interval_it_stepped(client: TestClient) -> None:
    # The tree-wide default: one per-batch scheduler anywhere makes the whole run per step.
    spec = {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [200],
            "schedulers": [
                {"type": "LinearLR", "total_iters": 200},
                {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 800},
            ],
        },
        "epochs": 10,
        "steps_per_epoch": 100,
    }
    out = client.post("/api/schedule", json=spec).json()
    assert (out["interval"], out["num_steps"]) == ("step", 1000)
    lr = client.post("/api/schedule", json={**spec, "max_points": 0}).json()["groups"][0]["lr"]
    assert lr[199] != lr[200]  # the switch at step 200: stepped per batch, not per epoch
    spec["scheduler"] = {"type": "StepLR", "step_size": 2}
    assert client.post("/api/schedule", json=spec).json()["interval"] == "epoch"


def test_a_step_range_is_its_own_cache_entry(client: TestClient) -> None:
    # The cache is keyed by the whole request: the same spec with another range (or none)
    # must not be answered from the first one's entry.
    spec = {"scheduler": {"type": "LinearLR", "total_iters": 90}, "epochs": 100}
    first = post(client, {**spec, "range": {"start": 10, "stop": 12}}).json()
    second = post(client, {**spec, "range": {"start": 50, "stop": 53}}).json()
    whole = post(client, spec).json()
    assert first["x"] == [10, 11] and second["x"] == [50, 51, 52] and len(whole["x"]) == 100
    assert second["groups"][0]["lr"] == whole["groups"][0]["lr"][50:53]
    bad = post(client, {**spec, "range": {"start": 0, "stop": 101}})
    assert bad.status_code == 422 and detail_of(bad)[0]["loc"] == ["body", "range", "stop"]


@pytest.mark.parametrize("formula", ["1 / (epoch - 3)", "epoch ** epoch ** epoch"])
def test_code_refuses_what_schedule_refuses_at_run_time(client: TestClient, formula: str) -> None:
    """Issue 11: /api/code exported formulas that fail once torch steps them."""
    spec = {"scheduler": {"type": "LambdaLR", "lr_lambda": formula}, "epochs": 10}
    refused = client.post("/api/schedule", json=spec)
    assert refused.status_code == 422
    exported = client.post("/api/code", json=spec)
    assert exported.status_code == 422
    assert exported.json()["detail"] == refused.json()["detail"]
