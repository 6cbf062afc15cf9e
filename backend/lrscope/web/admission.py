"""Admission control for heavy evaluation: a capacity limiter sized to the cores, a bounded
queue, a memory budget by estimated response size, and a deadline per request.

Cheap requests (health, the catalog, cache hits) never come here, so they never wait behind
evaluation; an evaluation that cannot be admitted gets a 503 with a real ``Retry-After``.
The work itself runs in a worker process (evaluation_pool.py), one per capacity token, so
it never holds the web process's GIL; its answer's share of the memory budget is held
until the answer has been sent (``Held``), not only until it is computed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
from anyio import to_thread
from fastapi import HTTPException, Request

from lrscope.engine import deadline
from lrscope.errors import error
from lrscope.web.evaluation_pool import EvaluationPool, WorkerLost, shared_pool

T = TypeVar("T")
# Memory one exact value costs on its way out, measured: a 2M-point, one-group answer
# (lists, arrays, the result dict, the encoded body) peaks near 190 MB.
BYTES_PER_VALUE = 100


@dataclass
class Held:
    """The bytes of the memory budget an answer holds until it has been sent."""

    admission: Admission
    size: int
    released: bool = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.admission.reserved_bytes -= self.size


class Admission:
    """Runs heavy work in worker processes, at most ``workers`` at once, ``queue`` waiting."""

    def __init__(
        self,
        workers: int,
        queue: int,
        budget_bytes: int,
        deadline_s: float,
        pool: EvaluationPool | None = None,
    ) -> None:
        self.pool = pool or shared_pool()
        self.workers = max(1, workers)
        self.queue = max(0, queue)
        self.budget_bytes = budget_bytes
        self.deadline_s = deadline_s
        self.limiter = anyio.CapacityLimiter(self.workers)
        self.admitted = 0
        self.reserved_bytes = 0
        self._mean_s = 0.05  # running mean of one evaluation's duration, for Retry-After

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue ahead, drained at the mean rate."""
        ahead = max(0, self.admitted - self.workers + 1)
        return max(1, math.ceil(self._mean_s * ahead / self.workers))

    def _refuse(self, code: str, **params: str) -> HTTPException:
        retry = str(self.retry_after())
        item = error((), code, "busy", retry_after=retry, **params)
        return HTTPException(503, [item], headers={"Retry-After": retry})

    def warm(self) -> None:
        """Start the worker processes now (blocking: seconds on a cold fork server)."""
        self.pool.warm(self.workers)

    async def run(
        self, request: Request, estimate_bytes: int, work: Callable[..., T], *args: Any
    ) -> tuple[T, Held]:
        """``work(*args)`` in a worker process under a deadline, cancelled if the client
        leaves (``work`` and ``args`` must pickle: a module-level function). Returns its
        value and the memory it holds: ``release()`` that once the answer is sent."""
        if self.admitted >= self.workers + self.queue:
            raise self._refuse("evaluation_busy")
        if self.reserved_bytes and self.reserved_bytes + estimate_bytes > self.budget_bytes:
            raise self._refuse("evaluation_memory", mb=f"{self.budget_bytes // 1_000_000:,}")
        self.admitted += 1
        self.reserved_bytes += estimate_bytes
        held = Held(self, estimate_bytes)
        token = deadline.Deadline(self.deadline_s)
        try:
            return await self._run_watched(request, token, work, args), held
        except BaseException as exc:
            held.release()  # no answer to send: its memory is free now
            if isinstance(exc, deadline.EvaluationCancelled):
                seconds = f"{self.deadline_s:g}"
                item = error((), f"evaluation_{exc.reason}", "deadline", seconds=seconds)
                raise HTTPException(503, [item], headers={"Retry-After": "1"}) from exc
            if isinstance(exc, WorkerLost):
                item = error((), "evaluation_worker_lost", "busy", retry_after="1")
                raise HTTPException(503, [item], headers={"Retry-After": "1"}) from exc
            raise
        finally:
            self.admitted -= 1

    async def _run_watched(
        self,
        request: Request,
        token: deadline.Deadline,
        work: Callable[..., T],
        args: tuple[Any, ...],
    ) -> T:
        # The work's own exception is kept aside and raised after the task group, so it
        # comes out as itself rather than wrapped in an ExceptionGroup.
        outcome: list[T] = []
        failure: list[Exception] = []
        async with anyio.create_task_group() as group:
            group.start_soon(_watch_client, request, token)
            try:
                outcome.append(
                    await to_thread.run_sync(self._timed, token, work, args, limiter=self.limiter)
                )
            except Exception as exc:
                failure.append(exc)
            group.cancel_scope.cancel()
        if failure:
            raise failure[0]
        return outcome[0]

    def _timed(self, token: deadline.Deadline, work: Callable[..., T], args: tuple[Any, ...]) -> T:
        # The deadline counts from admission: time spent queued is part of the wait.
        start = time.monotonic()
        token.check()
        result = self.pool.call(token, work, *args)
        self._mean_s = 0.8 * self._mean_s + 0.2 * (time.monotonic() - start)
        return result


async def _watch_client(request: Request, token: deadline.Deadline) -> None:
    """Cancel the evaluation when the client disconnects (polled; the body is already read)."""
    while not token.cancelled:
        if await request.is_disconnected():
            token.cancel()
            return
        await anyio.sleep(0.25)


def estimate_response_bytes(values: int) -> int:
    """What evaluating and encoding ``values`` exact values (steps x groups) costs."""
    return values * BYTES_PER_VALUE
