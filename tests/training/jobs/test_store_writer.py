"""A store that cannot write (``training/jobs/store_writer.py``) is not a silent loss:
health says "degraded" with the reason, new jobs get a 503 in the error shape (the first
one too: its row is written before the 202), and the log says so once, not once per
write; once the disk has room the next job is taken."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.training.jobs.local import LocalJobBackend
from lrscope.training.jobs.store import SqliteRunStore
from lrscope.training.jobs.store_writer import StoreWriter
from lrscope.web.app import create_app
from tests.helpers.admission import DiskFullStore
from tests.helpers.jobs import QUICK, job_settings, wait_for


class FillingStore(SqliteRunStore):
    """A store on a disk that is full until ``full`` is cleared."""

    full = True

    def _write(self, statements: Any) -> None:
        if self.full:
            raise sqlite3.OperationalError("database or disk is full")
        super()._write(statements)


def test_a_full_disk_degrades_health_and_refuses_new_jobs(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    store = FillingStore(tmp_path / "runs.sqlite3")
    jobs = LocalJobBackend(settings, store=store)
    with TestClient(create_app(settings, jobs=jobs)) as client:
        assert client.get("/api/health").json()["status"] == "ok"
        # The first job after the disk filled up is refused too: its row is written first.
        refused = client.post("/api/jobs", json=QUICK)
        assert refused.status_code == 503
        (item,) = refused.json()["detail"]
        assert item["code"] == "store_unwritable" and item["type"] == "unavailable"
        assert "disk is full" in item["params"]["detail"]
        assert "script-src 'self'" in refused.headers["content-security-policy"]
        wait_for(lambda: client.get("/api/health").json()["status"] == "degraded", "degraded")
        health = client.get("/api/health").json()
        assert "database or disk is full" in health["reason"]
        assert client.get("/api/jobs").json()["runs"] == []  # nothing half-made was listed
        store.full = False  # the disk has room again: the next submit's write succeeds
        accepted = client.post("/api/jobs", json=QUICK)
        assert accepted.status_code == 202, accepted.text
        assert client.get("/api/health").json()["status"] == "ok"
        assert client.get(f"/api/jobs/{accepted.json()['id']}").status_code == 200


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
