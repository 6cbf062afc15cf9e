"""Pydantic's located errors in the spec's own words (``spec/wording.py``), as a 422 says
them: the run's fields read like the scheduler's arguments."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("patch", "loc", "msg"),
    [
        ({"epochs": 0}, ["body", "epochs"], "must be at least 1, got 0"),
        ({"epochs": 2.5}, ["body", "epochs"], "must be a whole number, got 2.5"),
        (
            {"interval": "batch"},
            ["body", "interval"],
            "must be 'epoch', 'step' or 'fractional', got the text 'batch'",
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
