"""An exception no handler takes is a 500 in the one error shape, with the security
headers (Starlette's own 500 is plain text outside every middleware)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from lrscope.settings import Settings
from lrscope.web.app import create_app


def test_a_bug_is_a_500_in_the_error_shape_with_the_headers(tmp_path: Path) -> None:
    app: FastAPI = create_app(Settings(data_dir=tmp_path, prewarm_workers=False))

    @app.get("/api/broken")
    async def broken() -> None:
        raise ZeroDivisionError("a bug")

    r = TestClient(app, raise_server_exceptions=False).get("/api/broken")
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/json"
    (item,) = r.json()["detail"]
    assert item["code"] == "http_500" and item["params"] == {"error": "ZeroDivisionError"}
    assert item["loc"] == [] and item["type"] == "server_error"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
