"""A Ray cluster that does not answer at start: the server still starts (schedules work),
its health says why jobs cannot run, and a new job gets a 503 naming the address."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.jobs import QUICK
from tests.helpers.ray_jobs import NO_RAY, ray_settings

ray = pytest.importorskip("ray", reason=NO_RAY)

from lrscope.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.ray
NOBODY = "127.0.0.1:9"  # the discard port: nothing listens there


def test_an_unreachable_cluster_degrades_health_and_refuses_jobs(tmp_path: Path) -> None:
    assert not ray.is_initialized()  # the other Ray modules shut theirs down
    with TestClient(create_app(ray_settings(tmp_path, ray_address=NOBODY))) as client:
        health = client.get("/api/health").json()
        assert health["status"] == "degraded" and NOBODY in health["reason"]
        schedule = {"scheduler": {"type": "StepLR", "step_size": 2}, "epochs": 5}
        assert client.post("/api/schedule", json=schedule).status_code == 200
        r = client.post("/api/jobs", json=QUICK)
        assert r.status_code == 503
        (item,) = r.json()["detail"]
        assert item["code"] == "job_backend_unavailable" and NOBODY in item["msg"]
    assert not ray.is_initialized()
