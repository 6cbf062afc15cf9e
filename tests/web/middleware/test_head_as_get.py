"""HEAD works wherever GET does (RFC 9110 §9.3.2: the GET's status and headers, no body)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_head_answers_like_get_without_the_body(client: TestClient) -> None:
    for path in ("/api/health", "/api/schedulers", "/"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["content-length"] == get.headers["content-length"]


def test_head_where_get_is_not_allowed_is_405_with_allow(client: TestClient) -> None:
    r = client.head("/api/schedule")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
