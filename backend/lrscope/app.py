"""create_app(settings): routers, error handlers, static files, security headers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import plotly
import torch
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lrscope import __version__, api, fastpath, jobs_api, ws
from lrscope.catalog import default_catalog
from lrscope.settings import Settings
from lrscope.training.jobs import LocalJobBackend
from lrscope.validation import plain_issue

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# The page runs with no inline script and no eval; /docs (Swagger UI) needs an inline one.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
DOCS_CSP = PAGE_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeaders:
    """Adds CSP and the usual hardening headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith("/docs") else PAGE_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimit:
    """Refuses request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(
            {
                "detail": [
                    {
                        "loc": ["body"],
                        "type": "too_large",
                        "msg": f"the request body is larger than {self.limit:,} bytes",
                    }
                ]
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


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


def _add_error_handlers(app: FastAPI) -> None:
    """Every error in one shape: ``{"detail": [{"loc", "msg", "type"}]}``."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": [plain_issue(e) for e in exc.errors()]}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail: Any = exc.detail
        status = exc.status_code
        if status == 400:  # an unreadable body (not UTF-8, nested too deep): user-fixable
            status = 422
            detail = [
                {
                    "loc": ["body"],
                    "msg": f"the body could not be read: {detail}",
                    "type": "body_unreadable",
                }
            ]
        elif not isinstance(detail, list):
            detail = [{"loc": [], "msg": str(detail), "type": f"http_{status}"}]
        headers = dict(exc.headers or {})
        if status == 405:  # Starlette names only the first route's methods for a path
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, APIRoute) and route.path_regex.match(request.url.path):
            methods |= route.methods or set()
    return sorted(methods)


def _mount_docs(app: FastAPI) -> None:
    try:
        import fastapi_offline
    except ImportError:  # docs then load Swagger UI from FastAPI's default location
        return
    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs-static", StaticFiles(directory=assets), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="lrscope API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon.png",
        )


def _prepare_torch() -> None:
    """Pay torch's lazy imports of a first optimizer step (torch._dynamo: seconds, and it
    parses source with ast) once, before serving, then check the fast paths against torch."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    optimizer.step()
    fastpath.self_check()


def create_app(settings: Settings | None = None, **state: Any) -> FastAPI:
    """The whole application. ``state`` lets tests inject a catalog or a job backend (``jobs``)."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Warm torch and check the fast paths now (about 2 s cold) rather than on the first
        # request, and finish before serving: a thread left running would build ASTs
        # (torch's imports, formulas) while other threads do, which CPython 3.11.7 can fail
        # with a "recursion depth mismatch" (python/cpython#106905).
        await run_in_threadpool(_prepare_torch)
        await app.state.jobs.start()
        try:
            yield
        finally:
            await app.state.jobs.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="lrscope",
        version=__version__,
        summary="Exact PyTorch learning-rate schedules, live training, shareable links.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.catalog = state.get("catalog") or default_catalog()
    app.state.schedule_cache = api.ResponseCache(settings.limits.cache_entries)
    app.state.jobs = state.get("jobs") or LocalJobBackend(settings)
    app.include_router(api.router)
    app.include_router(jobs_api.router)
    app.include_router(ws.router)
    _mount_docs(app)

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            PLOTLY_JS,
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=86400"},
        )

    _add_error_handlers(app)
    frontend = settings.static_dir
    if (frontend / "index.html").is_file():
        app.router.routes.append(
            FrontendMount("/", StaticFiles(directory=frontend, html=True), name="frontend")
        )
    else:

        @app.get("/", include_in_schema=False)
        def index() -> Response:
            return HTMLResponse(
                "<!doctype html><title>lrscope</title><h1>lrscope</h1>"
                "<p>The web page is not installed here. "
                'See the <a href="/docs">API docs</a>.</p>'
            )

    app.add_middleware(BodySizeLimit, limit=settings.limits.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
