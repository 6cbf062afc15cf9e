"""``"interval": "fractional"`` is refused (422 at interval) for a scheduler whose step()
takes no epoch, composites and Loop included."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.http import detail_of

CWR = {"type": "CosineAnnealingWarmRestarts", "T_0": 5}
REFUSED: dict[str, dict[str, Any]] = {
    "StepLR": {"type": "StepLR", "step_size": 3},
    "OneCycleLR": {"type": "OneCycleLR", "max_lr": 0.1},
    "ReduceLROnPlateau": {"type": "ReduceLROnPlateau"},
    "SequentialLR of CWR": {"type": "SequentialLR", "milestones": [3],
                            "schedulers": [CWR, {"type": "StepLR", "step_size": 3}]},
    "ChainedScheduler of CWR": {"type": "ChainedScheduler", "schedulers": [CWR]},
    "Loop": {"type": "Loop", "schedulers": [{"scheduler": CWR, "interval": "epoch"}]},
}  # fmt: skip


@pytest.mark.parametrize("name", REFUSED)
def test_fractional_is_refused_at_interval(client: TestClient, name: str) -> None:
    body = {"scheduler": REFUSED[name], "epochs": 10, "steps_per_epoch": 4,
            "interval": "fractional"}  # fmt: skip
    detail = detail_of(client.post("/api/schedule", json=body))
    assert ["body", "interval"] in [d["loc"] for d in detail]


def test_fractional_warm_restarts_evaluates(client: TestClient) -> None:
    body = {"scheduler": CWR, "epochs": 10, "steps_per_epoch": 4, "interval": "fractional"}
    r = client.post("/api/schedule", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["interval"] == "fractional" and r.json()["num_steps"] == 40


def test_an_unknown_interval_is_refused(client: TestClient) -> None:
    body = {"scheduler": CWR, "epochs": 10, "interval": "fraction"}
    assert detail_of(client.post("/api/schedule", json=body))[0]["loc"] == ["body", "interval"]
