"""An unexpected exception becomes a 500 in the one error shape, inside the security headers."""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lrscope.errors import error

log = logging.getLogger("lrscope.web")


class ServerErrors:
    """Answers an exception no handler took with a logged 500 ``{"detail": [...]}``.

    Starlette's own ServerErrorMiddleware sits outside every user middleware, so its plain
    text 500 would miss the security headers; this one sits inside them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.exception("500 on %s %s", scope.get("method"), scope.get("path"))
            if started:  # the answer is half sent: nothing better to do than end it
                raise
            item = error((), "http_500", "server_error", error=type(exc).__name__)
            body = json.dumps({"detail": [item]}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
