"""Every 405 carries a correct ``Allow`` (RFC 9110 §15.5.6: "MUST generate an Allow
header field"), also for paths served by several routes and by included routers."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_every_405_names_the_methods_that_work(client: TestClient) -> None:
    cases = {
        ("PUT", "/api/schedule"): "POST",
        ("GET", "/api/code"): "POST",
        ("POST", "/api/health"): "GET, HEAD",
        ("PUT", "/api/jobs"): "GET, HEAD, POST",
        ("POST", "/api/jobs/abc"): "DELETE, GET, HEAD",
    }
    for (method, path), allow in cases.items():
        r = client.request(method, path)
        assert r.status_code == 405, (method, path)
        assert r.headers["allow"] == allow, (method, path)
        assert r.json()["detail"][0]["code"] == "http_405"
