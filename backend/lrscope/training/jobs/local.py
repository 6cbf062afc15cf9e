"""The job manager: queue, caps, numbering events, the store, watchers and timeouts.

Where a job runs is its executor's business (``executor.py``): a local worker process by
default (``process_executor``), or a Ray task (``ray_executor``, LRSCOPE_JOB_BACKEND=ray).
A pump thread per job runs it and hands its event batches to the event loop, which numbers
them (``seq``), keeps them in memory for streaming and queues them for the store: this
process alone numbers events and writes the store, whatever the executor. Queued jobs
start in turns across clients (fair_queue.py) within the caps (caps.py). A watchdog
enforces the wall-clock cap, kills jobs that ignore a stop request for longer than the
grace period, and cancels jobs nobody watches. Nothing here knows about HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lrscope.settings import Settings
from lrscope.training.events import done_from_events
from lrscope.training.jobs import caps, worker
from lrscope.training.jobs.backend import EventBatch, JobRefused
from lrscope.training.jobs.data_dir_lock import DataDirLock
from lrscope.training.jobs.executor import Execution, Executor, ExecutorUnavailable
from lrscope.training.jobs.fair_queue import FairQueue
from lrscope.training.jobs.process_executor import ProcessExecutor
from lrscope.training.jobs.store import FINAL_STATUSES, RunStore, SqliteRunStore
from lrscope.training.jobs.store_check import move_aside_if_corrupt
from lrscope.training.jobs.store_writer import StoreWriter

KEEP_FINISHED = 64  # finished jobs kept in memory; older ones are read from the store

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Job:
    id: str
    spec: dict[str, Any]
    client: str  # the starter's client key (web/identity.py): caps and who may stop it
    address: str = ""  # the starter's network address: the per-address cap
    paced: bool = False  # runs in the paced pool (caps.py)
    created: float = field(default_factory=time.time)
    status: str = "queued"
    events: list[dict[str, Any]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    execution: Execution | None = None
    pump: threading.Thread | None = None
    started_at: float | None = None
    stop_reason: str | None = None
    stop_requested_at: float | None = None
    watchers: int = 0
    # Nobody watches (WebSocket) or polls (GET) it since then (at first: its submit).
    unwatched_since: float | None = field(default_factory=time.monotonic)

    @property
    def active(self) -> bool:
        return self.status not in FINAL_STATUSES


class LocalJobBackend:
    """Jobs on ``executor`` (local worker processes by default), at most ``settings.workers``
    at a time."""

    def __init__(
        self, settings: Settings, store: RunStore | None = None, executor: Executor | None = None
    ) -> None:
        self.settings = settings
        self.store: RunStore = store or SqliteRunStore(settings.data_dir / "runs.sqlite3")
        self.executor: Executor = executor or ProcessExecutor(settings)
        self._executor_problem: str | None = None
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._pending: FairQueue[Job] = FairQueue()  # which job runs next: fair_queue.py
        self._running: set[str] = set()
        self._writer = StoreWriter(self.store)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self._closing = False
        self._lock = DataDirLock(settings.data_dir)

    # --- lifecycle ----------------------------------------------------------------------
    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._lock.acquire()  # DataDirInUse when another server has this data dir
        if isinstance(self.store, SqliteRunStore):
            move_aside_if_corrupt(self.store.path)
        self._writer.start()
        self._writer.put(self.store.interrupt_active)
        try:
            await asyncio.to_thread(self.executor.start)
        except ExecutorUnavailable as exc:  # the page still draws schedules; jobs get a 503
            self._executor_problem = str(exc)
            log.error("training jobs are unavailable: %s", exc)
        self._watchdog = asyncio.create_task(self._watch())

    async def stop(self) -> None:
        """Stop every job (marked interrupted), wait for the workers, flush the store."""
        self._closing = True
        if self._watchdog is not None:
            self._watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watchdog
        for job in list(self._pending):
            self._pending.remove(job)
            self._finish_unstarted(job, "shutdown")
        running = [self._jobs[i] for i in self._running]
        for job in running:
            self._request_stop(job, "shutdown")
        deadline = time.monotonic() + self.settings.cancel_grace_s
        for job in running:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(job.finished.wait(), max(0.0, deadline - time.monotonic()))
            if not job.finished.is_set():
                self._kill(job)
                await job.finished.wait()
        for job in running:
            if job.pump is not None:
                await asyncio.to_thread(job.pump.join)
        if self._executor_problem is None:
            await asyncio.to_thread(self.executor.close)
        self._writer.close()
        self.store.close()
        self._lock.release()

    def store_problem(self) -> str | None:
        """Why runs cannot be saved now (the last store write's error), or None."""
        return self._writer.problem

    def backend_problem(self) -> str | None:
        """Why jobs cannot run now (the executor could not start, or has stopped
        answering since), or None."""
        return self._executor_problem or self.executor.problem()

    # --- the interface ------------------------------------------------------------------
    async def submit(self, spec: dict[str, Any], client: str, address: str = "") -> tuple[str, str]:
        """Queue a validated spec for ``client`` (a client key) at ``address``; return
        (id, status). Raise JobRefused when a cap is reached or the store cannot write."""
        if self._closing or self._loop is None:
            raise JobRefused("jobs_not_running")
        problem = self.backend_problem()
        if problem is not None:
            raise JobRefused("job_backend_unavailable", status=503, detail=problem)
        job = Job(secrets.token_urlsafe(9), spec, client, address)
        job.paced = caps.is_paced(self.settings, spec)
        active = [j for j in self._jobs.values() if j.active]
        refused = caps.refusal(self.settings, job, active, [self._jobs[i] for i in self._running])
        if refused is not None:
            raise refused
        self._jobs[job.id] = job  # counted by the caps while its row is written
        try:  # the row is written before the 202: a store that cannot write is a 503 now
            await asyncio.wrap_future(self._writer.call(self.store.create, job.id, spec, client))
        except Exception as exc:
            del self._jobs[job.id]
            detail = f"{type(exc).__name__}: {exc}"
            raise JobRefused("store_unwritable", status=503, detail=detail) from exc
        if self._closing:
            self._finish_unstarted(job, "shutdown")
            return job.id, job.status
        position = 0
        if not self._can_start(job, client):
            self._pending.push(job, client)
            position = self._pending.position(job)
        self._publish(job, [{"type": "status", "status": "queued", "position": position}])
        if not position:
            self._pending.served(client)
            self._launch(job)
        self._trim()
        return job.id, job.status

    def _can_start(self, job: Job, _client: str) -> bool:  # the FairQueue.pop test
        return caps.can_start(self.settings, job, [self._jobs[i] for i in self._running])

    async def events_after(
        self, job_id: str, after: int, wait_s: float = 10.0
    ) -> EventBatch | None:
        """Events with ``seq > after``; wait up to ``wait_s`` for one while the job runs.

        None when there is no such job.
        """
        job = self._jobs.get(job_id)
        if job is None:
            record = await asyncio.to_thread(self.store.get, job_id)
            if record is None:
                return None
            return EventBatch(await asyncio.to_thread(self.store.events, job_id, after), True)
        start = max(after + 1, 0)
        if len(job.events) <= start and job.active:
            changed = job.changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), wait_s)
        return EventBatch(job.events[start:], not job.active)

    async def cancel(self, job_id: str, reason: str = "stopped") -> str | None:
        """Stop a job and wait (up to the grace period) until it has stopped."""
        job = self._jobs.get(job_id)
        if job is None:
            record = await asyncio.to_thread(self.store.get, job_id)
            return record.status if record else None
        if job in self._pending:
            self._pending.remove(job)
            self._finish_unstarted(job, reason)
        elif job.active:
            self._request_stop(job, reason)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(job.finished.wait(), self.settings.cancel_grace_s + 5)
        return job.status

    def status(self, job_id: str) -> str | None:
        job = self._jobs.get(job_id)
        return job.status if job else None

    async def snapshot(self, job_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """The run's record (id, status, spec, created, updated) and all its events."""
        job = self._jobs.get(job_id)
        if job is not None:
            if job.active and job.watchers == 0:  # a poll counts as watching (abandoning)
                job.unwatched_since = time.monotonic()
            record: dict[str, Any] = {"id": job.id, "status": job.status, "spec": job.spec}
            record |= {"created": job.created, "updated": time.time()}
            if job in self._pending:
                record["position"] = self._pending.position(job)  # 1: it starts next
            return record, list(job.events)
        stored = await asyncio.to_thread(self.store.get, job_id)
        if stored is None:
            return None
        return stored.to_json(), await asyncio.to_thread(self.store.events, job_id)

    async def owner(self, job_id: str) -> str | None:
        """The client key of the job's starter, or None when there is no such job."""
        job = self._jobs.get(job_id)
        if job is not None:
            return job.client
        record = await asyncio.to_thread(self.store.get, job_id)
        return record.client if record else None

    def attach(self, job_id: str) -> None:
        job = self._jobs.get(job_id)
        if job is not None:
            job.watchers += 1
            job.unwatched_since = None

    def detach(self, job_id: str) -> None:
        job = self._jobs.get(job_id)
        if job is not None:
            job.watchers = max(0, job.watchers - 1)
            if job.watchers == 0:
                job.unwatched_since = time.monotonic()

    # --- internals ----------------------------------------------------------------------
    def _publish(self, job: Job, events: list[dict[str, Any]]) -> None:
        status = None
        for event in events:
            event["seq"] = len(job.events)
            job.events.append(event)
            if event["type"] in ("done", "status"):
                status = event["status"]
        if status is not None:
            job.status = status
        self._writer.put(self.store.append, job.id, events, status)
        changed, job.changed = job.changed, asyncio.Event()
        changed.set()

    def _dispatch(self) -> None:
        """Start queued jobs while any can start, the clients taking turns (fair_queue.py)."""
        while not self._closing and (job := self._pending.pop(self._can_start)) is not None:
            self._launch(job)

    def _launch(self, job: Job) -> None:
        self._running.add(job.id)
        job.started_at = time.monotonic()
        job.execution = self.executor.launch(job.id, job.spec)
        if job.stop_reason is not None:
            job.execution.stop(worker.STOP_CODES.get(job.stop_reason, 1))
        self._publish(job, [{"type": "status", "status": "running"}])
        job.pump = threading.Thread(
            target=self._pump,
            args=(job, job.execution),
            name=f"lrscope-pump-{job.id}",
            daemon=True,
        )
        job.pump.start()

    def _pump(self, job: Job, execution: Execution) -> None:
        """Run the job, forwarding its batches to the loop, then report how it ended."""
        try:
            ended = execution.run(lambda batch: self._post(self._publish_from_worker, job, batch))
        except Exception as exc:  # an executor's bug must still end the job
            ended = f"the job's executor failed: {type(exc).__name__}: {exc}"
        self._post(self._on_exit, job, ended)

    def _post(self, fn: Callable[..., None], *args: Any) -> None:
        assert self._loop is not None
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody listens
            self._loop.call_soon_threadsafe(fn, *args)

    def _publish_from_worker(self, job: Job, batch: list[dict[str, Any]]) -> None:
        if job.active:  # nothing may follow a done event
            self._publish(job, batch)

    def _on_exit(self, job: Job, ended: str) -> None:
        if job.active:
            reason = job.stop_reason
            if reason is not None:
                done = done_from_events(job.events, _stopped_status(reason), reason)
            else:
                done = done_from_events(job.events, "failed", "error", ended)
            self._publish(job, [done])
        self._running.discard(job.id)
        job.finished.set()
        self._dispatch()

    def _finish_unstarted(self, job: Job, reason: str) -> None:
        self._publish(job, [done_from_events(job.events, _stopped_status(reason), reason)])
        job.finished.set()

    def _request_stop(self, job: Job, reason: str) -> None:
        if job.stop_reason is None:
            job.stop_reason = reason
            job.stop_requested_at = time.monotonic()
        if job.execution is not None:
            job.execution.stop(worker.STOP_CODES.get(job.stop_reason, 1))

    def _kill(self, job: Job) -> None:
        if job.execution is not None:
            job.execution.kill()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(0.2)
            now = time.monotonic()
            for job in list(self._jobs.values()):
                if not job.active:
                    continue
                if (
                    job.unwatched_since is not None
                    and now - job.unwatched_since > self.settings.abandon_after_s
                ):
                    job.unwatched_since = None
                    if job in self._pending:
                        self._pending.remove(job)
                        self._finish_unstarted(job, "abandoned")
                        continue
                    self._request_stop(job, "abandoned")
                if job.id not in self._running or job.started_at is None:
                    continue
                if now - job.started_at > self.settings.job_timeout_s:
                    self._request_stop(job, "time_limit")
                if (
                    job.stop_requested_at is not None
                    and now - job.stop_requested_at > self.settings.cancel_grace_s
                ):
                    self._kill(job)

    def _trim(self) -> None:
        finished = [j for j in self._jobs.values() if not j.active]
        for job in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job.id]


def _stopped_status(reason: str) -> str:
    return "interrupted" if reason == "shutdown" else "cancelled"
