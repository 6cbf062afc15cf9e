"""The one origin policy (``web/security.py``), for HTTP requests and WebSockets alike: a
page from another origin can neither start a job nor watch one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from lrscope.web.app import create_app
from tests.helpers.jobs import QUICK, job_settings, read_to_done


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
