"""Jobs against a real uvicorn server with the ``websockets`` client: sockets, processes."""

from __future__ import annotations

import base64
import json
import os
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from job_helpers import LONG, QUICK, LiveServer, job_settings, run_async, wait_for, worker_pids
from websockets.asyncio.client import connect

pytestmark = pytest.mark.slow


async def read_events(url: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Read events until ``done`` (or until at least ``limit`` events, then leave)."""
    events: list[dict[str, Any]] = []
    async with connect(url, max_size=None) as ws:
        async for message in ws:
            events += json.loads(message)
            if limit is not None and len(events) >= limit:
                break
    return events


def contiguous(events: list[dict[str, Any]], start: int = 0) -> bool:
    return [e["seq"] for e in events] == list(range(start, start + len(events)))


def test_run_to_completion_and_resume(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    spec = {**QUICK, "epochs": 20}
    with LiveServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        job = http.post("/api/jobs", json=spec).json()["id"]
        head = run_async(read_events(f"{server.ws}/ws/jobs/{job}", limit=3))
        after = head[-1]["seq"]
        tail = run_async(read_events(f"{server.ws}/ws/jobs/{job}?after={after}"))
        events = head + tail
        assert contiguous(events) and events[-1]["status"] == "completed"
        assert sum(e["type"] == "metrics" for e in events) == 20
        assert http.get(f"/api/jobs/{job}").json()["status"] == "completed"
        full = run_async(read_events(f"{server.ws}/ws/jobs/{job}"))
        assert full == events


def test_stop_over_the_socket(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)

    async def stop(url: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        async with connect(url) as ws:
            events += json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "stop"}))
            async for message in ws:
                events += json.loads(message)
        return events

    with LiveServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        job = http.post("/api/jobs", json=LONG).json()["id"]
        events = run_async(stop(f"{server.ws}/ws/jobs/{job}"))
        assert events[-1]["status"] == "cancelled" and contiguous(events)
        wait_for(lambda: not worker_pids(), "the worker to exit")


def test_vanished_client_leaves_no_worker(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)

    async def vanish(url: str) -> None:
        ws = await connect(url)
        await ws.recv()
        ws.transport.abort()  # no close handshake: the client is simply gone

    with (
        LiveServer(replace(settings, abandon_after_s=0.5)) as server,
        httpx.Client(base_url=server.http, timeout=60) as http,
    ):
        job = http.post("/api/jobs", json=LONG).json()["id"]
        wait_for(lambda: bool(worker_pids()), "the worker to start")
        run_async(vanish(f"{server.ws}/ws/jobs/{job}"))
        wait_for(
            lambda: http.get(f"/api/jobs/{job}").json()["status"] == "cancelled",
            "the abandoned job to be cancelled",
        )
        assert http.get(f"/api/jobs/{job}").json()["done"]["reason"] == "abandoned"
        wait_for(lambda: not worker_pids(), "the worker to exit")


def test_full_queue_answers_429(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with (
        LiveServer(replace(settings, queue_size=0)) as server,
        httpx.Client(base_url=server.http, timeout=60) as http,
    ):
        job = http.post("/api/jobs", json=LONG).json()["id"]
        refused = http.post("/api/jobs", json=QUICK)
        assert refused.status_code == 429 and refused.headers["retry-after"].isdigit()
        assert http.delete(f"/api/jobs/{job}").json()["status"] == "cancelled"
        assert http.post("/api/jobs", json=QUICK).status_code == 202


def _stalled_client(port: int, path: str) -> socket.socket:
    """A WebSocket client that completes the handshake and then never reads."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    return sock


def test_a_stalled_reader_does_not_stall_another(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    # 3000 step events (~600 kB): far more than the small socket buffers below hold, so the
    # server's sends to the stalled client block while the other client reads everything.
    spec = {
        "scheduler": {"type": "StepLR", "step_size": 50},
        "epochs": 100,
        "log_every": 1,
        "task": {"name": "sine", "train_size": 240, "val_size": 16},
        "batch_size": 8,
        "model": {"width": 8, "depth": 1},
    }
    with (
        LiveServer(settings, send_buffer=16_384) as server,
        httpx.Client(base_url=server.http, timeout=60) as http,
    ):
        job = http.post("/api/jobs", json=spec).json()["id"]
        stalled = _stalled_client(server.port, f"/ws/jobs/{job}")
        try:
            events = run_async(read_events(f"{server.ws}/ws/jobs/{job}"))
            assert contiguous(events) and events[-1]["status"] == "completed"
            assert sum(e["type"] == "step" for e in events) == 3000
        finally:
            stalled.close()


def test_runs_persist_across_a_restart(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with LiveServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        done = http.post("/api/jobs", json=QUICK).json()["id"]
        events = run_async(read_events(f"{server.ws}/ws/jobs/{done}"))
        running = http.post("/api/jobs", json=LONG).json()["id"]
        wait_for(lambda: bool(worker_pids()), "the worker to start")
    assert not worker_pids()  # the shutdown took the worker with it
    with LiveServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        run = http.get(f"/api/jobs/{done}").json()
        assert run["status"] == "completed" and run["spec"]["epochs"] == QUICK["epochs"]
        assert len(run["series"]["epochs"]["val_loss"]) == QUICK["epochs"]
        assert run_async(read_events(f"{server.ws}/ws/jobs/{done}")) == events
        interrupted = http.get(f"/api/jobs/{running}").json()
        assert interrupted["status"] == "interrupted"
        assert interrupted["done"]["reason"] == "shutdown"
        listed = [r["id"] for r in http.get("/api/jobs").json()["runs"]]
        assert listed[:2] == [running, done]
