"""The one origin policy, for HTTP requests and WebSockets alike."""

from __future__ import annotations

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
