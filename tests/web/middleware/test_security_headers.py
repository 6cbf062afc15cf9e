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


@pytest.mark.parametrize(
    ("base", "host", "sent"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://localhost:8000", "localhost:8000", True),
        ("http://[::1]:8000", "[::1]:8000", True),
        ("https://192.168.1.20:8443", "192.168.1.20:8443", True),
        # A class on the LAN: plain HTTP to an IP address, where browsers ignore the header
        # and log a console error on every page.
        ("http://192.168.1.20:8000", "192.168.1.20:8000", False),
    ],
)
def test_opener_policy_only_where_browsers_apply_it(
    client: TestClient, base: str, host: str, sent: bool
) -> None:
    r = client.get(f"{base}/api/health", headers={"host": host})
    assert r.status_code == 200 and r.headers["x-frame-options"] == "DENY"
    assert (r.headers.get("cross-origin-opener-policy") == "same-origin") is sent
