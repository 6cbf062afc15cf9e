"""CSP and the usual hardening headers on every HTTP response, errors included."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lrscope.web.security import LOCAL_NAMES, host_name

# The page runs with no inline script and no eval; /docs (Swagger UI) needs an inline one.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
DOCS_CSP = PAGE_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def _trustworthy(scope: Scope) -> bool:
    """Whether browsers count this origin as potentially trustworthy (HTTPS or loopback).
    Elsewhere (a class opening http://192.168.1.20:8000/) they ignore
    Cross-Origin-Opener-Policy and log a console error on every page, so it is not sent."""
    if scope.get("scheme") in ("https", "wss"):
        return True
    host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
    name = host_name(host)
    return name in LOCAL_NAMES or name.endswith(".localhost") or name.startswith("127.")


class SecurityHeaders:
    """Adds CSP and the usual hardening headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith("/docs") else PAGE_CSP
        coop = [(b"cross-origin-opener-policy", b"same-origin")] if _trustworthy(scope) else []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                    *coop,
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
