"""``X-Forwarded-For`` is believed only from the proxies in LRSCOPE_FORWARDED_ALLOW_IPS
(none by default): otherwise any client could pick its own address and slip past the
per-address job cap. Through ``lrscope serve`` (the uvicorn settings are its own), with no
worker, so each job just waits in the queue."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.helpers.servers import serve_subprocess

ENV = {
    "LRSCOPE_WORKERS": "0",  # jobs wait: no worker process starts
    "LRSCOPE_PREWARM_WORKERS": "0",
    "LRSCOPE_QUEUE_SIZE": "10",
    "LRSCOPE_JOBS_PER_IP": "1",
    "LRSCOPE_ABANDON_AFTER_S": "600",
}
JOB = {"scheduler": {"type": "StepLR", "step_size": 1}, "epochs": 2}


def _two_addresses(url: str) -> list[httpx.Response]:
    """Two clients (two tokens) claiming two addresses each submit a job."""
    answers = []
    for i in (1, 2):
        headers = {"x-lrscope-client": f"client-{i}-" + "x" * 20, "x-forwarded-for": f"10.0.0.{i}"}
        answers.append(httpx.post(f"{url}/api/jobs", json=JOB, headers=headers, timeout=60))
    return answers


@pytest.mark.slow
def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(tmp_path: Path) -> None:
    args = ("--host", "127.0.0.1", "--data-dir", str(tmp_path / "a"))
    with serve_subprocess(tmp_path / "a.log", args=args, env={**os.environ, **ENV}) as served:
        first, second = _two_addresses(served.url)
    assert first.status_code == 202
    assert second.status_code == 429  # both came from 127.0.0.1, whatever they claimed
    assert second.json()["detail"][0]["code"] == "too_many_jobs_per_ip"

    trusted = {**os.environ, **ENV, "LRSCOPE_FORWARDED_ALLOW_IPS": "127.0.0.1"}
    args = ("--host", "127.0.0.1", "--data-dir", str(tmp_path / "b"))
    with serve_subprocess(tmp_path / "b.log", args=args, env=trusted) as served:
        answers = _two_addresses(served.url)
    assert [a.status_code for a in answers] == [202, 202]  # the proxy's word is taken
