"""The response's series (``engine/series.py``): one point per optimizer step (the metric
too), decimated keeping the shape and every extreme, checked and explained. The decimation
tests read it as the API sends it, through ``POST /api/schedule``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from numpy.lib.stride_tricks import sliding_window_view

from tests.helpers.runs import quirk
from tests.helpers.specs import SCHEDULERS


def post(client: TestClient, body: dict[str, Any]) -> Any:
    return client.post("/api/schedule", json=body)


def test_a_negative_rate_is_shown_and_explained() -> None:
    spec = {"scheduler": {"type": "LambdaLR", "lr_lambda": "1 - epoch / 2"}, "epochs": 4}
    assert quirk(spec, "The learning rate is negative") == pytest.approx([0.1, 0.05, 0.0, -0.05])


def test_max_points_zero_is_every_point_exactly(client: TestClient) -> None:
    body = {"scheduler": SCHEDULERS["CosineAnnealingWarmRestarts"], "epochs": 3000, "max_points": 0}
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
