"""JSON for big answers, and the same bytes gzip-compressed (``Encoded``), both made in an
evaluation worker process (schedule_answer.py), never in the web process.

orjson is several times faster than ``json.dumps`` (a 2M-point exact curve: a quarter of a
second); in a worker process it holds nobody's GIL but its own, so it runs in one call.

Compression: Starlette's GZipMiddleware compresses a body of 128 KiB or more in a thread of
its own (outside admission control: up to 40 at once, their memory unbudgeted) and a
smaller one on the event loop. Here the answer is compressed once, where it was evaluated,
and a cached answer keeps its gzip bytes, so neither a cache hit nor a big answer costs the
web process any compression.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import orjson

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
# zlib level 1: a 10 MB exact answer compresses in ~0.7 s (level 6: ~4 s, level 9: ~13 s
# on this 2-core machine) to nearly the same size (46% of it against 42%).
GZIP_LEVEL = 1
GZIP_MIN_SIZE = 500  # bytes; below this gzip's own header and trailer eat the gain
GZIP_SLICE = 1 << 20  # bytes per zlib call


@dataclass(frozen=True)
class Encoded:
    """An answer's JSON bytes and, when worth it and asked for, the same bytes gzipped."""

    plain: bytes
    gzip: bytes | None = None


def gzip_body(body: bytes) -> bytes:
    """``body`` as one gzip member (what ``gzip.decompress`` reads back), in slices."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    view = memoryview(body)
    parts = [compressor.compress(view[i : i + GZIP_SLICE]) for i in range(0, len(body), GZIP_SLICE)]
    parts.append(compressor.flush())
    return b"".join(parts)


def with_gzip(plain: bytes, gzip: bool) -> Encoded:
    """``plain`` JSON, and gzipped too if ``gzip`` and it is big enough to gain from it."""
    if gzip and len(plain) >= GZIP_MIN_SIZE:
        return Encoded(plain, gzip_body(plain))
    return Encoded(plain)


def encode(value: Any) -> bytes:
    """``value`` as compact JSON (the bytes json.dumps would parse back to the same)."""
    return orjson.dumps(value, option=_OPTIONS)
