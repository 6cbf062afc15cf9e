"""Serving a class: the addresses students can reach, short links (``POST /api/short``,
``GET /s/{id}``) and QR codes of links (``GET /api/qr``). Thin: ``lrscope.sharing`` finds
the addresses, keeps the links and draws the codes."""

from __future__ import annotations

import re
import sqlite3
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from lrscope.errors import error, got
from lrscope.settings import Settings
from lrscope.sharing import ShortLinksFull, ShortLinkStore, qr_svg, student_urls
from lrscope.sharing.qr import MAX_QR_TEXT
from lrscope.web.deps import SettingsDep, check_origin
from lrscope.web.routes.schedules import BODY_ERRORS

router = APIRouter(tags=["sharing"])
# The query and fragment of a share link, in URL characters only (RFC 3986): nothing that
# could end the Location header or leave this site once "/" is put in front.
# The page reads this query parameter and says the short link does not exist (page.js).
MISSING_LINK_PARAM = "missing_link"
_STATE = re.compile(r"[?#][A-Za-z0-9\-._~!$&'()*+,;=:@/?#%\[\]]*")


class ShortLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    state: str  # the share link after its path: "?run=...#s=..." or "#s=..."


def get_short_links(request: Request) -> ShortLinkStore:
    store: ShortLinkStore = request.app.state.short_links
    return store


ShortLinksDep = Annotated[ShortLinkStore, Depends(get_short_links)]


def _port(request: Request, settings: Settings) -> int:
    """The port this connection reached (the socket's, not the Host header's)."""
    server = request.scope.get("server")
    return int(server[1]) if server and server[1] else settings.port


@router.get("/api/addresses")
async def addresses(request: Request, settings: SettingsDep) -> dict[str, Any]:
    """Where students can open this server: ``urls`` (the likeliest first), empty when it
    listens on this machine only (``lrscope serve --host 0.0.0.0`` to serve a class)."""
    port = _port(request, settings)
    urls = student_urls(settings, port)
    return {"host": settings.host, "port": port, "urls": urls}


@router.post(
    "/api/short",
    status_code=201,
    dependencies=[Depends(check_origin)],
    responses={**BODY_ERRORS, 503: BODY_ERRORS[422], 507: BODY_ERRORS[422]},
)
def create_short_link(
    body: Annotated[ShortLinkRequest, Body()],
    request: Request,
    settings: SettingsDep,
    store: ShortLinksDep,
) -> dict[str, Any]:
    """A short link to a share link's state: ``{"id", "path", "url"}`` (201)."""
    loc = ("body", "state")
    size, maximum = len(body.state.encode()), settings.limits.max_short_link_bytes
    if size > maximum:
        item = error(loc, "short_link_too_long", size=str(size), maximum=str(maximum))
        raise HTTPException(422, [item])
    if not _STATE.fullmatch(body.state):
        raise HTTPException(422, [error(loc, "short_link_not_a_link", **got(body.state))])
    try:
        link_id = store.put(body.state)
    except ShortLinksFull as exc:
        item = error(loc, "short_links_full", maximum=str(exc.capacity))
        raise HTTPException(507, [item]) from exc
    except sqlite3.Error as exc:
        item = error(loc, "short_link_not_stored", detail=str(exc)[:200])
        raise HTTPException(503, [item]) from exc
    port = _port(request, settings)
    base = (student_urls(settings, port) or [settings.url])[0]
    return {"id": link_id, "path": f"/s/{link_id}", "url": f"{base}s/{link_id}"}


@router.get("/s/{link_id}", responses={404: BODY_ERRORS[422]}, response_class=RedirectResponse)
def open_short_link(
    link_id: Annotated[str, Path(max_length=64)], store: ShortLinksDep, request: Request
) -> RedirectResponse:
    """Redirects to the page with the link's state. An unknown link is a 404, or for a
    browser (it asks for HTML) the page, which says the link does not exist."""
    state = store.get(link_id.lower())
    if state is None and "text/html" in request.headers.get("accept", ""):
        return RedirectResponse(f"/?{urlencode({MISSING_LINK_PARAM: link_id})}", status_code=303)
    if state is None:
        item = error(
            ("path", "link_id"), "short_link_not_found", "not_found", link_id=repr(link_id)
        )
        raise HTTPException(404, [item])
    return RedirectResponse(f"/{state}", status_code=303)


@router.get("/api/qr", responses={200: {"content": {"image/svg+xml": {}}}, 422: BODY_ERRORS[422]})
def qr_code(text: Annotated[str, Query()]) -> Response:
    """``text`` (a link) as a QR code SVG, to show big enough to scan from a projector."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QR_TEXT:
        item = error(
            ("query", "text"), "qr_text_too_long", size=str(size), maximum=str(MAX_QR_TEXT)
        )
        raise HTTPException(422, [item])
    return Response(
        qr_svg(text), media_type="image/svg+xml", headers={"cache-control": "max-age=3600"}
    )
