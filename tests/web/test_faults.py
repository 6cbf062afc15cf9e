"""Faults that must not lose a run silently (issue 11 §6): kill -9 of the server, then a
restart on the same data dir (the job is interrupted, its series kept); kill -9 of a
worker (its job ends ``failed``, the next job runs)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import httpx

from tests.helpers.jobs import (
    LONG,
    QUICK,
    job_settings,
    read_events,
    run_async,
    wait_for,
    worker_pids,
)
from tests.helpers.servers import InThreadServer, serve_subprocess


def _metrics(http: httpx.Client, job: str) -> int:
    return len(http.get(f"/api/jobs/{job}").json()["series"]["epochs"]["val_loss"])


def test_kill_9_of_the_server_then_restart_keeps_the_series(tmp_path: Path) -> None:
    data = tmp_path / "data"
    args = ("--host", "127.0.0.1", "--data-dir", str(data))
    env = {**os.environ, "LRSCOPE_WORKERS": "1", "LRSCOPE_PREWARM_WORKERS": "0"}
    slow = {**LONG, "batch_size": 4}
    with (
        serve_subprocess(tmp_path / "first.log", args=args, env=env) as served,
        httpx.Client(base_url=served.url, timeout=60) as http,
    ):
        job = http.post("/api/jobs", json=slow).json()["id"]
        wait_for(lambda: _metrics(http, job) >= 2, "two epochs stored")
        served.process.send_signal(signal.SIGKILL)
        served.process.wait()
    with (
        serve_subprocess(tmp_path / "second.log", args=args, env=env) as served,
        httpx.Client(base_url=served.url, timeout=60) as http,
    ):
        run = http.get(f"/api/jobs/{job}").json()
        assert run["status"] == "interrupted"
        assert len(run["series"]["epochs"]["val_loss"]) >= 2  # what was stored is kept
        assert [r["id"] for r in http.get("/api/jobs").json()["runs"]] == [job]


def test_kill_9_of_a_worker_fails_its_job_and_the_next_one_runs(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        job = http.post("/api/jobs", json=LONG).json()["id"]
        wait_for(lambda: bool(worker_pids()), "the worker to start")
        for pid in worker_pids():
            os.kill(pid, signal.SIGKILL)
        events = run_async(read_events(f"{server.ws}/ws/jobs/{job}"))
        assert events[-1]["type"] == "done" and events[-1]["status"] == "failed"
        assert http.get(f"/api/jobs/{job}").json()["status"] == "failed"
        nxt = http.post("/api/jobs", json=QUICK).json()["id"]
        assert run_async(read_events(f"{server.ws}/ws/jobs/{nxt}"))[-1]["status"] == "completed"
    assert sys.platform.startswith("linux")  # /proc (worker_pids) is where the pids come from
