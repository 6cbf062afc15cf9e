"""Requests (and WebSockets) whose Host this server does not answer to get a 400, against
DNS rebinding: a page on an attacker's name that resolves to 127.0.0.1 sends that name."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from lrscope.errors import error
from lrscope.settings import Settings
from lrscope.web.security import host_allowed


class TrustedHost:
    """Refuses a Host outside ``host_allowed`` with 400 (HTTP) or a denied handshake (WS)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
        if host_allowed(host, self.settings):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "host not allowed"})
            return
        item = error(("header", "host"), "host_not_allowed", "host", host=repr(host[:80]))
        body = json.dumps({"detail": [item]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
