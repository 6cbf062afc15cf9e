"""Serving a class over HTTP (``web/routes/sharing.py``): the addresses students can reach,
short links (cap, size, unknown ids, redirects) and QR codes, each error in the one shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.settings import Limits, Settings
from lrscope.sharing import addresses
from lrscope.web.app import create_app

STATE = "?run=abc:StepLR#s=eyJ2IjoxfQ"
LAN = [("wlan0", 2, "192.168.1.20"), ("lo", 2, "127.0.0.1")]


def client_for(tmp_path: Path, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path, prewarm_workers=False, **settings)))


@pytest.fixture
def lan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine as a teacher's laptop on a school network."""
    monkeypatch.setattr(addresses, "interface_addresses", lambda: LAN)


def only_error(r: Any, status: int, loc: list[Any], code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    (item,) = r.json()["detail"]
    assert item["loc"] == loc and item["code"] == code, item
    assert "script-src 'self'" in r.headers["content-security-policy"]
    return dict(item)


def test_addresses_on_all_interfaces_come_from_the_machine_not_the_host_header(
    tmp_path: Path, lan: None
) -> None:
    client = client_for(tmp_path, host="0.0.0.0")
    r = client.get("/api/addresses", headers={"host": "10.9.9.9:1234"})
    assert r.json() == {"host": "0.0.0.0", "port": 80, "urls": ["http://192.168.1.20:80/"]}


def test_a_loopback_server_lists_no_address(tmp_path: Path, lan: None) -> None:
    assert client_for(tmp_path).get("/api/addresses").json()["urls"] == []


def test_public_urls_are_what_the_page_and_short_links_use(tmp_path: Path, lan: None) -> None:
    client = client_for(tmp_path, host="0.0.0.0", public_urls=("http://10.1.2.3:8000",))
    assert client.get("/api/addresses").json()["urls"] == ["http://10.1.2.3:8000/"]
    made = client.post("/api/short", json={"state": STATE}).json()
    assert made["url"] == f"http://10.1.2.3:8000/s/{made['id']}"


def test_a_short_link_redirects_to_the_page_with_its_state(tmp_path: Path, lan: None) -> None:
    client = client_for(tmp_path, host="0.0.0.0")
    r = client.post("/api/short", json={"state": STATE})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["path"] == f"/s/{body['id']}"
    assert body["url"] == f"http://192.168.1.20:80/s/{body['id']}"
    again = client.post("/api/short", json={"state": STATE}).json()
    assert again["id"] == body["id"]
    for link_id in (body["id"], body["id"].upper()):  # typed from a projector in capitals
        opened = client.get(f"/s/{link_id}", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == f"/{STATE}"
    page = client.get(f"/s/{body['id']}")  # followed: the page itself
    assert page.status_code == 200 and "<title>lrscope" in page.text


def test_an_unknown_short_link_is_a_404_naming_it(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    for link_id in ("22222xxxxx", "nope", "x" * 64):
        item = only_error(
            client.get(f"/s/{link_id}"), 404, ["path", "link_id"], "short_link_not_found"
        )
        assert item["params"] == {"link_id": repr(link_id)}


def test_a_browser_opening_an_unknown_short_link_gets_the_page_saying_so(tmp_path: Path) -> None:
    """A student who mistypes a code sees the page with a notice, not a JSON error."""
    client = client_for(tmp_path)
    html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # Chromium's
    r = client.get("/s/nope2222x", headers={"accept": html}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/?missing_link=nope2222x"
    odd = client.get("/s/a&b=c", headers={"accept": html}, follow_redirects=False)
    assert odd.headers["location"] == "/?missing_link=a%26b%3Dc"  # one parameter, escaped
    assert client.get("/s/nope2222x", headers={"accept": "*/*"}).status_code == 404  # curl


def test_a_full_store_is_a_clear_507(tmp_path: Path) -> None:
    client = client_for(tmp_path, limits=Limits(max_short_links=2))
    for i in range(2):
        assert client.post("/api/short", json={"state": f"#s={i}"}).status_code == 201
    r = client.post("/api/short", json={"state": "#s=2"})
    item = only_error(r, 507, ["body", "state"], "short_links_full")
    assert item["params"] == {"maximum": "2"} and "LRSCOPE_MAX_SHORT_LINKS" in item["msg"]
    assert client.post("/api/short", json={"state": "#s=1"}).status_code == 201


def test_a_state_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    client = client_for(tmp_path, limits=Limits(max_short_link_bytes=100))
    assert client.post("/api/short", json={"state": "#" + "a" * 99}).status_code == 201
    r = client.post("/api/short", json={"state": "#" + "a" * 100})
    item = only_error(r, 422, ["body", "state"], "short_link_too_long")
    assert item["params"] == {"size": "101", "maximum": "100"}


@pytest.mark.parametrize(
    "state",
    [
        "//evil.example/",  # would leave the site once "/" is put in front
        "http://evil.example/#s=x",
        "#s=a\r\nset-cookie: x=1",
        "#s=é",
        "",
    ],
)
def test_a_state_that_is_not_a_links_query_or_fragment_is_refused(
    tmp_path: Path, state: str
) -> None:
    r = client_for(tmp_path).post("/api/short", json={"state": state})
    only_error(r, 422, ["body", "state"], "short_link_not_a_link")


def test_short_links_refuse_other_sites_pages(tmp_path: Path) -> None:
    r = client_for(tmp_path).post(
        "/api/short", json={"state": STATE}, headers={"origin": "https://evil.example"}
    )
    only_error(r, 403, ["header", "origin"], "origin_not_allowed")


def test_a_broken_store_says_so(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, prewarm_workers=False))
    (tmp_path / "short_links.sqlite3").mkdir()  # a directory where the file should be
    r = TestClient(app).post("/api/short", json={"state": STATE})
    only_error(r, 503, ["body", "state"], "short_link_not_stored")


def test_the_qr_code_is_an_svg_and_long_text_is_refused(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    r = client.get("/api/qr", params={"text": "http://192.168.1.20:8000/s/abcd234567"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.startswith("<svg")
    item = only_error(
        client.get("/api/qr", params={"text": "x" * 2001}),
        422,
        ["query", "text"],
        "qr_text_too_long",
    )
    assert item["params"] == {"size": "2001", "maximum": "2000"}
    # Counted in bytes: 600 emoji are 2,400 bytes, past what a QR code holds at all.
    r = client.get("/api/qr", params={"text": "\U0001f600" * 600})
    item = only_error(r, 422, ["query", "text"], "qr_text_too_long")
    assert item["params"]["size"] == "2400"
    assert client.get("/api/qr", params={"text": "é" * 1000}).status_code == 200
