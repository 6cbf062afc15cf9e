"""``"resume"`` is checked at its fields: at_step in range, how, and what cannot resume."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.http import detail_of

STEP = {"type": "StepLR", "step_size": 3}
CWR = {"type": "CosineAnnealingWarmRestarts", "T_0": 5}
CASES: dict[str, tuple[dict[str, Any], list[Any]]] = {
    "how not in the enum": ({"scheduler": STEP, "resume": {"at_step": 2, "how": "reload"}},
                            ["body", "resume", "how"]),
    "negative at_step": ({"scheduler": STEP, "resume": {"at_step": -1, "how": "rebuild"}},
                         ["body", "resume", "at_step"]),
    "no step left to resume into": (
        {"scheduler": STEP, "epochs": 10, "resume": {"at_step": 9, "how": "state_dict"}},
        ["body", "resume", "at_step"]),
    "mid epoch with per-epoch stepping": (
        {"scheduler": STEP, "epochs": 10, "steps_per_epoch": 4,
         "resume": {"at_step": 5, "how": "state_dict"}}, ["body", "resume", "at_step"]),
    "last_epoch on ChainedScheduler": (
        {"scheduler": {"type": "ChainedScheduler", "schedulers": [STEP]},
         "resume": {"at_step": 2, "how": "last_epoch"}}, ["body", "resume", "how"]),
    "a Loop": ({"scheduler": {"type": "Loop", "schedulers": [{"scheduler": STEP,
                                                               "interval": "epoch"}]},
                "resume": {"at_step": 2, "how": "state_dict"}}, ["body", "resume"]),
    "fractional": ({"scheduler": CWR, "interval": "fractional", "steps_per_epoch": 2,
                    "resume": {"at_step": 3, "how": "state_dict"}}, ["body", "resume"]),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES)
def test_resume_is_refused_at_its_field(client: TestClient, name: str) -> None:
    body, loc = CASES[name]
    detail = detail_of(client.post("/api/schedule", json={"epochs": 10, **body}))
    assert loc in [d["loc"] for d in detail]


def test_a_resume_at_an_epoch_end_evaluates(client: TestClient) -> None:
    body = {"scheduler": STEP, "epochs": 10, "steps_per_epoch": 4,
            "resume": {"at_step": 7, "how": "rebuild"}}  # fmt: skip
    r = client.post("/api/schedule", json=body)
    assert r.status_code == 200, r.text
    assert "resume_departs" in [w["code"] for w in r.json()["warning_details"]]
