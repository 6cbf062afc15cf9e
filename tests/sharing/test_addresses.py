"""The URLs students can open (``sharing/addresses.py``): every usable address of the
machine's interfaces when listening on all of them, the one address otherwise."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from lrscope.settings import Settings
from lrscope.sharing import addresses
from lrscope.sharing.addresses import (
    interface_addresses,
    listens_on_all,
    reachable_urls,
    student_urls,
)

V4, V6 = int(socket.AF_INET), int(socket.AF_INET6)
INTERFACES = [
    ("lo", V4, "127.0.0.1"),
    ("lo", V6, "::1"),
    ("docker0", V4, "172.17.0.1"),
    ("wlan0", V4, "192.168.1.20"),
    ("wlan0", V6, "fe80::1%wlan0"),
    ("wlan0", V6, "2001:db8::20"),
    ("eth1", V4, "169.254.3.4"),
    ("eth2", V4, "10.0.0.5"),
    ("eth2", V4, "10.0.0.5"),
]


def test_all_interfaces_list_the_usable_addresses_real_interfaces_first() -> None:
    assert reachable_urls("0.0.0.0", 8000, INTERFACES) == [
        "http://192.168.1.20:8000/",
        "http://10.0.0.5:8000/",
        "http://172.17.0.1:8000/",  # a container bridge: this machine only, so last
    ]


def test_ipv6_wildcard_adds_global_ipv6_addresses_in_brackets() -> None:
    urls = reachable_urls("::", 9000, INTERFACES)
    assert urls[:2] == ["http://192.168.1.20:9000/", "http://10.0.0.5:9000/"]
    assert urls[-1] == "http://[2001:db8::20]:9000/"
    assert not any("fe80" in u or "127.0.0.1" in u or "169.254" in u for u in urls)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.1.1", "localhost", "::1", "[::1]"])
def test_a_loopback_server_has_no_address_students_can_reach(host: str) -> None:
    assert reachable_urls(host, 8000, INTERFACES) == []
    assert not listens_on_all(host)


@pytest.mark.parametrize(
    ("host", "url"),
    [("192.168.1.20", "http://192.168.1.20:8000/"), ("lab.school", "http://lab.school:8000/")],
)
def test_a_server_on_one_address_or_name_is_reached_there(host: str, url: str) -> None:
    assert reachable_urls(host, 8000, INTERFACES) == [url]


def test_the_interfaces_are_read_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    found = interface_addresses()
    assert ("lo", V4, "127.0.0.1") in found or any(a == "127.0.0.1" for _, _, a in found)
    for _, family, address in found:
        ip = ipaddress.ip_address(address.split("%")[0])
        assert (ip.version == 4) == (family == V4)
    # An interface that is down is left out.
    down = {name: type("S", (), {"isup": False})() for name, _, _ in found}
    monkeypatch.setattr(addresses.psutil, "net_if_stats", lambda: down)
    assert interface_addresses() == []


def test_public_urls_replace_the_interfaces(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a container the interfaces are the container's: LRSCOPE_PUBLIC_URLS says where
    students really reach the server."""
    monkeypatch.setattr(addresses, "interface_addresses", lambda: INTERFACES)
    on_all = Settings(host="0.0.0.0")
    assert student_urls(on_all, 8000) == reachable_urls("0.0.0.0", 8000, INTERFACES)
    given = Settings.from_env(
        {
            "LRSCOPE_PUBLIC_URLS": "http://192.168.1.20:8000, https://lrscope.school.example/, ftp://x"
        },
        host="0.0.0.0",
    )
    assert student_urls(given, 8000) == [
        "http://192.168.1.20:8000/",
        "https://lrscope.school.example/",
    ]
