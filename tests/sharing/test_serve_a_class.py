"""A class of thirty from one machine: ``lrscope serve --host 0.0.0.0`` prints the URLs
students can open, and a request through the machine's LAN address (not loopback) gets the
page, passes the Host check, makes a short link and follows it. The LAN address is found
at test time (the source address of the default route); a machine without one skips."""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from lrscope import cli
from lrscope.settings import Settings
from tests.helpers.servers import ServedProcess, serve_subprocess

pytestmark = pytest.mark.slow
# No proxy: a student's request goes straight to the machine.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


NO_REDIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def lan_address() -> str:
    """This machine's address on its network, as another machine there would use it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.123", 9))  # sends nothing: only picks the route's source
        except OSError:
            pytest.skip("this machine has no network route")
        address = str(sock.getsockname()[0])
    if address.startswith("127.") or address == "0.0.0.0":
        pytest.skip("this machine has no non-loopback address")
    return address


def call(url: str, body: Any = None, opener: Any = OPENER, **headers: str) -> Answer:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers)
    if data is not None:
        request.add_header("content-type", "application/json")
    try:
        with opener.open(request, timeout=30) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, dict(exc.headers), exc.read())


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedProcess]:
    env = {**os.environ, "LRSCOPE_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    env.pop("LRSCOPE_ALLOWED_HOSTS", None)
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serve_subprocess(log, env=env, args=("--host", "0.0.0.0")) as process:
        yield process  # it printed today's "lrscope is running at http://127.0.0.1:PORT/"


def test_serve_on_all_interfaces_prints_the_lan_url(served: ServedProcess) -> None:
    port = served.url.rsplit(":", 1)[1]
    wanted = f"  http://{lan_address()}:{port}/"
    deadline = time.monotonic() + 30
    while wanted not in served.log().splitlines():
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.1)
    lines = served.log().splitlines()
    at = lines.index("Students on this network can open:")
    assert any(line.startswith("lrscope is running at http://127.0.0.1:") for line in lines[:at])
    urls = [line.strip() for line in lines[at + 1 :] if line.startswith("  http://")]
    assert wanted.strip() in urls and not any("127.0.0.1" in u for u in urls)


def test_a_student_reaches_the_page_and_a_short_link_through_the_lan_address(
    served: ServedProcess,
) -> None:
    port = served.url.rsplit(":", 1)[1]
    base = f"http://{lan_address()}:{port}"
    page = call(f"{base}/")  # Host: the LAN address, which the Host check accepts
    assert page.status == 200 and "<title>lrscope" in page.body.decode()
    answer = call(f"{base}/api/addresses")
    assert answer.status == 200 and f"{base}/" in answer.json()["urls"]
    # The page at the LAN address makes a short link (its Origin is its own address).
    state = "#s=eyJ2IjoxfQ"
    made = call(f"{base}/api/short", {"state": state}, origin=base)
    assert made.status == 201, made.body
    link = made.json()
    assert link["url"].endswith(link["path"])
    opened = call(f"{base}{link['path']}", opener=NO_REDIRECT)
    assert opened.status == 303 and opened.headers["location"] == f"/{state}"


def test_a_name_that_is_not_allowed_is_refused_even_on_all_interfaces(
    served: ServedProcess,
) -> None:
    port = served.url.rsplit(":", 1)[1]
    refused = call(f"http://{lan_address()}:{port}/", host="teacher-laptop.example")
    assert refused.status == 400
    assert refused.json()["detail"][0]["code"] == "host_not_allowed"


def test_serve_on_loopback_says_how_to_serve_a_class(capsys: pytest.CaptureFixture[str]) -> None:
    cli._print_reachable(Settings(host="127.0.0.1"))
    assert (
        capsys.readouterr().out
        == "Only this machine can open it; to serve a class: --host 0.0.0.0\n"
    )
    cli._print_reachable(Settings(host="192.168.1.20", port=9000))
    assert capsys.readouterr().out.splitlines() == [
        "Students on this network can open:",
        "  http://192.168.1.20:9000/",
    ]
