"""Exact answers gzipped where they are evaluated (``web/encoding.py``, in an evaluation
worker), never in the web process: a big answer is the same JSON gzipped or not, health
answers while one is being compressed (held until a file exists, so deterministic), and a
cache hit sends stored gzip bytes without compressing anything."""

from __future__ import annotations

import functools
import gzip
import json
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.middleware.gzip import GZipResponder

from lrscope.settings import Settings
from lrscope.web import encoding
from lrscope.web.routes import schedules
from tests.helpers import evaluation_work
from tests.helpers.jobs import wait_for
from tests.helpers.servers import InThreadServer

# Over Starlette's 128 KiB threshold for compressing in a thread (~8 MB of JSON).
BIG = {"scheduler": {"type": "CosineAnnealingLR", "T_max": 700}, "epochs": 200_000,
       "max_points": 0}  # fmt: skip
SMALL = {"scheduler": {"type": "StepLR", "step_size": 4}, "epochs": 300}


def raw_post(http: httpx.Client, spec: dict[str, Any], accept: str) -> tuple[httpx.Response, bytes]:
    """The answer and its body as sent (httpx would decompress it)."""
    with http.stream("POST", "/api/schedule", json=spec, headers={"accept-encoding": accept}) as r:
        return r, b"".join(r.iter_raw())


@pytest.fixture
def server(tmp_path: Path) -> Any:
    with InThreadServer(Settings(data_dir=tmp_path, prewarm_workers=False)) as running:
        yield running


def test_a_big_exact_answer_is_the_same_json_gzipped_or_not(server: InThreadServer) -> None:
    with httpx.Client(base_url=server.http, timeout=120) as http:
        plain_answer, plain = raw_post(http, BIG, "identity")
        zipped_answer, zipped = raw_post(http, BIG, "gzip, deflate")
    assert plain_answer.status_code == zipped_answer.status_code == 200
    assert "content-encoding" not in plain_answer.headers
    assert zipped_answer.headers["content-encoding"] == "gzip"
    for answer in (plain_answer, zipped_answer):
        assert "accept-encoding" in answer.headers["vary"].lower()
        assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert int(zipped_answer.headers["content-length"]) == len(zipped) < len(plain) // 2
    assert gzip.decompress(zipped) == plain
    curve = json.loads(plain)
    assert len(curve["x"]) == len(curve["groups"][0]["lr"]) == 200_000
    assert curve["decimated"] is False


def test_health_answers_while_a_big_answer_is_being_compressed(
    server: InThreadServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    release, entered = tmp_path / "release", tmp_path / "entered"

    def not_here(body: bytes) -> bytes:
        raise AssertionError("compressed in the web process")

    with httpx.Client(base_url=server.http, timeout=60) as http:
        assert http.post("/api/schedule", json=SMALL).status_code == 200  # now cached
    monkeypatch.setattr(encoding, "gzip_body", not_here)
    held = functools.partial(evaluation_work.gzip_after, release, entered)
    monkeypatch.setattr(schedules, "evaluate_and_encode", held)
    answers: list[tuple[httpx.Response, bytes]] = []

    def ask() -> None:
        with httpx.Client(base_url=server.http, timeout=120) as http:
            answers.append(raw_post(http, BIG, "gzip"))

    asking = threading.Thread(target=ask)
    asking.start()
    try:
        wait_for(entered.exists, "the big answer reaches its compression")
        with httpx.Client(base_url=server.http, timeout=30) as http:
            assert http.get("/api/health").json()["status"] == "ok"
            hit = http.post("/api/schedule", json=SMALL)  # a cache hit, gzipped, not held
            assert hit.status_code == 200 and hit.headers["content-encoding"] == "gzip"
        assert not answers  # the big one is still held in its compression
    finally:
        release.touch()
        asking.join()
    ((answer, body),) = answers
    assert answer.status_code == 200 and answer.headers["content-encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(body))["x"]) == 200_000


def test_a_cache_hit_sends_stored_gzip_bytes_without_compressing(
    server: InThreadServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with httpx.Client(base_url=server.http, timeout=60) as http:
        _, plain = raw_post(http, SMALL, "identity")  # evaluated once: cached with its gzip
        calls: list[int] = []

        def refuse(*args: Any) -> bytes:
            calls.append(len(args))
            raise AssertionError("compressed again")

        monkeypatch.setattr(GZipResponder, "_compress_body", refuse)
        monkeypatch.setattr(encoding, "gzip_body", refuse)
        answer, zipped = raw_post(http, SMALL, "gzip")
    assert answer.status_code == 200 and answer.headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped) == plain
    assert calls == []
