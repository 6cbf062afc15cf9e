"""Request bodies over the cap get 413 in the one error shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from lrscope.settings import Limits, Settings
from lrscope.web.app import create_app
from tests.helpers.http import JSON


def test_a_huge_body_is_a_413(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, limits=Limits(max_body_bytes=2_000))
    client = TestClient(create_app(settings))
    body = {"scheduler": {"type": "MultiStepLR", "milestones": list(range(1, 1000))}}
    r = client.post("/api/schedule", json=body)
    assert r.status_code == 413
    assert r.json()["detail"][0]["loc"] == ["body"]
    assert "larger than 2,000 bytes" in r.json()["detail"][0]["msg"]
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_the_default_body_cap(client: TestClient) -> None:
    r = client.post("/api/schedule", content=b" " * 1_100_000, headers=JSON)
    assert r.status_code == 413


def test_a_chunked_body_over_the_cap_is_a_413_not_a_422(tmp_path: Path) -> None:
    """No Content-Length (Transfer-Encoding: chunked): the cap is counted as it streams."""
    settings = Settings(data_dir=tmp_path, limits=Limits(max_body_bytes=2_000))
    client = TestClient(create_app(settings))

    def chunks() -> Iterator[bytes]:
        yield b'{"scheduler": {"type": "StepLR", "step_size": 2}, "x": "'
        for _ in range(10):
            yield b"a" * 500
        yield b'"}'

    r = client.post("/api/schedule", content=chunks(), headers=JSON)
    assert r.status_code == 413
    assert r.json()["detail"][0]["code"] == "body_too_large"
    assert "script-src 'self'" in r.headers["content-security-policy"]
