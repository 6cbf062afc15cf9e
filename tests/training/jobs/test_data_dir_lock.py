"""One server per data directory (``training/jobs/data_dir_lock.py``): a second one refuses
to start, naming the first one's pid, before it can mark the first one's jobs interrupted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lrscope.training.jobs.data_dir_lock import DataDirInUse, DataDirLock
from lrscope.web.app import create_app
from tests.helpers.jobs import LONG, job_settings, wait_for


def test_a_second_lock_is_refused_naming_the_holder(tmp_path: Path) -> None:
    first = DataDirLock(tmp_path)
    first.acquire()
    with pytest.raises(DataDirInUse, match=f"pid {os.getpid()}"):
        DataDirLock(tmp_path).acquire()
    first.release()
    again = DataDirLock(tmp_path)
    again.acquire()  # free once released
    again.release()


def test_a_second_server_leaves_the_first_ones_job_running(tmp_path: Path) -> None:
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as first:
        job = first.post("/api/jobs", json=LONG).json()["id"]
        wait_for(lambda: first.get(f"/api/jobs/{job}").json()["status"] == "running", "start")
        with pytest.raises(DataDirInUse), TestClient(create_app(settings)):
            pass
        assert first.get(f"/api/jobs/{job}").json()["status"] == "running"
        first.delete(f"/api/jobs/{job}")


def test_lrscope_serve_refuses_a_data_dir_in_use(tmp_path: Path) -> None:
    held = DataDirLock(tmp_path)
    held.acquire()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lrscope", "serve", "--port", "1", "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        held.release()
    assert done.returncode == 1
    assert f"another lrscope server (pid {os.getpid()})" in done.stderr
    assert str(tmp_path) in done.stderr
