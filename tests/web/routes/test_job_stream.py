"""WS /ws/jobs/{id} (``web/routes/job_stream.py``): a job's events streamed in order, from
any ``seq`` on (so a client resumes), and ``{"type": "stop"}`` taken; through Starlette's
TestClient and against a real uvicorn server with the ``websockets`` client."""

from __future__ import annotations

import base64
import json
import os
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse
from websockets.asyncio.client import connect

from lrscope.web.app import create_app
from tests.helpers.jobs import (
    LONG,
    QUICK,
    contiguous,
    job_settings,
    read_events,
    read_to_done,
    run_async,
    wait_for,
    worker_pids,
)
from tests.helpers.servers import InThreadServer


@pytest.mark.slow
def test_run_to_completion_and_resume(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    spec = {**QUICK, "epochs": 20}
    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
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


@pytest.mark.slow
def test_stop_over_the_socket_is_the_starters(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)

    async def stop(url: str, token: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        async with connect(url, additional_headers={"x-lrscope-client": token}) as ws:
            events += json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "stop"}))
            async for message in ws:
                events += json.loads(message)
        return events

    async def stranger_stops(url: str) -> bool:
        """A stop from a socket without the starter's token; whether the stream ended."""
        async with connect(url) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "stop"}))
            await ws.send(json.dumps({"type": "stop"}))
            epochs = 0  # a stop taken ends the job at its next step, before two more epochs
            while epochs < 2:
                batch = json.loads(await ws.recv())
                if any(e["type"] == "done" for e in batch):
                    return True
                epochs += sum(e["type"] == "metrics" for e in batch)
        return False

    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        job = http.post("/api/jobs", json=LONG).json()["id"]
        assert not run_async(stranger_stops(f"{server.ws}/ws/jobs/{job}"))
        assert http.get(f"/api/jobs/{job}").json()["status"] == "running"
        token = http.cookies["lrscope_client"]  # the starter's token, issued as a cookie
        events = run_async(stop(f"{server.ws}/ws/jobs/{job}", token))
        assert events[-1]["status"] == "cancelled" and contiguous(events)
        wait_for(lambda: not worker_pids(), "the worker to exit")


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


@pytest.mark.slow
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
        InThreadServer(settings, send_buffer=16_384) as server,
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


@pytest.mark.parametrize("after", ["1e20", "abc", "100000000000000000000", "-2", "1.5"])
def test_a_bad_after_on_a_stored_run_is_a_422_naming_it(tmp_path: Path, after: str) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        job = client.post("/api/jobs", json=QUICK).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            read_to_done(ws)
    with TestClient(create_app(settings)) as client:  # restarted: the run is in the store
        with pytest.raises(WebSocketDenialResponse) as denied:
            client.websocket_connect(f"/ws/jobs/{job}?after={after}").__enter__()
        assert denied.value.status_code == 422
        (item,) = denied.value.json()["detail"]
        assert item["loc"] == ["query", "after"] and item["code"] == "cursor_invalid"
        with client.websocket_connect(f"/ws/jobs/{job}?after=2") as ws:
            assert read_to_done(ws)[0]["seq"] == 3
