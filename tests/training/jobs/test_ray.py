"""Training jobs on Ray (``ray_executor.py``) on a local Ray started here, shared by the
module: the same events as a local job, LRs bitwise equal to ``/api/schedule``; a stop, the
wall-clock cap and a killed Ray worker end a job as they do locally, and the next job runs;
a killed task says so, and a server shutdown marks its Ray job interrupted."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.executors import served_events
from tests.helpers.jobs import LONG, QUICK, job_settings, read_to_done, wait_for
from tests.helpers.ray_jobs import NO_RAY, ray_job_pids, ray_settings

ray = pytest.importorskip("ray", reason=NO_RAY)

from lrscope.training.jobs.ray_executor import RayExecutor  # noqa: E402
from lrscope.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One local Ray for the module, started as the server starts one (an empty
    LRSCOPE_RAY_ADDRESS); the apps below find it running and share it."""
    settings = ray_settings(tmp_path_factory.mktemp("ray"), workers=2)
    executor = RayExecutor(settings)
    executor.start()
    # The CPU workers, and beside them the paced pool's share (8 x 0.25 of a CPU).
    paced = settings.paced_workers * settings.paced_max_cpu
    assert settings.paced_workers > 0 and paced == int(paced)  # else the sum below rounds
    assert ray.is_initialized() and ray.cluster_resources()["CPU"] == 2 + paced
    yield
    executor.close()
    assert not ray.is_initialized()


SPEC = {
    **QUICK,
    "scheduler": {"type": "OneCycleLR", "max_lr": 0.5},
    "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9, "param_groups": [{}, {"lr": 0.05}]},
    "regularization": {"dropout": 0.1, "input_noise": 0.05},
    "seed": 11,
}


def test_a_job_on_ray_gives_a_local_jobs_events_and_the_schedules_lrs(
    tmp_path: Path, local_ray: None
) -> None:
    on_ray = served_events(ray_settings(tmp_path / "ray"), SPEC)
    local = served_events(job_settings(tmp_path / "local"), SPEC)
    assert on_ray[-1]["status"] == "completed"
    assert on_ray == local  # events carry no timings: every field, seq included, is equal
    start = next(e for e in on_ray if e["type"] == "start")
    with TestClient(create_app(job_settings(tmp_path / "schedule"))) as client:
        request = {**start["schedule_request"], "max_points": 0}
        groups = client.post("/api/schedule", json=request).json()["groups"]
    stepped = [e for e in on_ray if e["type"] in ("step", "metrics")]
    assert len(stepped) > QUICK["epochs"]  # step events too, not only each epoch's end
    for g, group in enumerate(groups):
        assert [e["lr"][g] for e in stepped] == [group["lr"][e["step"]] for e in stepped]
        assert [e["momentum"][g] for e in stepped] == [
            group["momentum"][e["step"]] for e in stepped
        ]


def test_a_stop_and_the_wall_clock_cap_end_a_ray_job(tmp_path: Path, local_ray: None) -> None:
    with TestClient(create_app(ray_settings(tmp_path / "a"))) as client:
        job = client.post("/api/jobs", json=LONG).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            assert ws.receive_json()  # queued and running
            wait_for(lambda: bool(ray_job_pids()), "the Ray task to start")
            assert client.delete(f"/api/jobs/{job}").json()["status"] == "cancelled"
            done = read_to_done(ws)[-1]
        assert done["status"] == "cancelled" and done["reason"] == "stopped"
    with TestClient(create_app(ray_settings(tmp_path / "b", job_timeout_s=1.0))) as client:
        job = client.post("/api/jobs", json=LONG).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            done = read_to_done(ws)[-1]
        assert done["status"] == "cancelled" and done["reason"] == "time_limit"
        assert 0 < done["steps_run"] < 100_000


def test_a_killed_ray_worker_fails_its_job_and_the_next_one_runs(
    tmp_path: Path, local_ray: None
) -> None:
    with TestClient(create_app(ray_settings(tmp_path))) as client:  # one job at a time
        first = client.post("/api/jobs", json=LONG).json()["id"]
        second = client.post("/api/jobs", json=QUICK).json()["id"]
        assert client.get(f"/api/jobs/{second}").json()["status"] == "queued"
        with client.websocket_connect(f"/ws/jobs/{first}") as ws:
            assert ws.receive_json()
            wait_for(lambda: bool(ray_job_pids()), "the Ray task to start")
            for pid in ray_job_pids():
                os.kill(pid, signal.SIGKILL)
            done = read_to_done(ws)[-1]
        assert done["status"] == "failed" and done["reason"] == "error"
        assert "Ray worker" in done["error"]
        with client.websocket_connect(f"/ws/jobs/{second}") as ws:
            assert read_to_done(ws)[-1]["status"] == "completed"
        assert client.get(f"/api/jobs/{first}").json()["status"] == "failed"


def test_a_ray_job_that_is_killed_says_so_and_a_shutdown_interrupts_one(
    tmp_path: Path, local_ray: None
) -> None:
    executor = RayExecutor(ray_settings(tmp_path / "kill"))
    executor.start()  # Ray runs already: the executor shares it and leaves it running
    try:
        execution = executor.launch("killed", LONG)
        batches: list[list[dict[str, Any]]] = []
        ended: list[str] = []
        thread = threading.Thread(target=lambda: ended.append(execution.run(batches.append)))
        thread.start()
        wait_for(lambda: len(batches) > 1, "the job to send batches")
        execution.kill()  # what the manager does once a stop's grace period has passed
        thread.join()
        assert "Ray worker running this job ended unexpectedly" in ended[0]
        assert all(e["type"] != "done" for batch in batches for e in batch)
    finally:
        executor.close()
    assert ray.is_initialized()
    settings = ray_settings(tmp_path / "shutdown")
    with TestClient(create_app(settings)) as client:
        job = client.post("/api/jobs", json=LONG).json()["id"]
        wait_for(lambda: bool(ray_job_pids()), "the Ray task to start")
    with TestClient(create_app(settings)) as client:
        run = client.get(f"/api/jobs/{job}").json()
    assert run["status"] == "interrupted" and run["done"]["reason"] == "shutdown"
