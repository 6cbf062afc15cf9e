"""Property-based API tests generated from the OpenAPI schema: no input yields a 5xx.

Schemathesis builds requests, valid and invalid, for every HTTP operation the app declares
and checks each response: never a server error, and documented status codes and bodies.
Training jobs go to a stand-in backend that accepts them without training, so job routes
are exercised (spec validation included) without starting worker processes.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from lrscope.settings import Limits, Settings
from lrscope.web.app import create_app


class _NoRuns:
    def recent(self, limit: int, client: str | None = None) -> list[Any]:
        return []


class AcceptingJobs:
    """A job backend that takes every job and runs none."""

    store = _NoRuns()

    def __init__(self) -> None:
        self._ids = itertools.count()

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def submit(self, spec: dict[str, Any], client: str, address: str = "") -> tuple[str, str]:
        return f"job{next(self._ids)}", "queued"

    async def owner(self, job_id: str) -> str | None:
        return None

    async def events_after(self, job_id: str, after: int, wait_s: float = 10.0) -> None:
        return None

    async def cancel(self, job_id: str, reason: str = "stopped") -> str | None:
        return None

    def status(self, job_id: str) -> str | None:
        return None

    async def snapshot(self, job_id: str) -> None:
        return None

    def attach(self, job_id: str) -> None:
        pass

    def detach(self, job_id: str) -> None:
        pass

    def store_problem(self) -> str | None:
        return None

    def backend_problem(self) -> str | None:
        return None


# Small caps keep every generated run quick; the checks are about shapes, not sizes.
SETTINGS = Settings(
    data_dir=Path(tempfile.mkdtemp(prefix="lrscope-schemathesis-")),
    limits=Limits(max_total_steps=20_000, max_body_bytes=100_000),
    prewarm_workers=False,
    allowed_hosts=("testserver",),  # the Host the ASGI client sends, loading the schema too
)
APP = create_app(SETTINGS, jobs=AcceptingJobs())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# A schema-valid spec may still be refused: the schema cannot say that epochs x
# steps_per_epoch is capped, nor what a scheduler's open arguments must be.
EXCLUDED = [checks.positive_data_acceptance]
# Known and reported, none a server error; drop an entry once it is fixed.
# - Job routes: 404 for an unknown job is not declared in the schema, and TrainSpec
#   accepts JSON true/false for integers ("seed": false).
JOB_EXCLUDED = [checks.status_code_conformance, checks.negative_data_rejection]
# - Job routes do not declare 413 for a body over the size cap.
UNDECLARED = {413}


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, response.text
    if response.status_code in UNDECLARED:
        assert response.json()["detail"], response.text
        return
    jobs = case.operation.path.startswith("/api/jobs")
    case.validate_response(response, excluded_checks=EXCLUDED + (JOB_EXCLUDED if jobs else []))
