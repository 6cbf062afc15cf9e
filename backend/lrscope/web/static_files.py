"""The page (``static/``, package data) at "/", and the full plotly.js from the ``plotly`` wheel.

The page itself loads the partial plotly.js bundle it ships (``static/vendor/``); the
wheel's full bundle stays at /vendor/plotly.min.js for pages that want every trace type
(and for bench/ui.py's comparison).
"""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.routing import Match, Mount
from starlette.types import Scope

from lrscope.web.compressed_files import REVALIDATE, CompressedFiles, PageFiles

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


class FrontendMount(Mount):
    """Static files at "/" that leave API paths alone.

    A plain mount at "/" matches every path, so ``GET /api/schedule`` would be a static
    404 instead of the router's 405 with ``Allow: POST``.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get("path", "").startswith(API_PREFIXES):
            return Match.NONE, {}
        return super().matches(scope)


API_PREFIXES = ("/api/", "/ws/", "/docs", "/openapi.json")


def mount_page(app: FastAPI, static_dir: Path) -> None:
    """Serve plotly.js and the page; a placeholder when the page is not installed."""

    files = CompressedFiles()

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    async def plotly_js(request: Request) -> Response:
        return await files.respond(
            PLOTLY_JS, PLOTLY_JS.stat(), request.headers, REVALIDATE, "text/javascript"
        )

    if (static_dir / "index.html").is_file():
        page = PageFiles(directory=static_dir, files=files)
        app.router.routes.append(FrontendMount("/", page, name="frontend"))
        return

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return HTMLResponse(
            "<!doctype html><title>lrscope</title><h1>lrscope</h1>"
            "<p>The web page is not installed here. "
            'See the <a href="/docs">API docs</a>.</p>'
        )
