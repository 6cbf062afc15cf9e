"""The local backend's admission of jobs (``local.py`` with ``caps.py``): a paced job holds no
CPU worker, a job nobody ever watched is abandoned, a refusal's Retry-After comes from the
running job's progress, and the client token sent as a header keys the caps."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from lrscope.web.app import create_app
from tests.helpers.jobs import LONG, QUICK, job_settings, read_to_done, wait_for

ALICE = {"x-lrscope-client": "alice-" + "a" * 20}
BOB = {"x-lrscope-client": "bob-" + "b" * 20}


def test_a_paced_job_holds_no_cpu_worker(tmp_path: Path) -> None:
    settings = job_settings(tmp_path, workers=1, paced_workers=1, abandon_after_s=600)
    with TestClient(create_app(settings)) as client:
        paced = client.post("/api/jobs", json={**LONG, "steps_per_second": 5}, headers=ALICE)
        assert paced.json()["status"] == "running"
        # The one CPU worker is still free: a full-speed job starts and ends meanwhile.
        quick = client.post("/api/jobs", json=QUICK, headers=BOB)
        assert quick.json()["status"] == "running"
        with client.websocket_connect(f"/ws/jobs/{quick.json()['id']}") as ws:
            assert read_to_done(ws)[-1]["status"] == "completed"
        assert client.get(f"/api/jobs/{paced.json()['id']}").json()["status"] == "running"
        # A second paced job waits: the paced pool has one slot.
        second = client.post("/api/jobs", json={**LONG, "steps_per_second": 5}, headers=BOB)
        assert second.json()["status"] == "queued"
        assert client.delete(f"/api/jobs/{paced.json()['id']}", headers=ALICE).status_code == 200
        assert client.get(f"/api/jobs/{second.json()['id']}").json()["status"] == "running"
        assert client.delete(f"/api/jobs/{second.json()['id']}", headers=BOB).status_code == 200


def test_a_job_never_watched_is_abandoned(tmp_path: Path) -> None:
    app = create_app(job_settings(tmp_path, abandon_after_s=0.5))
    with TestClient(app) as client:
        job = client.post("/api/jobs", json=LONG).json()["id"]
        queued = client.post("/api/jobs", json=LONG, headers=BOB).json()["id"]
        jobs = app.state.jobs  # read the backend, not GET: a poll counts as watching
        wait_for(lambda: jobs.status(job) == "cancelled", "the unwatched job to be abandoned")
        wait_for(lambda: jobs.status(queued) == "cancelled", "the unwatched queued job too")
        assert client.get(f"/api/jobs/{job}").json()["done"]["reason"] == "abandoned"
        assert client.get(f"/api/jobs/{queued}").json()["done"]["reason"] == "abandoned"


def test_retry_after_comes_from_the_running_jobs_progress(tmp_path: Path) -> None:
    settings = job_settings(tmp_path, jobs_per_client=1, job_timeout_s=600, abandon_after_s=600)
    with TestClient(create_app(settings)) as client:
        # 100 000 steps at 10 a second: it runs until the 600 s wall-clock cap.
        job = client.post("/api/jobs", json={**LONG, "steps_per_second": 10}).json()["id"]
        started = lambda: client.get(f"/api/jobs/{job}").json()["start"] is not None  # noqa: E731
        wait_for(started, "its start event (which gives its number of steps)")
        refused = client.post("/api/jobs", json=QUICK)
        assert refused.status_code == 429
        wait = int(refused.headers["retry-after"])
        assert 500 < wait <= 600  # what is left of its 600 s, not a constant
        assert refused.json()["detail"][0]["params"]["wait"] == str(wait)
        assert client.delete(f"/api/jobs/{job}").status_code == 200
        assert client.post("/api/jobs", json=QUICK).status_code == 202


def test_the_header_token_keys_the_caps(tmp_path: Path) -> None:
    settings = job_settings(tmp_path, jobs_per_client=1, abandon_after_s=600)
    with TestClient(create_app(settings)) as client:
        job = client.post("/api/jobs", json=LONG, headers=ALICE).json()["id"]
        assert client.post("/api/jobs", json=LONG, headers=ALICE).status_code == 429
        other = client.post("/api/jobs", json=LONG, headers=BOB)
        assert other.status_code == 202  # another token: another client
        assert "set-cookie" not in other.headers  # a header token needs no cookie
        mine = client.get("/api/jobs", params={"mine": "true"}, headers=ALICE).json()["runs"]
        assert [r["id"] for r in mine] == [job]
        assert client.delete(f"/api/jobs/{job}", headers=BOB).status_code == 403
        for token, run in ((ALICE, job), (BOB, other.json()["id"])):
            assert client.delete(f"/api/jobs/{run}", headers=token).status_code == 200
