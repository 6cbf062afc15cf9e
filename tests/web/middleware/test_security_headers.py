"""CSP and the usual hardening headers on every HTTP response, errors included."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient


def post(client: TestClient, body: dict[str, Any]) -> Any:
    return client.post("/api/schedule", json=body)


@pytest.mark.parametrize("path", ["/api/health", "/api/schedulers", "/", "/openapi.json"])
def test_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(
        ";")[0]  # fmt: skip
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_error_responses_carry_the_headers_too(client: TestClient) -> None:
    r = post(client, {"scheduler": {"type": "Nope"}})
    assert r.status_code == 422
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert json.loads(r.text)["detail"]
