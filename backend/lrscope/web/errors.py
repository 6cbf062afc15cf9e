"""Every error in one shape, ``{"detail": [{"loc", "msg", "type", "code", "params"}]}``, and
SpecError -> FastAPI's 422 with ``loc`` rooted at ``"body"``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.routing import Match

from lrscope.errors import SpecError, error
from lrscope.messages import MESSAGES
from lrscope.spec import plain_issue


def as_validation_error(exc: SpecError) -> RequestValidationError:
    return RequestValidationError([{**e, "loc": ["body", *e["loc"]]} for e in exc.errors])


def add_error_handlers(app: FastAPI) -> None:
    """Every error in one shape: ``{"detail": [{"loc", "msg", "type", "code", "params"}]}``."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Pydantic's errors get our words; a SpecError's items (with a code) already have them.
        items = [e if "code" in e else plain_issue(e) for e in exc.errors()]
        return JSONResponse({"detail": items}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail: Any = exc.detail
        status = exc.status_code
        if status == 400:  # an unreadable body (not UTF-8, nested too deep): user-fixable
            status = 422
            detail = [error(("body",), "body_unreadable", "body_unreadable", detail=str(detail))]
        elif not isinstance(detail, list):
            detail = [_http_error(status, str(detail))]
        headers = dict(exc.headers or {})
        if status == 405:  # Starlette names only the first route's methods for a path
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _http_error(status: int, detail: str) -> dict[str, Any]:
    """Starlette's own errors (an unknown path, a wrong method): named by their status."""
    code = f"http_{status}"
    if MESSAGES.get(code) == detail:
        return error((), code, code)
    return error((), "http_error", code, detail=detail)


_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> list[str]:
    """The methods some route answers at this path (asked of the routes themselves:
    FastAPI nests included routers, so a walk over APIRoutes finds none)."""
    allowed = {
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    }
    if "GET" in allowed:
        allowed.add("HEAD")  # middleware/head_as_get.py
    return sorted(allowed)
