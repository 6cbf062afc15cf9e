"""The job protocol through Starlette's TestClient (real worker processes, no socket)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from job_helpers import LONG, QUICK, job_settings
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from lrscope.catalog import default_catalog
from lrscope.settings import Limits
from lrscope.training.loop import run_to_end
from lrscope.training.spec import parse_train_spec, resolve_train
from lrscope.web.app import create_app


def read_to_done(ws: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while not events or events[-1]["type"] != "done":
        batch = ws.receive_json()
        assert isinstance(batch, list) and batch
        events += batch
    return events


def test_a_job_streams_to_done_and_is_stored(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/jobs", json=QUICK)
        assert response.status_code == 202
        body = response.json()
        assert set(body) == {"id", "status"} and body["status"] in ("queued", "running")
        with client.websocket_connect(f"/ws/jobs/{body['id']}") as ws:
            events = read_to_done(ws)
        assert [e["seq"] for e in events] == list(range(len(events)))
        assert [e["type"] for e in events[:3]] == ["status", "status", "start"]
        assert events[-1]["status"] == "completed"
        assert [e["epoch"] for e in events if e["type"] == "metrics"] == [1, 2, 3]

        run = client.get(f"/api/jobs/{body['id']}").json()
        assert run["status"] == "completed" and run["spec"]["epochs"] == 3
        assert run["done"] == events[-1] and run["last_seq"] == events[-1]["seq"]
        epochs = run["series"]["epochs"]
        assert epochs["epoch"] == [1, 2, 3] and len(epochs["val_loss"]) == 3
        assert epochs["groups"][0]["lr"] == [0.1, 0.05, 0.025]
        assert len(run["series"]["steps"]["step"]) == 12
        listed = client.get("/api/jobs").json()["runs"]
        assert listed[0]["id"] == body["id"] and listed[0]["scheduler"] == "StepLR"

        # A reconnecting client asks for what came after the last seq it saw.
        with client.websocket_connect(f"/ws/jobs/{body['id']}?after=5") as ws:
            again = read_to_done(ws)
        assert again == events[6:]


def test_only_scheduler_and_epochs_are_needed(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/api/jobs", json={"scheduler": {"type": "StepLR", "step_size": 2}, "epochs": 1}
        )
        assert response.status_code == 202
        with client.websocket_connect(f"/ws/jobs/{response.json()['id']}") as ws:
            assert read_to_done(ws)[-1]["status"] == "completed"


def test_bad_spec_is_422_naming_the_field(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/jobs", json={**QUICK, "scheduler": {"type": "StepLR"}})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "scheduler", "step_size"]
        response = client.post("/api/jobs", json={**QUICK, "batch_size": 1000})
        assert response.json()["detail"][0]["loc"] == ["body", "batch_size"]


def test_stop_message_cancels(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        job = client.post("/api/jobs", json=LONG).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            first = ws.receive_json()
            assert first[0]["seq"] == 0
            ws.send_json({"type": "stop"})
            events = first + read_to_done(ws)
        assert events[-1]["status"] == "cancelled" and events[-1]["reason"] == "stopped"
        assert client.get(f"/api/jobs/{job}").json()["status"] == "cancelled"


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


def test_origin_is_checked(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    allowed = replace(settings, allowed_origins=("https://teacher.example",))
    with TestClient(create_app(allowed)) as client:
        job = client.post("/api/jobs", json=QUICK).json()["id"]
        evil = {"origin": "https://evil.example"}
        with (
            pytest.raises((WebSocketDisconnect, WebSocketDenialResponse)),
            client.websocket_connect(f"/ws/jobs/{job}", headers=evil),
        ):
            pass
        refused = client.post("/api/jobs", json=QUICK, headers=evil)
        assert refused.status_code == 403
        assert refused.json()["detail"][0]["loc"] == ["header", "origin"]
        for origin in ("http://testserver", "https://teacher.example"):
            with client.websocket_connect(f"/ws/jobs/{job}", headers={"origin": origin}) as ws:
                assert read_to_done(ws)[-1]["type"] == "done"


def test_a_served_job_gives_the_bare_loops_numbers(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    spec = {**QUICK, "regularization": {"dropout": 0.1, "input_noise": 0.05}, "seed": 7}
    with TestClient(create_app(settings)) as client:
        job = client.post("/api/jobs", json=spec).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            served = read_to_done(ws)
    plan = resolve_train(parse_train_spec(spec), default_catalog(), Limits())
    assert [{k: v for k, v in e.items() if k != "seq"} for e in served[2:]] == run_to_end(plan)


def test_wall_clock_cap_stops_a_job(tmp_path: Path) -> None:
    with TestClient(create_app(job_settings(tmp_path, job_timeout_s=0.5))) as client:
        job = client.post("/api/jobs", json=LONG).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            done = read_to_done(ws)[-1]
        assert done["status"] == "cancelled" and done["reason"] == "time_limit"
        assert done["steps_run"] < 100_000
