"""The local job backend (``training/jobs/local.py``): a served job gives the bare loop's
numbers; the watchdog stops a job at the wall-clock cap and cancels one whose watchers all
left, taking its worker with it; runs persist across a restart, unfinished ones marked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from websockets.asyncio.client import connect

from lrscope.catalog import default_catalog
from lrscope.settings import Limits
from lrscope.training.loop import run_to_end
from lrscope.training.spec import parse_train_spec, resolve_train
from lrscope.web.app import create_app
from tests.helpers.jobs import (
    LONG,
    QUICK,
    job_settings,
    read_events,
    read_to_done,
    run_async,
    wait_for,
    worker_pids,
)
from tests.helpers.servers import InThreadServer


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


@pytest.mark.slow
def test_vanished_client_leaves_no_worker(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)

    async def vanish(url: str) -> None:
        ws = await connect(url)
        await ws.recv()
        ws.transport.abort()  # no close handshake: the client is simply gone

    with (
        InThreadServer(replace(settings, abandon_after_s=0.5)) as server,
        httpx.Client(base_url=server.http, timeout=60) as http,
    ):
        job = http.post("/api/jobs", json=LONG).json()["id"]
        wait_for(lambda: bool(worker_pids()), "the worker to start")
        run_async(vanish(f"{server.ws}/ws/jobs/{job}"))
        jobs = server.app.state.jobs  # not GET: a poll counts as watching
        wait_for(lambda: jobs.status(job) == "cancelled", "the abandoned job to be cancelled")
        assert http.get(f"/api/jobs/{job}").json()["done"]["reason"] == "abandoned"
        wait_for(lambda: not worker_pids(), "the worker to exit")


@pytest.mark.slow
def test_runs_persist_across_a_restart(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        done = http.post("/api/jobs", json=QUICK).json()["id"]
        events = run_async(read_events(f"{server.ws}/ws/jobs/{done}"))
        running = http.post("/api/jobs", json=LONG).json()["id"]
        wait_for(lambda: bool(worker_pids()), "the worker to start")
    assert not worker_pids()  # the shutdown took the worker with it
    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        run = http.get(f"/api/jobs/{done}").json()
        assert run["status"] == "completed" and run["spec"]["epochs"] == QUICK["epochs"]
        assert len(run["series"]["epochs"]["val_loss"]) == QUICK["epochs"]
        assert run_async(read_events(f"{server.ws}/ws/jobs/{done}")) == events
        interrupted = http.get(f"/api/jobs/{running}").json()
        assert interrupted["status"] == "interrupted"
        assert interrupted["done"]["reason"] == "shutdown"
        listed = [r["id"] for r in http.get("/api/jobs").json()["runs"]]
        assert listed[:2] == [running, done]
