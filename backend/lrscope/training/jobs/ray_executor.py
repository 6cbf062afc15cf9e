"""Jobs as Ray tasks (``LRSCOPE_JOB_BACKEND=ray``): the one module that imports ``ray``.

Each job is one task (``ray_job``, one CPU, never retried; a paced job asks only for the share
of a CPU its pace needs, ``ray_cpus``) that runs the same
``worker.event_batches`` as a local worker process and yields its batches as a streaming
generator; the web process reads them as they come and alone numbers events and writes the
store (``local.py``). A stop is a code put on a small ``StopBoard`` actor that the task reads
every ``STOP_POLL_S``; a job that ignores it is killed with ``ray.cancel(force=True)``; a
worker that dies (killed, out of memory, its node gone) ends the stream with a Ray error,
which the manager turns into a ``failed`` done event. Ray reuses its worker processes, so
only a cluster's first jobs pay torch's import.

``LRSCOPE_RAY_ADDRESS`` names the cluster (its head's ``host:port``; this machine must be one
of its nodes); empty starts a local Ray inside the server, with ``settings.workers`` CPUs
(and the paced pool's share beside them), no dashboard and no usage stats.

A cluster that stops answering, or has no CPUs left for jobs (its worker nodes gone), after a
good start is found by a heartbeat every ``HEARTBEAT_S``: health says "degraded" with why,
and new jobs get a 503, until it is back.
"""

from __future__ import annotations

import contextlib
import math
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import ray
import torch
from ray.exceptions import ActorDiedError, RayError
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from lrscope.settings import Limits, Settings
from lrscope.training.events import Event
from lrscope.training.jobs import caps, worker
from lrscope.training.jobs.executor import Deliver, ExecutorUnavailable

STOP_POLL_S = 0.1  # how often a running task asks the board whether to stop
LOCAL_OBJECT_STORE_BYTES = 100 * 1024 * 1024  # a local Ray's object store (events are small)
# ray.init retries an address where nothing answers for ever; a plain TCP connect first
# turns that into a clear error at once.
CONNECT_TIMEOUT_S = 5.0
HEARTBEAT_S = 5.0  # how often the cluster is asked whether it still answers and has CPUs
CPU_STEP = 0.05  # a paced job's CPU share is rounded up to this (Ray keeps 4 decimals)


@ray.remote(num_cpus=0)
class StopBoard:
    """Stop requests for jobs: job id -> a ``worker.STOP_CODES`` value."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}

    def set(self, job_id: str, code: int) -> None:
        self._codes[job_id] = code

    def get(self, job_id: str) -> int:
        return self._codes.get(job_id, 0)

    def forget(self, job_id: str) -> None:
        self._codes.pop(job_id, None)


# SPREAD: jobs go to the least busy nodes rather than filling one node first, so a class's
# jobs share the cluster's machines and every node's workers get warm.
@ray.remote(num_cpus=1, max_retries=0, num_returns="streaming", scheduling_strategy="SPREAD")
def ray_job(
    job_id: str, spec: dict[str, Any], limits: Limits, board: Any, time_limit_s: float
) -> Iterator[list[Event]]:
    """One job on a Ray worker: its event batches, as a local worker would send them."""
    torch.set_num_threads(1)
    deadline = time.monotonic() + time_limit_s
    asked = [-STOP_POLL_S, 0]  # when the board was last asked, and its answer

    def should_stop() -> str | None:
        now = time.monotonic()
        if now - asked[0] >= STOP_POLL_S:
            asked[:] = [now, ray.get(board.get.remote(job_id))]
        if asked[1]:
            return worker.STOP_REASONS.get(int(asked[1]), "stopped")
        if now > deadline:
            return "time_limit"
        return None

    yield from worker.event_batches(spec, limits, should_stop)


def ray_cpus(settings: Settings, spec: dict[str, Any]) -> float:
    """The CPUs a job's task asks Ray for: one, or for a paced job (caps.py) the share of a
    core its pace needs, so paced demos fill a node's CPUs as little as they use them."""
    share = caps.cpu_share(spec)
    if share is None or settings.paced_workers <= 0 or not caps.is_paced(settings, spec):
        return 1.0
    return max(CPU_STEP, math.ceil(share / CPU_STEP) * CPU_STEP)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class RayExecution:
    """One job as one ``ray_job`` task."""

    def __init__(self, executor: RayExecutor, job_id: str, spec: dict[str, Any]) -> None:
        self._executor = executor
        self._job_id = job_id
        self._spec = spec
        self._lock = threading.Lock()
        self._task: Any = None
        self._killed = False

    def run(self, deliver: Deliver) -> str:
        board = self._executor.board
        settings = self._executor.settings
        try:
            with self._lock:
                if self._killed:
                    return "the job was killed before it started"
                task = ray_job.options(num_cpus=ray_cpus(settings, self._spec))
                self._task = task.remote(
                    self._job_id, self._spec, settings.limits, board, settings.job_timeout_s
                )
            for ref in self._task:
                deliver(ray.get(ref))
        except RayError as exc:  # the worker died, its node left, or the task was killed
            return f"the Ray worker running this job ended unexpectedly ({_first_line(exc)})"
        finally:
            board.forget.remote(self._job_id)
        return "the Ray task ended without its done event"

    def stop(self, code: int) -> None:
        self._executor.board.set.remote(self._job_id, code)

    def kill(self) -> None:
        with self._lock:
            self._killed = True
            task = self._task
        if task is not None:
            try:
                ray.cancel(task, force=True)
            except RayError:
                return  # already ended


