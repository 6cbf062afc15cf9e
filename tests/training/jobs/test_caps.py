"""Caps and pools (``training/jobs/caps.py``) and the time a job still needs (``eta.py``):
a client runs fewer jobs than there are workers, a paced job takes a slot of its own pool
and no CPU worker, an address has a cap of its own, and a refusal's Retry-After comes from
the running jobs' progress."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from lrscope.settings import Settings
from lrscope.training.jobs.caps import can_start, cpu_share, is_paced, refusal
from lrscope.training.jobs.eta import UNKNOWN_S, remaining_s, retry_after_s


@dataclass
class FakeJob:
    client: str
    address: str = "10.0.0.1"
    paced: bool = False
    status: str = "queued"
    spec: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    started_at: float | None = None


def _settings(**overrides: Any) -> Settings:
    base = Settings(data_dir=Path("/nonexistent"), workers=2, paced_workers=3)
    return replace(base, **overrides)


def test_one_client_never_holds_every_worker() -> None:
    settings = _settings()
    running = [FakeJob("a", status="running")]
    assert not can_start(settings, FakeJob("a"), running)  # 1 of 2 workers: a's cap
    assert can_start(settings, FakeJob("b"), running)
    assert not can_start(settings, FakeJob("c"), [*running, FakeJob("b", status="running")])
    assert can_start(replace(settings, running_per_client=2), FakeJob("a"), running)
    assert can_start(replace(settings, workers=1), FakeJob("a"), [])  # at least one


def test_paced_jobs_take_no_cpu_worker() -> None:
    settings = _settings()
    busy = [FakeJob("a", status="running"), FakeJob("b", status="running")]
    assert not can_start(settings, FakeJob("c"), busy)  # both CPU workers busy
    assert can_start(settings, FakeJob("c", paced=True), busy)  # the paced pool is free
    paced = [FakeJob(c, paced=True, status="running") for c in "xyz"]
    assert not can_start(settings, FakeJob("w", paced=True), paced)  # 3 paced slots
    assert can_start(settings, FakeJob("w"), paced)  # and they take no CPU worker
    shared = replace(settings, paced_workers=0)  # no paced pool: they share the workers
    assert not can_start(shared, FakeJob("c", paced=True), busy)
    assert is_paced(settings, {"steps_per_second": 10})
    assert not is_paced(settings, {"steps_per_second": 1000}) and not is_paced(settings, {})


def test_a_slow_pace_of_a_big_model_is_not_paced() -> None:
    """Pace alone is not enough: the largest model at batch 256 keeps a core busy at 50
    steps a second (bench/paced.py measures ~13 ms a step), the page's default run not."""
    big = {
        "task": {"name": "spirals", "train_size": 5000},
        "model": {"width": 256, "depth": 6},
        "batch_size": 256,
    }
    settings = _settings()
    assert not is_paced(settings, {**big, "steps_per_second": 50})
    assert is_paced(settings, {**big, "steps_per_second": 2})
    page = {"task": {"name": "overfit"}, "epochs": 100, "steps_per_second": 13}
    share = cpu_share(page)
    assert share is not None and share < 0.05
    assert cpu_share({"task": {"name": "overfit"}}) is None


def test_an_address_has_a_cap_for_everyone_behind_it() -> None:
    settings = _settings(jobs_per_client=2, jobs_per_ip=3)
    active = [FakeJob(c) for c in "abc"]
    refused = refusal(settings, FakeJob("d"), active, [])
    assert refused is not None and refused.item["code"] == "too_many_jobs_per_ip"
    assert refused.item["params"]["count"] == "3" and refused.item["params"]["limit"] == "3"
    assert refusal(settings, FakeJob("d", address="10.0.0.2"), active, []) is None
    mine = refusal(settings, FakeJob("a", address="x"), [*active, FakeJob("a")], [])
    assert mine is not None and mine.item["code"] == "too_many_jobs_per_client"


def test_a_full_queue_refuses_only_a_job_that_must_wait() -> None:
    settings = _settings(queue_size=1, jobs_per_ip=100)
    active = [FakeJob("a", status="running"), FakeJob("a")]
    refused = refusal(settings, FakeJob("a"), active, active[:1])
    assert refused is not None and refused.item["code"] == "job_queue_full"
    assert refusal(settings, FakeJob("b"), active, active[:1]) is None  # a worker is free


def _progress(total: int, done: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [{"type": "start", "num_steps": total}]
    if done:
        events.append({"type": "metrics", "step": done - 1})
    return events


def test_remaining_time_from_progress() -> None:
    assert remaining_s(_progress(100, 25), 10.0, 600, None) == pytest.approx(30.0)
    assert remaining_s(_progress(100, 25), 590.0, 600, None) == pytest.approx(10.0)  # the cap
    assert remaining_s(_progress(100, 0), 0.0, 600, 2.0) == pytest.approx(50.0)  # its pace
    assert remaining_s(_progress(100, 90), 1.0, 600, 1.0) == pytest.approx(10.0)
    assert remaining_s([], 1.0, 600, None) == UNKNOWN_S  # nothing known yet
    assert remaining_s(_progress(100, 100), 5.0, 600, None) == 0.0


def test_retry_after_is_the_first_job_to_end() -> None:
    assert retry_after_s([120.2, 30.5, 400.0], 600) == 31
    assert retry_after_s([0.0], 600) == 1
    assert retry_after_s([1e9], 600) == 600
    assert retry_after_s([], 600) == UNKNOWN_S


def test_a_refusal_waits_for_the_callers_own_running_job() -> None:
    settings = _settings(jobs_per_client=1)
    began = time.monotonic() - 100  # both started 100 s ago
    mine = FakeJob("a", status="running", events=_progress(1000, 500), started_at=began)
    other = FakeJob("b", status="running", events=_progress(1000, 999), started_at=began)
    refused = refusal(settings, FakeJob("a"), [mine, other], [mine, other])
    assert refused is not None
    # a's job is half done after 100 s: about 100 s more, though b's ends in a moment.
    assert 100 <= refused.retry_after <= 110
    assert refused.item["params"]["wait"] == str(refused.retry_after)
