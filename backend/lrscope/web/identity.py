"""Who is asking: a per-browser client token the server issues, and the admin token.

A request carries its client token in the ``X-Lrscope-Client`` header (scripts, notebooks)
or the ``lrscope_client`` cookie (browsers). A request with neither (or a malformed one) is
given a fresh random token, and the answer sets it as an HttpOnly, SameSite=Strict cookie,
so a page's script never sees it and another site cannot send it. The token is only random
(32 bytes from ``secrets``), not signed: guessing another browser's is hopeless, and making
up new ones gains nothing past the per-address cap (``LRSCOPE_JOBS_PER_IP``).

Job caps and ownership use ``client_key``: a hash of the token, so neither the store nor an
answer ever holds a raw token. ``X-Lrscope-Admin`` equal to ``LRSCOPE_ADMIN_TOKEN`` makes a
request an admin's (a teacher: see and stop the whole class's runs).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "lrscope_client"
HEADER = "x-lrscope-client"
ADMIN_HEADER = "x-lrscope-admin"
SCOPE_KEY = "lrscope.client"  # where the middleware leaves the request's token
COOKIE_MAX_AGE_S = 400 * 24 * 3600  # the longest browsers keep a cookie
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


def valid_token(value: str | None) -> bool:
    return value is not None and _TOKEN.fullmatch(value) is not None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def client_key(token: str) -> str:
    """What the store and the caps know a client by: a hash of its token."""
    return hashlib.sha256(token.encode()).hexdigest()


def owner_tag(key: str) -> str:
    """A short label of a client key (which runs are one student's), shown to admins."""
    return key[:8]


def is_admin(given: str | None, admin_token: str) -> bool:
    """Whether ``given`` is the configured admin token (none configured: nobody is)."""
    if not admin_token or given is None:
        return False
    return hmac.compare_digest(given.encode(), admin_token.encode())


def _cookie_token(headers: Headers) -> str | None:
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header: as if there were none
        return None
    morsel = cookie.get(COOKIE)
    return morsel.value if morsel is not None else None


class ClientIdentity:
    """Puts the request's client token in ``scope[SCOPE_KEY]``, issuing one when missing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        token = headers.get(HEADER)
        if not valid_token(token):
            token = _cookie_token(headers)
        issued = not valid_token(token)
        if issued:
            token = new_token()
        scope[SCOPE_KEY] = token
        if not issued or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        cookie = (
            f"{COOKIE}={token}; Path=/; Max-Age={COOKIE_MAX_AGE_S}; HttpOnly; "
            f"SameSite=Strict{secure}"
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


@dataclass(frozen=True)
class Caller:
    """Who a request comes from: its client key, its address, whether it is the admin's."""

    key: str
    address: str
    admin: bool

    def may_stop(self, owner: str) -> bool:
        """Only the client that started a job, or the admin, may stop or delete it."""
        return self.admin or hmac.compare_digest(self.key, owner)


def caller_of(scope: Scope, admin_token: str) -> Caller:
    """The caller of an HTTP or WebSocket request that passed ``ClientIdentity``.

    Raises ``AdminTokenInvalid`` for an ``X-Lrscope-Admin`` header that is not the token.
    """
    given = Headers(scope=scope).get(ADMIN_HEADER)
    admin = is_admin(given, admin_token)
    if given is not None and not admin:
        raise AdminTokenInvalid
    client = scope.get("client")
    return Caller(client_key(scope[SCOPE_KEY]), client[0] if client else "", admin)


class AdminTokenInvalid(Exception):
    """An admin header was sent, but it is not this server's admin token."""
