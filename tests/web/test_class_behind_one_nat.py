"""A class of thirty browsers behind one address (issue 11 §3), on a real server: each
browser gets its own client token (an HttpOnly, SameSite=Strict cookie), so each can start
a job; the queue serves the clients in turns, not first come first served; a browser's
fifth job is refused with a true message; only a job's starter or the admin can stop it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.jobs import LONG, job_settings, wait_for
from tests.helpers.servers import InThreadServer

ADMIN = "teacher-" + "x" * 24
# Paced to one step a second: it runs for as long as the test needs and costs no CPU. With
# paced_workers=0 paced jobs take the CPU workers like any other, so the queue is exercised.
SLOW = {**LONG, "steps_per_second": 1}


@pytest.fixture
def classroom(tmp_path: Path) -> Iterator[tuple[InThreadServer, list[httpx.Client]]]:
    settings = job_settings(
        tmp_path,
        workers=2,
        paced_workers=0,
        queue_size=40,
        jobs_per_client=4,
        jobs_per_ip=64,
        admin_token=ADMIN,
        abandon_after_s=600,
    )
    with InThreadServer(settings) as server, ExitStack() as stack:
        browsers = [
            stack.enter_context(httpx.Client(base_url=server.http, timeout=60)) for _ in range(30)
        ]
        yield server, browsers


def _start(browser: httpx.Client) -> str:
    response = browser.post("/api/jobs", json=SLOW)
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def _run(browser: httpx.Client, job: str) -> dict[str, Any]:
    return browser.get(f"/api/jobs/{job}").json()  # type: ignore[no-any-return]


def test_thirty_browsers_behind_one_address(
    classroom: tuple[InThreadServer, list[httpx.Client]],
) -> None:
    _, browsers = classroom
    first = browsers[0].get("/api/health")
    cookie = first.headers["set-cookie"]
    assert "lrscope_client=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    tokens = {b.get("/api/health") and b.cookies["lrscope_client"] for b in browsers}
    assert len(tokens) == 30  # one token per browser, each its own

    keen = [_start(browsers[0]) for _ in range(4)]
    refused = browsers[0].post("/api/jobs", json=SLOW)
    assert refused.status_code == 429 and refused.headers["retry-after"].isdigit()
    (item,) = refused.json()["detail"]
    assert item["code"] == "too_many_jobs_per_client" and item["params"]["count"] == "4"
    # Two workers, but one browser runs at most one job at a time: its second one waits.
    assert [_run(browsers[0], j)["status"] for j in keen] == ["running"] + ["queued"] * 3

    others = [_start(b) for b in browsers[1:]]  # every other student can start one too
    assert _run(browsers[1], others[0])["status"] == "running"  # the free worker
    waiting = [_run(b, j) for b, j in zip(browsers[2:], others[1:], strict=True)]
    assert all(w["status"] == "queued" for w in waiting)
    # Turns, not arrival order: all 28 classmates come before the keen browser's 2nd job,
    # though it was queued first.
    keen_places = [_run(browsers[0], j)["position"] for j in keen[1:]]
    assert sorted(w["position"] for w in waiting) == list(range(1, 29))
    assert keen_places == [29, 30, 31]

    # Only the starter or the admin may stop a job.
    forbidden = browsers[5].delete(f"/api/jobs/{keen[0]}")
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"][0]["code"] == "job_not_yours"
    wrong = browsers[5].delete(f"/api/jobs/{keen[0]}", headers={"x-lrscope-admin": "guess"})
    assert wrong.status_code == 403
    assert wrong.json()["detail"][0]["loc"] == ["header", "x-lrscope-admin"]
    assert _run(browsers[0], keen[0])["status"] == "running"
    # (Its worker process has started, so a stop takes effect within the grace period.)
    wait_for(lambda: _run(browsers[0], keen[0])["start"] is not None, "its start event")
    stopped = browsers[5].delete(f"/api/jobs/{keen[0]}", headers={"x-lrscope-admin": ADMIN})
    assert stopped.status_code == 200 and stopped.json()["status"] == "cancelled"
    # The freed worker goes to the next classmate in turn, not to the keen browser.
    assert _run(browsers[2], others[1])["status"] == "running"
    assert _run(browsers[0], keen[1])["status"] == "queued"
    wait_for(lambda: _run(browsers[1], others[0])["start"] is not None, "its start event")
    own = browsers[1].delete(f"/api/jobs/{others[0]}")
    assert own.status_code == 200 and own.json()["status"] == "cancelled"


def test_your_runs_and_the_admins_view(
    classroom: tuple[InThreadServer, list[httpx.Client]],
) -> None:
    _, browsers = classroom
    mine = [_start(browsers[0]) for _ in range(2)]
    theirs = _start(browsers[1])
    listed = browsers[0].get("/api/jobs", params={"mine": "true"}).json()
    assert sorted(r["id"] for r in listed["runs"]) == sorted(mine)
    assert all(r["mine"] for r in listed["runs"]) and listed["admin"] is False
    everyone = browsers[0].get("/api/jobs").json()["runs"]
    assert {r["id"]: r["mine"] for r in everyone} == {mine[0]: True, mine[1]: True, theirs: False}
    assert all("owner" not in r for r in everyone)  # only the admin sees who started what
    admin = browsers[2].get("/api/jobs", headers={"x-lrscope-admin": ADMIN}).json()
    assert admin["admin"] is True
    owners = {r["id"]: r["owner"] for r in admin["runs"]}
    assert owners[mine[0]] == owners[mine[1]] != owners[theirs]
    assert all(len(tag) == 8 for tag in owners.values())
    for r in admin["runs"]:  # no raw token anywhere in an answer
        assert all(
            token not in str(r) for token in (b.cookies["lrscope_client"] for b in browsers[:2])
        )
    for job in mine:
        assert browsers[0].delete(f"/api/jobs/{job}").status_code == 200
    assert browsers[1].delete(f"/api/jobs/{theirs}").status_code == 200
