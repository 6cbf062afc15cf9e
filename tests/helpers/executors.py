"""Job-backend test parts: an executor that cannot start (as an unreachable Ray cluster),
the app's answer then, and a job run through an app to its done event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from lrscope.settings import Settings
from lrscope.training.jobs.executor import ExecutorUnavailable
from lrscope.training.jobs.local import LocalJobBackend
from lrscope.web.app import create_app
from tests.helpers.jobs import QUICK, job_settings, read_to_done

Messages = list[dict[str, Any]]
UNREACHABLE = "cannot use the Ray cluster at 10.0.0.1:6379: ConnectionError: no answer"


class UnavailableExecutor:
    """Fails to start, as a Ray executor does when its cluster does not answer."""

    name = "unavailable"

    def start(self) -> None:
        raise ExecutorUnavailable(UNREACHABLE)

    def close(self) -> None:
        raise AssertionError("an executor that never started is not closed")

    def problem(self) -> str | None:
        raise AssertionError("an executor that never started is not asked again")

    def launch(self, job_id: str, spec: dict[str, Any]) -> Any:
        raise AssertionError("no job may be launched on an executor that never started")


def unavailable_answer(tmp_path: Path) -> tuple[dict[str, Any], int, Messages]:
    """Health, and the status and items of POST /api/jobs, when the executor cannot start."""
    settings = job_settings(tmp_path)
    jobs = LocalJobBackend(settings, executor=UnavailableExecutor())
    with TestClient(create_app(settings, jobs=jobs)) as client:
        health = client.get("/api/health").json()
        r = client.post("/api/jobs", json=QUICK)
        return health, r.status_code, list(r.json()["detail"])


def unavailable_items(tmp_path: Path) -> Messages:
    return unavailable_answer(tmp_path)[2]


def served_events(settings: Settings, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every event of one job run to its end through an app with ``settings``."""
    with TestClient(create_app(settings)) as client:
        r = client.post("/api/jobs", json=spec)
        assert r.status_code == 202, r.text
        with client.websocket_connect(f"/ws/jobs/{r.json()['id']}") as ws:
            return read_to_done(ws)
