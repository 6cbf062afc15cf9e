"""A corrupt run store at start (``training/jobs/store_check.py``) is moved aside, loudly,
and the server starts with an empty one: nothing is read from or written to a bad file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lrscope.training.jobs.store import SqliteRunStore
from lrscope.training.jobs.store_check import integrity_problem, move_aside_if_corrupt
from lrscope.web.app import create_app
from tests.helpers.jobs import QUICK, job_settings, read_to_done


def _stored_run(path: Path) -> None:
    store = SqliteRunStore(path)
    store.create("a", {"epochs": 1}, "")
    store.append("a", [{"seq": 0, "type": "status", "status": "queued"}], "completed")
    store.close()


def test_a_sound_store_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite3"
    _stored_run(path)
    assert integrity_problem(path) is None
    assert move_aside_if_corrupt(path) is None and path.exists()


def test_garbage_is_moved_aside_with_a_log_line_naming_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "runs.sqlite3"
    path.write_bytes(b"this is not a database" * 300)
    with caplog.at_level(logging.ERROR, logger="lrscope.store"):
        aside = move_aside_if_corrupt(path)
    assert aside is not None and aside.exists() and not path.exists()
    assert aside.read_bytes().startswith(b"this is not a database")
    assert str(aside) in caplog.text and "corrupt" in caplog.text


def test_a_damaged_page_is_found(tmp_path: Path) -> None:
    """Overwrite the middle of a real store (a torn write): quick_check reports it."""
    path = tmp_path / "runs.sqlite3"
    store = SqliteRunStore(path)
    for i in range(200):
        store.create(f"r{i}", {"epochs": i, "pad": "x" * 500}, "")
    store.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
    path.write_bytes(bytes(data))
    assert integrity_problem(path) is not None


def test_the_server_starts_on_an_empty_store_and_saves_new_runs(tmp_path: Path) -> None:
    (tmp_path / "runs.sqlite3").write_bytes(b"garbage" * 1000)
    settings = job_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/health").json()["status"] == "ok"
        assert client.get("/api/jobs").json()["runs"] == []
        job = client.post("/api/jobs", json=QUICK).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            read_to_done(ws)
    assert len(list(tmp_path.glob("runs.sqlite3.corrupt-*"))) == 1
    with TestClient(create_app(settings)) as client:
        assert client.get(f"/api/jobs/{job}").json()["status"] == "completed"
