"""JSON for big answers, encoded in slices so no other request waits on the GIL for long,
and gzip-compressed in the same worker thread (``Encoded``), never on the event loop.

orjson is several times faster than ``json.dumps``, but one call on a 2M-point exact
curve still holds the GIL for a quarter of a second or more; slicing long lists into
``SLICE`` values per call, with a yield between slices, keeps each hold short.

Compression: Starlette's GZipMiddleware compresses a body of 128 KiB or more in a thread of
its own (outside admission control: up to 40 at once, their memory unbudgeted) and a
smaller one on the event loop, where zlib's release of the GIL makes the loop wait for it
back behind the evaluation threads (~5 ms a time under load). Here the answer is compressed
once, where it was evaluated, and a cached answer keeps its gzip bytes, so neither a cache
hit nor a big answer costs the loop any compression.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

SLICE = 50_000  # values per orjson call: a few milliseconds of encoding
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY
# zlib level 1: a 10 MB exact answer compresses in ~0.7 s (level 6: ~4 s, level 9: ~13 s
# on this 2-core machine) to nearly the same size (46% of it against 42%).
GZIP_LEVEL = 1
GZIP_MIN_SIZE = 500  # bytes; below this gzip's own header and trailer eat the gain
GZIP_SLICE = 1 << 20  # bytes per zlib call (zlib lets the GIL go while it compresses)


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
    parts: list[bytes] = []
    _encode(value, parts)
    return b"".join(parts)


def _encode(value: Any, parts: list[bytes]) -> None:
    if isinstance(value, dict):
        parts.append(b"{")
        for i, (key, item) in enumerate(value.items()):
            parts.append(b',"' if i else b'"')
            parts.append(orjson.dumps(str(key))[1:])
            parts.append(b":")
            _encode(item, parts)
        parts.append(b"}")
    elif isinstance(value, (list, tuple)) and any(isinstance(v, (dict, list)) for v in value[:1]):
        parts.append(b"[")
        for i, item in enumerate(value):
            if i:
                parts.append(b",")
            _encode(item, parts)
        parts.append(b"]")
    elif isinstance(value, (list, tuple, np.ndarray)) and len(value) > SLICE:
        parts.append(b"[")
        for start in range(0, len(value), SLICE):
            if start:
                parts.append(b",")
                time.sleep(0)  # let a waiting thread (the event loop) take the GIL
            parts.append(orjson.dumps(value[start : start + SLICE], option=_OPTIONS)[1:-1])
        parts.append(b"]")
    else:
        parts.append(orjson.dumps(value, option=_OPTIONS))
