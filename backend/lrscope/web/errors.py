"""Every error in one shape, ``{"detail": [{"loc", "msg", "type"}]}``, and SpecError ->
FastAPI's 422 with ``loc`` rooted at ``"body"``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from lrscope.errors import SpecError
from lrscope.spec import plain_issue


def as_validation_error(exc: SpecError) -> RequestValidationError:
    return RequestValidationError([{**e, "loc": ["body", *e["loc"]]} for e in exc.errors])


def add_error_handlers(app: FastAPI) -> None:
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
