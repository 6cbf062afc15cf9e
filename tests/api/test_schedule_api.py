"""POST /api/schedule and GET /api/schedulers over HTTP: the contract of DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient
from numpy.lib.stride_tricks import sliding_window_view
from torch.optim import lr_scheduler

from lrscope.catalog import build_catalog
from lrscope.settings import Limits, Settings
from lrscope.web.app import create_app

STEP = {"type": "StepLR", "step_size": 3}
# One working spec per scheduler of torch 2.13, each as a student would first try it.
EXAMPLES: dict[str, dict[str, Any]] = {
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
JSON = {"content-type": "application/json"}


def post(client: TestClient, body: dict[str, Any]) -> Any:
    return client.post("/api/schedule", json=body)


def test_every_scheduler_of_torch_has_an_example() -> None:
    assert set(EXAMPLES) == set(lr_scheduler.__all__) - {"LRScheduler"}


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_scheduler_evaluates(client: TestClient, name: str) -> None:
    r = post(client, {"scheduler": EXAMPLES[name], "epochs": 40, "steps_per_epoch": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"torch_version", "num_steps", "x", "epoch", "groups", "warnings",
                         "decimated", "metric"}  # fmt: skip
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
    one = {"scheduler": EXAMPLES["OneCycleLR"], "epochs": 5, "steps_per_epoch": 10}
    per_batch = post(client, one).json()["groups"][0]["lr"]
    assert len(set(per_batch)) == 50  # a new rate every batch
    per_epoch = post(client, {**one, "interval": "epoch"}).json()["groups"][0]["lr"]
    assert per_epoch == [v for v in per_epoch[::10] for _ in range(10)]
    assert len(set(per_epoch)) == 5
    step = post(client, {"scheduler": STEP, "epochs": 3, "steps_per_epoch": 2}).json()
    assert step["groups"][0]["lr"][:2] == [0.1, 0.1]  # StepLR steps once per epoch


def test_max_points_zero_is_every_point_exactly(client: TestClient) -> None:
    body = {"scheduler": EXAMPLES["CosineAnnealingWarmRestarts"], "epochs": 3000, "max_points": 0}
    out = post(client, body).json()
    assert out["decimated"] is False and len(out["x"]) == 3000


def test_decimation_keeps_the_shape(client: TestClient) -> None:
    spiky = {"type": "CyclicLR", "base_lr": 0.001, "max_lr": 0.1, "step_size_up": 37,
             "step_size_down": 11, "mode": "triangular2"}  # fmt: skip
    base = {"scheduler": spiky, "epochs": 200, "steps_per_epoch": 100}
    exact = post(client, {**base, "max_points": 0}).json()
    shown = post(client, {**base, "max_points": 500}).json()
    assert shown["decimated"] is True and shown["num_steps"] == 20_000
    x = shown["x"]
    assert len(x) <= 500 and x == sorted(set(x)) and x[0] == 0 and x[-1] == 19_999
    lr, full = shown["groups"][0]["lr"], exact["groups"][0]["lr"]
    mom, full_mom = shown["groups"][0]["momentum"], exact["groups"][0]["momentum"]
    assert lr == [full[i] for i in x] and mom == [full_mom[i] for i in x]  # real points
    assert shown["epoch"] == [i / 100 for i in x]
    assert min(lr) == min(full) and max(lr) == max(full)
    assert min(mom) == min(full_mom) and max(mom) == max(full_mom)
    # the envelope: each exact point has, close by, a shown point as high and one as low
    reach = 4 * 20_000 * 2 // 500  # a few buckets' width for 2 series in 500 points
    kept_high = np.full(20_000 + 2 * reach, -np.inf)
    kept_low = np.full(20_000 + 2 * reach, np.inf)
    kept_high[np.array(x) + reach] = lr
    kept_low[np.array(x) + reach] = lr
    window = 2 * reach + 1
    assert (sliding_window_view(kept_high, window).max(axis=1) >= np.array(full)).all()
    assert (sliding_window_view(kept_low, window).min(axis=1) <= np.array(full)).all()


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
def _detail(r: Any, status: int = 422) -> list[dict[str, Any]]:
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, list) and detail
    for item in detail:
        assert {"loc", "msg", "type"} <= set(item)
        assert item["loc"][0] == "body"
        assert isinstance(item["msg"], str) and item["msg"]
    return detail  # type: ignore[no-any-return]


def test_a_nested_bad_argument_is_a_422_at_its_field(client: TestClient) -> None:
    seq = {**EXAMPLES["SequentialLR"]}
    seq["schedulers"] = [seq["schedulers"][0], {"type": "CosineAnnealingLR", "T_max": 0}]
    (e,) = _detail(post(client, {"scheduler": seq}))
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
    assert loc in [e["loc"] for e in _detail(post(client, body))]


def test_a_torch_error_mid_run_is_a_422_naming_the_step(client: TestClient) -> None:
    body = {"scheduler": {"type": "LambdaLR", "lr_lambda": "1 / (epoch - 5)"}, "epochs": 10}
    (e,) = _detail(post(client, body))
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


def test_nan_and_infinity_never_reuse_a_cached_answer(client: TestClient) -> None:
    ok = b'{"scheduler": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, '
    assert client.post("/api/schedule", content=ok + b'"step_size_down": null}}',
                       headers=JSON).status_code == 200  # fmt: skip
    for bad in (b"Infinity", b"NaN", b"-Infinity"):
        r = client.post("/api/schedule", content=ok + b'"step_size_down": ' + bad + b"}}",
                        headers=JSON)  # fmt: skip
        (e,) = _detail(r)
        assert e["loc"] == ["body", "scheduler", "step_size_down"]


def test_a_huge_body_is_a_413(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, limits=Limits(max_body_bytes=2_000))
    client = TestClient(create_app(settings))
    body = {"scheduler": {"type": "MultiStepLR", "milestones": list(range(1, 1000))}}
    r = client.post("/api/schedule", json=body)
    assert r.status_code == 413
    assert r.json()["detail"][0]["loc"] == ["body"]
    assert "larger than 2,000 bytes" in r.json()["detail"][0]["msg"]
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_the_default_body_cap(client: TestClient) -> None:
    r = client.post("/api/schedule", content=b" " * 1_100_000, headers=JSON)
    assert r.status_code == 413


# --- the catalog ---------------------------------------------------------------------------------
def test_the_registry_is_complete(client: TestClient) -> None:
    """Every name torch exports is offered, or excluded with a reason."""
    cat = client.get("/api/schedulers").json()
    offered = {s["name"] for s in cat["schedulers"]} | {o["name"] for o in cat["optimizers"]}
    excluded = {e["name"]: e["reason"] for e in cat["excluded"]}
    assert all(len(reason) > 10 for reason in excluded.values())
    for name in lr_scheduler.__all__:
        assert name in offered or name in excluded, name
    for name in dir(torch.optim):
        obj = getattr(torch.optim, name)
        if isinstance(obj, type) and issubclass(obj, torch.optim.Optimizer):
            assert name in offered or name in excluded, name
    assert cat["torch_version"] == torch.__version__.split("+")[0]


def test_the_catalog_describes_parameters(client: TestClient) -> None:
    cat = client.get("/api/schedulers").json()
    by_name = {s["name"]: s for s in cat["schedulers"]}
    one = by_name["OneCycleLR"]
    assert one["step_unit"] == "step" and not one["needs_metric"] and not one["composite"]
    assert one["summary"]
    params = {p["name"]: p for p in one["params"]}
    assert params["max_lr"]["required"] and params["max_lr"]["per_group"]
    assert params["anneal_strategy"]["enum"] == ["cos", "linear"]
    assert params["pct_start"]["default"] == 0.3 and params["pct_start"]["exclusive_maximum"] == 1
    assert "optimizer" not in params and "last_epoch" not in params
    assert by_name["ReduceLROnPlateau"]["needs_metric"]
    assert by_name["SequentialLR"]["composite"] and by_name["ChainedScheduler"]["composite"]
    assert {p["name"]: p for p in by_name["LambdaLR"]["params"]}["lr_lambda"]["type"] == (
        "expression")  # fmt: skip
    sgd = {o["name"]: o for o in cat["optimizers"]}["SGD"]
    assert sgd["momentum"] == "momentum"
    assert cat["limits"]["max_total_steps"] == 2_000_000


class WarmupHold(lr_scheduler.LRScheduler):
    """Warm up linearly from ``floor`` over ``warmup`` epochs, then hold."""

    def __init__(self, optimizer: torch.optim.Optimizer, warmup: int = 3, floor: float = 0.25,
                 last_epoch: int = -1) -> None:  # fmt: skip
        self.warmup, self.floor = warmup, floor
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:  # type: ignore[override]
        f = min(1.0, self.floor + (1 - self.floor) * self.last_epoch / self.warmup)
        return [base * f for base in self.base_lrs]  # type: ignore[misc]


def test_a_new_scheduler_works_from_its_signature_alone(tmp_path: Path) -> None:
    catalog = build_catalog(extra_schedulers={"WarmupHold": WarmupHold})
    client = TestClient(create_app(Settings(data_dir=tmp_path), catalog=catalog))
    info = {s["name"]: s for s in client.get("/api/schedulers").json()["schedulers"]}
    params = {p["name"]: p for p in info["WarmupHold"]["params"]}
    assert params["warmup"]["type"] == "integer" and params["warmup"]["default"] == 3
    assert params["floor"]["type"] == "number" and params["floor"]["default"] == 0.25
    body = {"scheduler": {"type": "WarmupHold", "warmup": 4}, "optimizer": {"lr": 1.0},
            "epochs": 6}  # fmt: skip
    out = client.post("/api/schedule", json=body).json()
    assert out["groups"][0]["lr"] == [0.25, 0.4375, 0.625, 0.8125, 1.0, 1.0]
    nested = {"scheduler": {"type": "SequentialLR", "milestones": [2], "schedulers": [
        {"type": "WarmupHold", "warmup": "x"}, STEP]}}  # fmt: skip
    (e,) = _detail(client.post("/api/schedule", json=nested))
    assert e["loc"] == ["body", "scheduler", "schedulers", 0, "warmup"]
    assert "whole number" in e["msg"]


# --- headers --------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/health", "/api/schedulers", "/", "/openapi.json"])
def test_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(
        ";")[0]  # fmt: skip
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_error_responses_carry_the_headers_too(client: TestClient) -> None:
    r = post(client, {"scheduler": {"type": "Nope"}})
    assert r.status_code == 422
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert json.loads(r.text)["detail"]


def test_plateau_response_carries_the_metric_it_stepped_on(client: TestClient) -> None:
    values = [1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8]
    body = {
        "scheduler": {"type": "ReduceLROnPlateau", "patience": 1, "factor": 0.5},
        "metric": {"values": [*values, 0.1, 0.1]},  # extra values are unused
        "epochs": 8,
    }
    out = client.post("/api/schedule", json=body).json()
    # One per scheduler.step() (epochs - 1 of them), at the epoch that measured it.
    assert out["metric"] == [*values, None]
    lr = out["groups"][0]["lr"]
    assert lr[3] == lr[0] and lr[4] == lr[0] / 2  # 0.9 stalls for epochs 1-3: halved at 4
    per_step = client.post("/api/schedule", json={**body, "steps_per_epoch": 3}).json()
    assert per_step["x"] == list(range(24))
    assert per_step["metric"] == [v for v in [*values, None] for _ in range(3)]
    plain = client.post("/api/schedule", json={"scheduler": {"type": "StepLR", "step_size": 2}})
    assert plain.json()["metric"] is None


def test_plateau_metric_is_decimated_with_the_curve(client: TestClient) -> None:
    body = {
        "scheduler": {"type": "ReduceLROnPlateau", "patience": 500},
        "metric": {"synthetic": {"seed": 3, "noise": 0.05}},
        "epochs": 100,
        "steps_per_epoch": 100,
        "interval": "step",
        "max_points": 400,
    }
    out = client.post("/api/schedule", json=body).json()
    assert out["decimated"] and len(out["x"]) <= 400
    assert len(out["metric"]) == len(out["x"]) and out["metric"][-1] is None
    exact = client.post("/api/schedule", json={**body, "max_points": 0}).json()
    assert [exact["metric"][i] for i in out["x"]] == out["metric"]


def test_catalog_lists_the_formula_language(client: TestClient) -> None:
    expressions = client.get("/api/schedulers").json()["expressions"]
    assert {"exp", "cos", "min", "sqrt"} <= set(expressions["functions"])
    assert set(expressions["constants"]) == {"pi", "e"}


@pytest.mark.parametrize(
    ("patch", "loc", "msg"),
    [
        ({"epochs": 0}, ["body", "epochs"], "must be at least 1, got 0"),
        ({"epochs": 2.5}, ["body", "epochs"], "must be a whole number, got 2.5"),
        (
            {"interval": "batch"},
            ["body", "interval"],
            "must be 'epoch' or 'step', got the text 'batch'",
        ),
        ({"max_points": -1}, ["body", "max_points"], "must be at least 0, got -1"),
        (
            {"metric": {"values": "x"}},
            ["body", "metric", "values"],
            "must be a list, got the text 'x'",
        ),
        ({"epoch": 3}, ["body", "epoch"], "is not a field here; check the spelling"),
        ({"scheduler": None}, ["body", "scheduler"], "must be an object, got null"),
    ],
)
def test_run_fields_are_worded_like_scheduler_arguments(
    client: TestClient, patch: dict[str, Any], loc: list[Any], msg: str
) -> None:
    r = client.post(
        "/api/schedule", json={"scheduler": {"type": "StepLR", "step_size": 3}, **patch}
    )
    assert r.status_code == 422
    assert {"loc": loc, "msg": msg} in [
        {"loc": e["loc"], "msg": e["msg"]} for e in r.json()["detail"]
    ]


def test_a_body_that_is_not_json_says_so(client: TestClient) -> None:
    r = client.post("/api/schedule", content=b"{bad", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"].startswith("the body is not valid JSON: ")
