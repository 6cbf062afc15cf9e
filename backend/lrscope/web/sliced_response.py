"""A response whose body goes out in slices, so a big answer never holds the event loop.

Handing uvicorn an 82 MB body in one message makes it copy what the socket does not take at
once into its write buffer in one go (~140 ms with the GIL held, measured by bench/load.py);
in ``SLICE`` pieces, each waits for the socket to drain (uvicorn's flow control), and other
requests run in between. ``on_sent`` runs once the body is out or the client has gone: the
answer's share of the evaluation memory budget is given back then (admission.Held).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from lrscope.web.compressed_files import accepts_gzip
from lrscope.web.encoding import Encoded

SLICE = 1 << 20  # bytes per body message


class SlicedResponse(Response):
    """``content`` sent ``SLICE`` bytes at a time; ``on_sent()`` called after, whatever
    happened."""

    def __init__(
        self,
        content: bytes,
        media_type: str,
        headers: Mapping[str, str] | None = None,
        on_sent: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(content, media_type=media_type, headers=headers)
        self._on_sent = on_sent

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if len(self.body) <= SLICE:
                await super().__call__(scope, receive, send)
                return
            start = {"type": "http.response.start", "status": self.status_code}
            await send({**start, "headers": self.raw_headers})
            body = self.body
            for offset in range(0, len(body), SLICE):
                piece = body[offset : offset + SLICE]
                await send({"type": "http.response.body", "body": piece, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            if self._on_sent is not None:
                self._on_sent()


def encoded_json(
    encoded: Encoded,
    request: Headers,
    headers: Mapping[str, str] | None = None,
    on_sent: Callable[[], None] | None = None,
) -> SlicedResponse:
    """An answer's gzip bytes if the client takes gzip and they exist, else its JSON (which
    GZipMiddleware passes as it is: the gzip form exists whenever it is worth it)."""
    out = {**(headers or {}), "vary": "Accept-Encoding"}
    body = encoded.plain
    if encoded.gzip is not None and accepts_gzip(request):
        out["content-encoding"] = "gzip"
        body = encoded.gzip
    return SlicedResponse(body, "application/json", out, on_sent)
