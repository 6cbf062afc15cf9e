"""The URLs students can open: when the server listens on all interfaces (``0.0.0.0`` or
``::``), one per non-loopback address of the machine's interfaces that are up; when it
listens on one address or name, that one (none for loopback). Read from the interfaces
(psutil), never from a request's Host header."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

import psutil

from lrscope.settings import Settings

WILDCARDS = {
    "0.0.0.0": (socket.AF_INET,),
    "": (socket.AF_INET,),
    "::": (socket.AF_INET, socket.AF_INET6),
}
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# Bridges of containers and virtual machines: reachable from this machine only, so listed last.
_VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "lxc", "lxd", "cni", "flannel", "podman")


def listens_on_all(host: str) -> bool:
    return host.strip().lower() in WILDCARDS


def interface_addresses() -> list[tuple[str, int, str]]:
    """(interface name, address family, address) of every interface that is up."""
    stats = psutil.net_if_stats()
    found = []
    for name, addresses in psutil.net_if_addrs().items():
        if name in stats and not stats[name].isup:
            continue
        for address in addresses:
            if address.family in (socket.AF_INET, socket.AF_INET6):
                found.append((name, int(address.family), address.address))
    return found


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _reachable(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address, if another machine can use it in a URL as it is (an IPv6 link-local
    address needs a zone that differs on every machine, so it is left out)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    unusable = ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified
    return None if unusable else ip


def reachable_urls(
    host: str, port: int, interfaces: Iterable[tuple[str, int, str]] | None = None
) -> list[str]:
    """The URLs of this server that other machines can open, the likeliest first."""
    host = host.strip()
    if not listens_on_all(host):
        name = host.strip("[]").lower()
        if name in LOOPBACK_NAMES:
            return []
        try:
            if ipaddress.ip_address(name).is_loopback:
                return []
        except ValueError:
            pass
        return [_url(name, port)]
    families = WILDCARDS[host.lower()]
    found = interface_addresses() if interfaces is None else list(interfaces)
    ranked = []
    for index, (name, family, address) in enumerate(found):
        ip = _reachable(address)
        if family not in families or ip is None:
            continue
        virtual = name.lower().startswith(_VIRTUAL_PREFIXES)
        ranked.append(((ip.version == 6, virtual, index), _url(str(ip), port)))
    urls = [url for _, url in sorted(ranked)]
    return list(dict.fromkeys(urls))


def student_urls(settings: Settings, port: int) -> list[str]:
    """What to announce: ``LRSCOPE_PUBLIC_URLS`` when set (each ending in "/"), else the
    URLs found from the interfaces for the port the server listens on."""
    given = [u if u.endswith("/") else f"{u}/" for u in settings.public_urls]
    given = [u for u in given if u.startswith(("http://", "https://"))]
    return given or reachable_urls(settings.host, port)
