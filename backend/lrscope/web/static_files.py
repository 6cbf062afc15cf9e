"""The page (``static/``, package data) at "/", and plotly.js from the ``plotly`` wheel."""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match, Mount
from starlette.types import Scope

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


API_PREFIXES = ("/api/", "/ws/", "/s/", "/docs", "/openapi.json")


def mount_page(app: FastAPI, static_dir: Path) -> None:
    """Serve plotly.js and the page; a placeholder when the page is not installed."""

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            PLOTLY_JS,
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=86400"},
        )

    if (static_dir / "index.html").is_file():
        app.router.routes.append(
            FrontendMount("/", StaticFiles(directory=static_dir, html=True), name="frontend")
        )
        return

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return HTMLResponse(
            "<!doctype html><title>lrscope</title><h1>lrscope</h1>"
            "<p>The web page is not installed here. "
            'See the <a href="/docs">API docs</a>.</p>'
        )
