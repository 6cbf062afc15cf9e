"""The Host allow-list against DNS rebinding (``web/middleware/trusted_host.py``): a page on
an attacker's name resolving to 127.0.0.1 sends that name as Host, with a matching Origin,
which the origin check alone accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from lrscope.settings import Settings
from lrscope.web import security
from lrscope.web.app import create_app
from tests.helpers.jobs import QUICK

REBIND = "rebind.attacker.example:8000"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings(data_dir=tmp_path, prewarm_workers=False, allowed_hosts=("lab.school",))
    return TestClient(create_app(settings))


def test_a_rebound_name_is_refused_for_every_route(client: TestClient) -> None:
    headers = {"host": REBIND, "origin": f"http://{REBIND}"}
    for method, path in (("GET", "/api/health"), ("POST", "/api/jobs"), ("GET", "/")):
        r = client.request(method, path, headers=headers, json=QUICK)
        assert r.status_code == 400, (method, path)
        (item,) = r.json()["detail"]
        assert item["loc"] == ["header", "host"] and item["code"] == "host_not_allowed"
        assert "script-src 'self'" in r.headers["content-security-policy"]


def test_a_rebound_name_cannot_open_the_websocket(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as closed:
        client.websocket_connect("/ws/jobs/x", headers={"host": REBIND}).__enter__()
    assert closed.value.code == 1008


@pytest.mark.parametrize(
    "host",
    [
        "localhost:8000",
        "127.0.0.1:8000",
        "[::1]:8000",
        "192.168.1.20:8000",
        "app.localhost",
        "lab.school",
        "LAB.SCHOOL:8000",
    ],
)
def test_local_names_ip_literals_and_allowed_hosts_pass(client: TestClient, host: str) -> None:
    assert client.get("/api/health", headers={"host": host}).status_code == 200


def test_the_configured_host_and_star() -> None:
    assert security.host_allowed("lrscope.lan:80", Settings(host="lrscope.lan"))
    assert not security.host_allowed("other.lan", Settings(host="lrscope.lan"))
    assert security.host_allowed("anything.example", Settings(allowed_hosts=("*",)))


def test_serving_on_all_interfaces_accepts_the_lan_address_and_allowed_names() -> None:
    """A class opens the teacher's machine by its LAN address (an IP literal: allowed) or by
    a name in LRSCOPE_ALLOWED_HOSTS; any other name is still refused."""
    on_all = Settings(host="0.0.0.0")
    assert security.host_allowed("192.168.1.20:8000", on_all)
    assert security.host_allowed("[2001:db8::20]:8000", on_all)
    assert not security.host_allowed("teacher-laptop.local:8000", on_all)
    named = Settings.from_env({"LRSCOPE_ALLOWED_HOSTS": "teacher-laptop.local, lab.school"})
    assert named.allowed_hosts == ("teacher-laptop.local", "lab.school")
    assert security.host_allowed("teacher-laptop.local:8000", named)
