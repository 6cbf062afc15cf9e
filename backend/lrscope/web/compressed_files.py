"""The page's files, gzip-compressed once and cached, with validators and a cache policy.

Static files never change while the server runs, so each is compressed once (level 9, in
a worker thread, one file at a time) instead of on every request: thirty students opening
the page at once cost one compression of plotly.js, not thirty. A file whose URL carries
its version (``plotly-cartesian-4.1.1.min.js``) is cached by browsers for a year; every
other file (index.html, the JS modules) is stored but revalidated each time (``no-cache``),
so an upgraded server is seen at once and an unchanged file costs a bodiless 304.
"""

from __future__ import annotations

import gzip
import os
import re
from email.utils import parsedate
from pathlib import Path

import anyio
from anyio import to_thread
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
MIN_SIZE = 500  # bytes; below this gzip's own header and trailer eat the gain
# A version in the file name, e.g. "-4.1.1.min.js": the URL changes when the content does.
VERSIONED = re.compile(r"-\d+\.\d+\.\d+[^/]*$")
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
NOT_MODIFIED_HEADERS = ("cache-control", "etag", "last-modified", "vary")


def cache_control(path: str) -> str:
    """The Cache-Control header for a URL path: a year only for versioned file names."""
    return IMMUTABLE if VERSIONED.search(path) else REVALIDATE


def accepts_gzip(headers: Headers) -> bool:
    """The rule Starlette's GZipMiddleware applies to the API's answers (no q-values)."""
    return "gzip" in headers.get("accept-encoding", "")


def not_modified(file: FileResponse, request: Headers) -> bool:
    """If-None-Match (weak or strong) matches the file's ETag, or If-Modified-Since holds."""
    if match := request.get("if-none-match"):
        tags = [tag.strip().removeprefix("W/") for tag in match.split(",")]
        return match.strip() == "*" or file.headers["etag"] in tags
    since = parsedate(request.get("if-modified-since", ""))
    modified = parsedate(file.headers["last-modified"])
    return since is not None and modified is not None and since >= modified


class CompressedFiles:
    """Answers a file on disk: 304, its cached gzip body, or the file itself."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[tuple[int, int], bytes]] = {}
        self._lock: anyio.Lock | None = None

    async def respond(
        self,
        path: Path,
        stat: os.stat_result,
        request: Headers,
        policy: str,
        media_type: str | None = None,
    ) -> Response:
        file = FileResponse(path, stat_result=stat, media_type=media_type)
        file.headers["cache-control"] = policy
        compressible = stat.st_size >= MIN_SIZE and (file.media_type or "").startswith(COMPRESSIBLE)
        if compressible:
            file.headers["vary"] = "Accept-Encoding"
        if not_modified(file, request):
            kept = {
                name: file.headers[name] for name in NOT_MODIFIED_HEADERS if name in file.headers
            }
            return Response(status_code=304, headers=kept)
        if not compressible or not accepts_gzip(request) or "range" in request:
            return file
        body = await self._gzipped(path, stat)
        headers = {name: file.headers[name] for name in NOT_MODIFIED_HEADERS}
        # Weak: the gzip bytes are another representation of the same file (as nginx does).
        headers["etag"] = "W/" + headers["etag"]
        headers["content-encoding"] = "gzip"
        return Response(body, media_type=file.media_type, headers=headers)

    async def _gzipped(self, path: Path, stat: os.stat_result) -> bytes:
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        if self._lock is None:
            self._lock = anyio.Lock()
        async with self._lock:  # concurrent first requests wait for one compression
            cached = self._cache.get(path)
            if cached and cached[0] == key:
                return cached[1]
            raw = await to_thread.run_sync(path.read_bytes)
            body = await to_thread.run_sync(lambda: gzip.compress(raw, compresslevel=9, mtime=0))
            self._cache[path] = (key, body)
            return body


class PageFiles(StaticFiles):
    """StaticFiles whose answers go through CompressedFiles (gzip, validators, policy)."""

    def __init__(self, *, directory: Path, files: CompressedFiles) -> None:
        super().__init__(directory=directory, html=True)
        self.files = files

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if isinstance(response, FileResponse) and response.status_code == 200:
            assert response.stat_result is not None  # StaticFiles always passes it
            policy = cache_control(path)
            request = Headers(scope=scope)
            return await self.files.respond(
                Path(response.path), response.stat_result, request, policy
            )
        if response.status_code == 304:
            response.headers["cache-control"] = cache_control(path)
        return response
