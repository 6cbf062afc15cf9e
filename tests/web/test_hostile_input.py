"""Input that once made the API fail with a 500 (found by a random-configuration
campaign): each now gets a 422 naming the field, on every endpoint that takes a spec."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

STEP = {"type": "StepLR", "step_size": 2}
HUGE = 10**400  # a JSON integer beyond any double
LONE = "\ud800"  # a lone surrogate: valid JSON ("\ud800"), not valid Unicode

CASES: list[tuple[dict[str, Any], list[Any]]] = [
    ({"scheduler": STEP, "optimizer": {"type": "SGD", "lr": None}}, ["optimizer", "lr"]),
    (
        {"scheduler": STEP, "optimizer": {"param_groups": [{"lr": None}]}},
        ["optimizer", "param_groups", 0, "lr"],
    ),
    ({"scheduler": {**STEP, "gamma": HUGE}}, ["scheduler", "gamma"]),
    ({"scheduler": {**STEP, "step_size": HUGE}}, ["scheduler", "step_size"]),
    ({"scheduler": STEP, "optimizer": {"lr": HUGE}}, ["optimizer", "lr"]),
    ({"scheduler": {"type": "OneCycleLR", "max_lr": [HUGE]}}, ["scheduler", "max_lr", 0]),
    ({"scheduler": {**STEP, "foo": LONE}}, ["scheduler", "foo"]),
    ({"scheduler": {"type": "St" + LONE}}, ["scheduler", "type"]),
    ({"scheduler": {"type": "LambdaLR", "lr_lambda": "epoch" + LONE}}, ["scheduler", "lr_lambda"]),
    ({"scheduler": STEP, LONE: 1}, []),
]


@pytest.mark.parametrize("path", ["/api/schedule", "/api/code", "/api/jobs"])
@pytest.mark.parametrize(("body", "loc"), CASES)
def test_hostile_input_is_refused_at_its_field(
    client: TestClient, path: str, body: dict[str, Any], loc: list[Any]
) -> None:
    r = client.post(
        path,
        content=json.dumps(body),  # ensure_ascii: the surrogate travels as the escape \ud800
        headers={"content-type": "application/json", "origin": "http://testserver"},
    )
    assert r.status_code == 422, r.text
    issues = r.json()["detail"]
    assert any(issue["loc"] == ["body", *loc] for issue in issues), issues
    assert all(issue["msg"] for issue in issues)


def test_a_huge_number_is_echoed_by_its_size_not_as_another_number(client: TestClient) -> None:
    r = client.post(
        "/api/schedule",
        content=json.dumps({"scheduler": STEP, "steps_per_epoch": HUGE}),
        headers={"content-type": "application/json"},
    )
    (issue,) = r.json()["detail"]
    assert issue["loc"] == ["body", "steps_per_epoch"]
    assert issue["msg"].endswith("got 100000000000...(401 digits)")
