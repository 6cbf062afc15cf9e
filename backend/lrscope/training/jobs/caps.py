"""Who may queue and who may run: the caps on training jobs, and the pools they run in.

At submit (``refusal``): a client (its token's key) may have ``jobs_per_client`` unfinished
jobs, all clients behind one address ``jobs_per_ip`` together (a class behind one NAT is
thirty clients, not one), and at most ``queue_size`` jobs wait. A refusal's Retry-After is
the soonest one of the running jobs that matter ends, estimated from their progress
(``eta.py``), not a constant.

At start (``can_start``): a job needs a free slot in its pool and its client may run at most
``settings.running_cap(slots)`` jobs there (one fewer than the slots by default), so one
client never holds every worker.

The pools: a paced job (its ``steps_per_second`` needs at most ``paced_max_cpu`` of a core,
estimated from its model and batch by ``cpu_share``) spends most of its time asleep in the
loop's pacing, so it does not take one of the ``workers`` CPU slots (one class's slow demos
would otherwise hold every core idle for minutes); it takes one of ``paced_workers`` slots,
a pool of its own. With ``paced_workers = 0`` paced jobs share the CPU workers like any
other. A slow pace alone is not enough: the largest model at batch 256 needs ~15 ms a step
(``bench/paced.py``), so 50 steps a second keeps a core busy.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any, Protocol

from lrscope.settings import Settings
from lrscope.training.jobs.backend import JobRefused
from lrscope.training.jobs.eta import remaining_s, retry_after_s
from lrscope.training.spec import TASKS


class CappedJob(Protocol):
    """What the caps read of a job (``local.Job``)."""

    @property
    def client(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def paced(self) -> bool: ...
    @property
    def status(self) -> str: ...
    @property
    def spec(self) -> dict[str, Any]: ...
    @property
    def events(self) -> list[dict[str, Any]]: ...
    @property
    def started_at(self) -> float | None: ...


# A step's CPU cost: a fixed part (torch dispatch, the loop: ~1.4 ms measured for the
# page's default run) and multiply-adds at a rate one core reaches with room to spare
# (~17e9/s measured for the largest model; bench/paced.py prints both).
STEP_OVERHEAD_S = 0.0015
MACS_PER_S = 1e10


def cpu_share(spec: dict[str, Any]) -> float | None:
    """The share of a core a job's pace needs (None: it has no pace), from the MLP's
    multiply-adds per sample, the batch (forward and backward) and validation per epoch."""
    rate = spec.get("steps_per_second")
    if rate is None:
        return None
    task, model = spec.get("task") or {}, spec.get("model") or {}
    d = TASKS.get(task.get("name", "overfit"), TASKS["overfit"])
    width, depth = model.get("width") or d.width, model.get("depth") or d.depth
    train_size, val_size = (
        task.get("train_size") or d.train_size,
        task.get("val_size") or d.val_size,
    )
    batch = min(spec.get("batch_size") or 32, train_size)
    macs = d.inputs * width + (depth - 1) * width * width + width * d.outputs
    steps_per_epoch = math.ceil(train_size / batch)
    per_step = 3 * batch * macs + val_size * macs / steps_per_epoch
    return float(rate) * (STEP_OVERHEAD_S + per_step / MACS_PER_S)


def is_paced(settings: Settings, spec: dict[str, Any]) -> bool:
    share = cpu_share(spec)
    return share is not None and share <= settings.paced_max_cpu


def pool_of(settings: Settings, job: CappedJob) -> tuple[str, int]:
    """The job's pool and its number of slots."""
    if job.paced and settings.paced_workers > 0:
        return "paced", settings.paced_workers
    return "cpu", settings.workers


def can_start(settings: Settings, job: CappedJob, running: Sequence[CappedJob]) -> bool:
    """A slot of the job's pool is free and its client runs fewer than its cap there."""
    pool, slots = pool_of(settings, job)
    there = [r for r in running if pool_of(settings, r)[0] == pool]
    mine = sum(1 for r in there if r.client == job.client)
    return len(there) < slots and mine < settings.running_cap(slots)


def refusal(
    settings: Settings,
    job: CappedJob,
    active: Sequence[CappedJob],
    running: Sequence[CappedJob],
) -> JobRefused | None:
    """Why ``job`` cannot be queued now (``active``: the unfinished jobs), or None."""
    mine = [j for j in active if j.client == job.client]
    if len(mine) >= settings.jobs_per_client:
        return _refused("too_many_jobs_per_client", settings, mine, running,
                        count=str(len(mine)), limit=str(settings.jobs_per_client))  # fmt: skip
    here = [j for j in active if job.address and j.address == job.address]
    if len(here) >= settings.jobs_per_ip:
        return _refused("too_many_jobs_per_ip", settings, here, running,
                        count=str(len(here)), limit=str(settings.jobs_per_ip))  # fmt: skip
    waiting = sum(1 for j in active if j.status == "queued")
    if waiting >= settings.queue_size and not can_start(settings, job, running):
        return _refused("job_queue_full", settings, [], running, size=str(settings.queue_size))
    return None


def _refused(
    code: str,
    settings: Settings,
    jobs: Sequence[CappedJob],
    running: Sequence[CappedJob],
    **params: str,
) -> JobRefused:
    wait = retry_after(settings, jobs, running)
    return JobRefused(code, wait, 429, **params, wait=str(wait))


def retry_after(settings: Settings, jobs: Sequence[CappedJob], running: Sequence[CappedJob]) -> int:
    """Seconds until the first of ``jobs`` that runs ends; when none of them runs, the
    first of all running jobs (then the next queued job can start)."""
    now = time.monotonic()
    ours = [j for j in running if any(j is k for k in jobs)] or list(running)
    timeout = settings.job_timeout_s
    left = (
        remaining_s(j.events, now - (j.started_at or now), timeout, j.spec.get("steps_per_second"))
        for j in ours
    )
    return retry_after_s(left, timeout)
