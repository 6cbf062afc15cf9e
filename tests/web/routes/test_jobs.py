"""HTTP routes for training jobs (``web/routes/jobs.py``): submit (202, or 422 naming the
field, or 429 when full), get, list, delete, 404 for an unknown job; real worker
processes, through Starlette's TestClient and a real server."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from lrscope.web.app import create_app
from tests.helpers.jobs import LONG, QUICK, job_settings, read_to_done
from tests.helpers.servers import InThreadServer


def test_only_scheduler_and_epochs_are_needed(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/api/jobs", json={"scheduler": {"type": "StepLR", "step_size": 2}, "epochs": 1}
        )
        assert response.status_code == 202
        with client.websocket_connect(f"/ws/jobs/{response.json()['id']}") as ws:
            assert read_to_done(ws)[-1]["status"] == "completed"


def test_the_list_says_what_names_each_run_apart(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    spec = {
        **QUICK,
        "optimizer": {"type": "SGD", "lr": 0.05},
        "regularization": {"dropout": 0.2},
        "seed": 3,
    }
    with TestClient(create_app(settings)) as client:
        job = client.post("/api/jobs", json=spec).json()["id"]
        (listed,) = [r for r in client.get("/api/jobs").json()["runs"] if r["id"] == job]
        client.delete(f"/api/jobs/{job}")
    assert (listed["lr"], listed["seed"]) == (0.05, 3)
    assert listed["regularization"]["dropout"] == 0.2


def test_bad_spec_is_422_naming_the_field(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/jobs", json={**QUICK, "scheduler": {"type": "StepLR"}})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "scheduler", "step_size"]
        response = client.post("/api/jobs", json={**QUICK, "batch_size": 1000})
        assert response.json()["detail"][0]["loc"] == ["body", "batch_size"]


def test_delete_cancels_and_unknown_jobs_are_404(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        job = client.post("/api/jobs", json=LONG).json()["id"]
        response = client.delete(f"/api/jobs/{job}")
        assert response.status_code == 200
        assert response.json() == {"id": job, "status": "cancelled"}
        done = client.get(f"/api/jobs/{job}").json()["done"]
        assert done["status"] == "cancelled" and {"epochs_run", "steps_run"} <= set(done)
        assert client.get("/api/jobs/nope").status_code == 404
        assert client.delete("/api/jobs/nope").status_code == 404
        with (
            pytest.raises(WebSocketDisconnect) as info,
            client.websocket_connect("/ws/jobs/nope") as ws,
        ):
            ws.receive_json()
        assert info.value.code == 4404


def test_full_queue_and_client_limit_answer_429(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(replace(settings, queue_size=1))) as client:
        ids = [client.post("/api/jobs", json=LONG).json()["id"] for _ in range(2)]
        full = client.post("/api/jobs", json=LONG)
        assert full.status_code == 429 and int(full.headers["retry-after"]) > 0
        assert full.json()["detail"][0]["type"] == "too_many_jobs"
        for job in ids:
            client.delete(f"/api/jobs/{job}")
    with TestClient(create_app(replace(settings, jobs_per_client=1))) as client:
        job = client.post("/api/jobs", json=LONG).json()["id"]
        assert client.post("/api/jobs", json=LONG).status_code == 429
        client.delete(f"/api/jobs/{job}")


@pytest.mark.slow
def test_full_queue_answers_429(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with (
        InThreadServer(replace(settings, queue_size=0)) as server,
        httpx.Client(base_url=server.http, timeout=60) as http,
    ):
        job = http.post("/api/jobs", json=LONG).json()["id"]
        refused = http.post("/api/jobs", json=QUICK)
        assert refused.status_code == 429 and refused.headers["retry-after"].isdigit()
        assert http.delete(f"/api/jobs/{job}").json()["status"] == "cancelled"
        assert http.post("/api/jobs", json=QUICK).status_code == 202


@pytest.mark.parametrize(
    ("field", "value"),
    [("epochs", True), ("seed", False), ("batch_size", "8"), ("epochs", 3.0)],
)
def test_job_spec_types_are_strict_like_the_schedule_spec(
    tmp_path: Path, field: str, value: object
) -> None:
    """JSON true is not 1, nor "8" a number: the schedule spec refuses them too."""
    with TestClient(create_app(job_settings(tmp_path))) as client:
        response = client.post("/api/jobs", json={**QUICK, field: value})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", field]
