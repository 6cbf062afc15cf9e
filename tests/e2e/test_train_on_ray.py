"""The Train panel on a server whose jobs run on Ray (LRSCOPE_JOB_BACKEND=ray, a local Ray
the server starts): the same page streams a run from a Ray task, stops one, and a finished
run's learning rates are the schedule's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.test_train import (
    CONSTANT,
    SLOW,
    TRACE_LENGTH,
    api_job,
    curves_link,
    panel,
    row,
    start_run,
    wait_status,
    wait_trace_longer,
)
from tests.helpers.browser import Server, open_app, screenshot
from tests.helpers.jobs import read_events, run_async, wait_for
from tests.helpers.ray_jobs import NO_RAY, ray_job_pids
from tests.helpers.servers import serve_subprocess

pytest.importorskip("ray", reason=NO_RAY)
pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def ray_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {
        **os.environ,
        "LRSCOPE_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "LRSCOPE_JOB_BACKEND": "ray",
        "LRSCOPE_WORKERS": "2",
        "RAY_USAGE_STATS_ENABLED": "0",
    }
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serve_subprocess(log, env=env, ready_within_s=240, stop_within_s=60) as served:
        yield Server(served.url, served.process)


def test_the_train_panel_runs_jobs_on_ray(page: Any, ray_server: Server) -> None:
    open_app(page, ray_server.url, curves_link(("constant", CONSTANT), ("slow", SLOW)))
    panel(page).get_by_label("Schedule (curve)").select_option(label="slow")
    slow = start_run(page, task="moons", batch=4)
    wait_trace_longer(page, slow, "train", 1)
    assert ray_job_pids()  # a Ray worker (titled ray::ray_job) is training it
    page.get_by_role("button", name="Stop “slow · lr 0.01 · moons”").click()
    wait_status(page, slow, "cancelled")
    wait_for(lambda: not ray_job_pids(), "the Ray task to end")

    panel(page).get_by_label("Schedule (curve)").select_option(label="constant")
    done = start_run(page)
    wait_status(page, done, "completed")
    page.wait_for_function(f"() => ({TRACE_LENGTH})(['{done}', 'val']) === 30")
    expect(row(page, done).locator(".run-status")).to_have_text("completed")
    page.locator("#train-chart").scroll_into_view_if_needed()
    screenshot(page, "lrscope-train-on-ray")
    job = api_job(ray_server.url, done)
    assert job["status"] == "completed"
    request = {**job["start"]["schedule_request"], "max_points": 0}
    lr = ray_server.post("/api/schedule", request)["groups"][0]["lr"]
    ws = ray_server.url.replace("http", "ws", 1)
    events = run_async(read_events(f"{ws}/ws/jobs/{done}"))
    stepped = [e for e in events if e["type"] in ("step", "metrics")]
    assert len([e for e in stepped if e["type"] == "metrics"]) == 30
    assert [e["lr"][0] for e in stepped] == [lr[e["step"]] for e in stepped]
