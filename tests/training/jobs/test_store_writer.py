"""A store that cannot write (``training/jobs/store_writer.py``) is not a silent loss:
health says "degraded" with the reason, new jobs get a 503 in the error shape, and the
log says so once, not once per write."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lrscope.training.jobs.local import LocalJobBackend
from lrscope.training.jobs.store_writer import StoreWriter
from lrscope.web.app import create_app
from tests.helpers.admission import DiskFullStore
from tests.helpers.jobs import QUICK, job_settings, wait_for


def test_a_full_disk_degrades_health_and_refuses_new_jobs(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    jobs = LocalJobBackend(settings, store=DiskFullStore(tmp_path / "runs.sqlite3"))
    with TestClient(create_app(settings, jobs=jobs)) as client:
        assert client.get("/api/health").json()["status"] == "ok"
        assert client.post("/api/jobs", json=QUICK).status_code == 202
        wait_for(lambda: client.get("/api/health").json()["status"] == "degraded", "degraded")
        health = client.get("/api/health").json()
        assert "database or disk is full" in health["reason"]
        refused = client.post("/api/jobs", json=QUICK)
        assert refused.status_code == 503
        (item,) = refused.json()["detail"]
        assert item["code"] == "store_unwritable" and item["type"] == "unavailable"
        assert "disk is full" in item["params"]["detail"]
        assert "script-src 'self'" in refused.headers["content-security-policy"]


def test_failures_are_logged_once_a_minute_and_recovery_is_noted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def write() -> None:
        raise OSError(28, "No space left on device")

    def works() -> None:
        pass

    writer = StoreWriter(DiskFullStore(tmp_path / "runs.sqlite3"))
    with caplog.at_level(logging.WARNING, logger="lrscope.training.jobs.store_writer"):
        writer.start()
        for _ in range(50):
            writer.put(write)
        writer.close()
        assert writer.problem is not None and "No space left" in writer.problem
        assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 1
        writer = StoreWriter(DiskFullStore(tmp_path / "runs.sqlite3"))
        writer.start()
        writer.put(write)
        writer.put(works)
        writer.close()
    assert writer.problem is None
    assert "writes work again" in caplog.text