class RayExecutor:
    """A Ray cluster: the one at ``settings.ray_address``, or a local one started here."""

    name = "ray"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._owns_ray = False
        self._board: Any = None
        self._problem: str | None = None
        self._stopping = threading.Event()
        self._heartbeat: threading.Thread | None = None

    @property
    def board(self) -> Any:
        assert self._board is not None, "start() first"
        return self._board

    def start(self) -> None:
        """Connect to the cluster (or start a local Ray) and create the stop board."""
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no network at run time
        address = self.settings.ray_address.strip()
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        try:
            if not ray.is_initialized():  # a test (or the host program) may have started one
                _check_reachable(address)
                ray.init(**_init_arguments(address, self.settings))
                self._owns_ray = True
            self._board = _new_board()
            ray.get(self._board.get.remote(""))  # the cluster answers, or this raises
        except (OSError, RuntimeError, ValueError, RayError) as exc:
            self.close()
            raise ExecutorUnavailable(f"cannot use {where}: {_first_line(exc)}") from exc
        self._stopping.clear()
        self._heartbeat = threading.Thread(target=self._beat, name="lrscope-ray-heartbeat")
        self._heartbeat.daemon = True
        self._heartbeat.start()

    def problem(self) -> str | None:
        return self._problem

    def _beat(self) -> None:
        while not self._stopping.wait(HEARTBEAT_S):
            self._problem = self._check()

    def _check(self) -> str | None:
        """Why jobs cannot run on the cluster now, or None."""
        try:
            ray.get(self.board.get.remote(""), timeout=HEARTBEAT_S)
            cpus = ray.cluster_resources().get("CPU", 0)
        except (AssertionError, RuntimeError, RayError) as exc:
            if isinstance(exc, ActorDiedError):  # its node (this one) restarted
                self._board = _new_board()
            return f"the Ray cluster stopped answering ({_first_line(exc)})"
        if cpus <= 0:
            return "no node of the Ray cluster offers a CPU for jobs (are its workers gone?)"
        return None

    def close(self) -> None:
        self._stopping.set()
        beat, self._heartbeat = self._heartbeat, None
        if beat is not None:
            beat.join(HEARTBEAT_S * 2 + 5)
        board, self._board = self._board, None
        if board is not None:
            with contextlib.suppress(RayError, ValueError):  # the cluster is gone already
                ray.kill(board)
        if self._owns_ray:
            ray.shutdown()
            self._owns_ray = False

    def launch(self, job_id: str, spec: dict[str, Any]) -> RayExecution:
        return RayExecution(self, job_id, spec)


def _new_board() -> Any:
    """A stop board on this server's own Ray node: a worker node that leaves the cluster
    must not take every job's stop requests with it."""
    here = ray.get_runtime_context().get_node_id()
    strategy = NodeAffinitySchedulingStrategy(node_id=here, soft=False)
    return StopBoard.options(scheduling_strategy=strategy).remote()  # type: ignore[attr-defined]


def _check_reachable(address: str) -> None:
    """Raise OSError when nothing accepts a connection at ``host:port`` (no-op for a local
    Ray, and for the names Ray resolves itself: ``auto``, ``local``, ``ray://...``)."""
    host, sep, port = address.rpartition(":")
    if not address or not sep or not port.isdigit() or "://" in address:
        return
    with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S):
        pass


def _init_arguments(address: str, settings: Settings) -> dict[str, Any]:
    quiet = {"log_to_driver": False, "logging_level": "warning"}
    if address:
        return {"address": address, **quiet}
    # The CPU workers, and beside them the paced pool's share (as the local backend runs
    # paced jobs beside the CPU workers): paced demos never wait for a full-speed job.
    paced = math.ceil(max(0, settings.paced_workers) * settings.paced_max_cpu)
    return {
        "address": "local",  # never a cluster that RAY_ADDRESS happens to name
        "num_cpus": max(1, settings.workers) + paced,
        "include_dashboard": False,
        "object_store_memory": LOCAL_OBJECT_STORE_BYTES,
        **quiet,
    }


def make_executor(settings: Settings) -> RayExecutor:
    return RayExecutor(settings)
