"""Ray job-backend tests' shared parts (no ``ray`` import here: the test modules skip
without it): settings for a job on Ray, and the Ray worker processes running a job."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from lrscope.settings import Settings
from tests.helpers.jobs import job_settings, wait_for

NO_RAY = "Ray is not installed (pip install 'lrscope[ray]'; tests/run.sh installs it)"
# A local Ray small enough for a 2-core machine shared with other work.
LOCAL_RAY: dict[str, Any] = {
    "num_cpus": 2,
    "include_dashboard": False,
    "object_store_memory": 80 * 1024 * 1024,
    "log_to_driver": False,
    "logging_level": "warning",
}


def ray_settings(data_dir: Path, **overrides: Any) -> Settings:
    return replace(job_settings(data_dir), job_backend="ray", **overrides)


def ray_job_pids() -> set[int]:
    """Ray worker processes running a job now (Ray titles them ``ray::ray_job``)."""
    pids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"ray::ray_job"):
                pids.add(int(entry))
    return pids


def all_step_at_once(client: Any, spec: dict[str, Any], clients: int, what: str) -> None:
    """``clients`` clients each start ``spec``; wait until every job steps, then each client
    stops its own (a client may run one job fewer than the workers at once: caps.py)."""
    who = [{"X-Lrscope-Client": f"ray-step-client-{i:04d}"} for i in range(clients)]
    jobs = [client.post("/api/jobs", json=spec, headers=h).json()["id"] for h in who]

    def steps_of(job: str) -> int:
        return len(client.get(f"/api/jobs/{job}").json()["series"]["steps"]["step"])

    wait_for(lambda: all(steps_of(job) > 0 for job in jobs), what)
    for job, h in zip(jobs, who, strict=True):
        assert client.delete(f"/api/jobs/{job}", headers=h).json()["status"] == "cancelled"
