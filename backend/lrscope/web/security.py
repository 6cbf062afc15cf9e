"""The one origin policy and the Host allow-list, for HTTP requests and WebSockets alike."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from lrscope.settings import Settings


def origin_allowed(headers: Mapping[str, str], settings: Settings) -> bool:
    """No Origin (scripts), the page's own host, or one of LRSCOPE_ALLOWED_ORIGINS."""
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin.rstrip("/") in {o.rstrip("/") for o in settings.allowed_origins}:
        return True
    parts = urlsplit(origin)
    host = (headers.get("host") or "").lower()
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host


LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port or an IPv6 literal's brackets."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host_header: str, settings: Settings) -> bool:
    """Against DNS rebinding: localhost names, any IP literal (rebinding needs a name),
    the configured host, or one of LRSCOPE_ALLOWED_HOSTS (``*`` allows any)."""
    if "*" in settings.allowed_hosts:
        return True
    name = host_name(host_header).rstrip(".")
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    allowed = {settings.host.lower(), *(h.lower().rstrip(".") for h in settings.allowed_hosts)}
    return name in allowed
