"""The job-backend interface the web layer talks to: ``local.LocalJobBackend``, the job
manager, on an executor (local worker processes, or Ray tasks: ``factory.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from lrscope.messages import message
from lrscope.training.jobs.store import RunStore

RETRY_AFTER_S = 5


class JobRefused(Exception):
    """The job cannot be taken now; try again after ``retry_after`` seconds."""

    def __init__(
        self, code: str, retry_after: int = RETRY_AFTER_S, status: int = 429, **params: str
    ) -> None:
        self.item = message(code, **params)  # {"code", "params", "msg"} (messages.py)
        super().__init__(self.item["msg"])
        self.retry_after = retry_after
        self.status = status  # 429: this client or the queue is full; 503: the server


@dataclass(frozen=True)
class EventBatch:
    events: list[dict[str, Any]]
    finished: bool  # no event will follow these


class JobBackend(Protocol):
    """What the web layer needs from a job runner (local processes, or e.g. Ray)."""

    store: RunStore

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def submit(
        self, spec: dict[str, Any], client: str, address: str = ""
    ) -> tuple[str, str]: ...
    async def owner(self, job_id: str) -> str | None: ...
    async def events_after(
        self, job_id: str, after: int, wait_s: float = 10.0
    ) -> EventBatch | None: ...
    async def cancel(self, job_id: str, reason: str = "stopped") -> str | None: ...
    def status(self, job_id: str) -> str | None: ...
    async def snapshot(self, job_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None: ...
    def attach(self, job_id: str) -> None: ...
    def detach(self, job_id: str) -> None: ...
    def store_problem(self) -> str | None: ...
    def backend_problem(self) -> str | None: ...
