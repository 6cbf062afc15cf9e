"""Training jobs on each backend, side by side: jobs a minute and time to first event.

- local: worker processes forked from the warm fork server (LRSCOPE_JOB_BACKEND=local),
  the baseline;
- ray: one-CPU Ray tasks on a local Ray started in this process (LRSCOPE_JOB_BACKEND=ray,
  empty LRSCOPE_RAY_ADDRESS), with as many CPUs as local has workers;
- cluster 1 node / 2 nodes: a ``ray.cluster_utils.Cluster`` on this machine, one CPU a
  node, reached by its address as a real deployment is (the server as a Ray driver).

Each backend runs the same batch of short jobs through the job manager (``submit``, then
``events_after`` to the end, as the WebSocket route reads them), after one warm-up job per
worker slot that is not counted (it pays a fresh worker's torch import). Printed per
backend: jobs a minute for the batch (submitted at once, ``workers`` at a time), and, over
jobs run one at a time on the idle backend, the median time from ``submit`` to the job's
first event from its executor (``start``), to its first training event and to its end.
Ratios are against local (the 2-node row: against 1 node), measured in the same run.

    python bench/jobs.py [--jobs N] [--quick]

Simulated nodes share this machine's cores: 2 nodes show the scheduling across nodes
working (and its overhead), not more hardware.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

SPEC: dict[str, Any] = {
    "scheduler": {"type": "StepLR", "step_size": 5, "gamma": 0.5},
    "epochs": 20,
    "task": {"name": "moons", "train_size": 128, "val_size": 64},
    "batch_size": 16,
}
LATENCY_JOBS = 3
NODE: dict[str, Any] = {"num_cpus": 1, "object_store_memory": 80 * 1024 * 1024}


@dataclass
class Result:
    name: str
    jobs: int
    seconds: float
    first_event: list[float]
    first_step: list[float]
    whole: list[float]

    @property
    def per_minute(self) -> float:
        return self.jobs * 60 / self.seconds


async def one_job(jobs: Any, client: str) -> tuple[float, float, float]:
    """Run one job to its end; seconds to its first ``start`` event, to its first training
    event and to its end."""
    t0 = time.perf_counter()
    submitted = jobs.submit(dict(SPEC), client)
    if inspect.isawaitable(submitted):  # submit became a coroutine with fair admission
        submitted = await submitted
    job_id, _ = submitted
    first_event = first_step = None
    after = -1
    while True:
        batch = await jobs.events_after(job_id, after, wait_s=5.0)
        now = time.perf_counter() - t0
        for event in batch.events:
            after = event["seq"]
            if event["type"] == "start" and first_event is None:
                first_event = now
            if event["type"] in ("step", "metrics") and first_step is None:
                first_step = now
            if event["type"] == "done":
                assert event["status"] == "completed", event
        if batch.finished:
            assert first_event is not None and first_step is not None
            return first_event, first_step, now


async def measure(name: str, settings: Any, count: int) -> Result:
    from lrscope.training.jobs.factory import make_job_backend

    jobs = make_job_backend(settings)
    await jobs.start()
    try:
        assert jobs.backend_problem() is None, jobs.backend_problem()
        # One warm-up job per worker slot, at once: a fresh worker's imports are not counted.
        await asyncio.gather(*(one_job(jobs, f"w{i}") for i in range(settings.workers)))
        # Time to first event: jobs one at a time on an idle backend (no queueing).
        times = [await one_job(jobs, "alone") for _ in range(LATENCY_JOBS)]
        t0 = time.perf_counter()
        # One client per job: the per-client cap is not what is measured.
        await asyncio.gather(*(one_job(jobs, f"c{i}") for i in range(count)))
        seconds = time.perf_counter() - t0
    finally:
        await jobs.stop()
    return Result(name, count, seconds, *([t[i] for t in times] for i in range(3)))


def settings_for(data_dir: Path, workers: int, **extra: Any) -> Any:
    from lrscope.settings import Settings

    return Settings(
        data_dir=data_dir,
        workers=workers,
        queue_size=1000,
        jobs_per_client=1000,
        prewarm_workers=True,
        **extra,
    )


async def run_all(count: int, tmp: Path) -> list[Result]:
    import ray
    from ray.cluster_utils import Cluster

    ray_local = settings_for(tmp / "ray", 2, job_backend="ray")
    results = [
        await measure("local (2 processes)", settings_for(tmp / "local", 2), count),
        await measure("ray, local (2 CPUs)", ray_local, count),
    ]
    assert not ray.is_initialized()
    cluster = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    try:
        address = cluster.address
        one = settings_for(tmp / "c1", 1, job_backend="ray", ray_address=address)
        results.append(await measure("cluster, 1 node (1 CPU)", one, count))
        cluster.add_node(**NODE)
        cluster.wait_for_nodes()
        two = settings_for(tmp / "c2", 2, job_backend="ray", ray_address=address)
        results.append(await measure("cluster, 2 nodes (1 CPU each)", two, count))
    finally:
        cluster.shutdown()
    return results


def report(results: list[Result]) -> None:
    local, one_node = results[0], results[2]
    print(
        f"{'backend':32} {'jobs/min':>9} {'ratio':>7} {'first event':>12} {'first step':>11}"
        f" {'one job':>8}"
    )
    for r in results:
        baseline = one_node if r.name.startswith("cluster, 2") else local
        print(
            f"{r.name:32} {r.per_minute:9.1f} {r.per_minute / baseline.per_minute:6.2f}x"
            f" {statistics.median(r.first_event):11.3f}s {statistics.median(r.first_step):10.3f}s"
            f" {statistics.median(r.whole):7.3f}s"
        )
    print(
        "ratio: jobs/min against local (2 processes); the 2-node row against the 1-node row."
        f"\nfirst event / first step / one job: median of {LATENCY_JOBS} jobs run one at a time,"
        " seconds from submit to the job's start event, its first training event, its end."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8, help="jobs a batch (default 8)")
    parser.add_argument("--quick", action="store_true", help="4 jobs a batch")
    args = parser.parse_args()
    count = 4 if args.quick else args.jobs
    with tempfile.TemporaryDirectory() as tmp:
        report(asyncio.run(run_all(count, Path(tmp))))


if __name__ == "__main__":
    main()
