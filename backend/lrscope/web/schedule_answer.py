"""The ``/api/schedule`` answer as an evaluation worker builds it (evaluation_pool.py):
evaluated, encoded as JSON and, when asked, gzipped, all outside the web process."""

from __future__ import annotations

from lrscope.engine import evaluate_resolved
from lrscope.validation import ResolvedRun
from lrscope.web.encoding import Encoded, encode, with_gzip


def evaluate_and_encode(
    resolved: ResolvedRun, torch_version: str, gzip: bool, gzip_up_to: int
) -> Encoded:
    """The answer's JSON bytes, and its gzip bytes too (where they gain) if ``gzip`` or the
    JSON is at most ``gzip_up_to`` bytes (what the response cache keeps)."""
    plain = encode(evaluate_resolved(resolved, torch_version))
    return with_gzip(plain, gzip or len(plain) <= gzip_up_to)
