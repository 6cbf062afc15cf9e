"""Admission-control and store-fault helpers: an admission answer made deterministic by
setting its counters, and a store whose writes fail as a full disk's do."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from lrscope.training.jobs.local import LocalJobBackend
from lrscope.training.jobs.store import SqliteRunStore
from lrscope.web.admission import Admission
from lrscope.web.app import create_app
from tests.helpers.evaluation_work import step_until_stopped
from tests.helpers.jobs import QUICK, job_settings

Messages = list[dict[str, Any]]


class DiskFullStore(SqliteRunStore):
    """Reads work; every write fails with SQLite's own words for a full disk."""

    def _write(self, statements: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")


class _Leaving:
    """A request whose client has gone."""

    async def is_disconnected(self) -> bool:
        return True


class _Staying:
    async def is_disconnected(self) -> bool:
        return False


def admission_refusal(
    admission: Admission,
    admitted: int = 0,
    reserved: int = 0,
    left: bool = False,
    work: Callable[[], None] = step_until_stopped,
) -> Any:
    """The error items ``admission`` answers a long evaluation with, in this state."""

    def call(_: Path) -> Messages:
        admission.admitted, admission.reserved_bytes = admitted, reserved

        async def ask() -> None:
            request = _Leaving() if left else _Staying()
            await admission.run(request, 1, work)  # type: ignore[arg-type]

        # A thread of its own: a sync Playwright test earlier in the session leaves an event
        # loop set on this one, and anyio refuses to start a second loop in it.
        with ThreadPoolExecutor(1) as pool, pytest.raises(HTTPException) as refused:
            pool.submit(anyio.run, ask).result()
        assert refused.value.status_code == 503
        assert int(refused.value.headers["Retry-After"]) >= 1
        return list(refused.value.detail)

    return call


def failing_store_answer(tmp_path: Path) -> Messages:
    """What POST /api/jobs answers when the store cannot write (the first job too: its row
    is written before the answer)."""
    settings = job_settings(tmp_path)
    jobs = LocalJobBackend(settings, store=DiskFullStore(tmp_path / "runs.sqlite3"))
    with TestClient(create_app(settings, jobs=jobs)) as client:
        r = client.post("/api/jobs", json=QUICK)
        assert r.status_code == 503
        return list(r.json()["detail"])
