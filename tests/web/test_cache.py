"""The LRU of encoded ``/api/schedule`` answers (``web/cache.py``) is keyed so that a body
the parser reads differently never gets another body's answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers.http import JSON, detail_of


def test_nan_and_infinity_never_reuse_a_cached_answer(client: TestClient) -> None:
    ok = b'{"scheduler": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, '
    assert client.post("/api/schedule", content=ok + b'"step_size_down": null}}',
                       headers=JSON).status_code == 200  # fmt: skip
    for bad in (b"Infinity", b"NaN", b"-Infinity"):
        r = client.post("/api/schedule", content=ok + b'"step_size_down": ' + bad + b"}}",
                        headers=JSON)  # fmt: skip
        (e,) = detail_of(r)
        assert e["loc"] == ["body", "scheduler", "step_size_down"]
