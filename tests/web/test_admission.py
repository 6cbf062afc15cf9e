"""Admission control (``web/admission.py``): health, the catalog and cache hits answer while
the evaluation pool is full (made deterministic by an evaluation that waits for a file);
a full queue is a 503 with a real Retry-After; a deadline stops stepping; an evaluation
worker killed mid-answer is a 503 and the next answer is served by a new one."""

from __future__ import annotations

import functools
import gc
import os
import signal
import sys
import threading
from pathlib import Path

import httpx
import pytest

from lrscope.settings import Settings
from lrscope.web.app import SWITCH_INTERVAL_S
from lrscope.web.routes import schedules
from tests.helpers import evaluation_work
from tests.helpers.jobs import wait_for
from tests.helpers.servers import InThreadServer

CACHED = {"scheduler": {"type": "StepLR", "step_size": 2}, "epochs": 10}
UNCACHED = {"scheduler": {"type": "StepLR", "step_size": 3}, "epochs": 10}


def test_cheap_requests_answer_while_evaluation_is_saturated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path, prewarm_workers=False, eval_workers=1, eval_queue=1)
    release, started = tmp_path / "release", tmp_path / "started"
    # In the worker process: waits for the file ``release`` before it evaluates.
    held = functools.partial(evaluation_work.evaluate_after, release, started)
    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        admission = server.app.state.admission
        assert http.post("/api/schedule", json=CACHED).status_code == 200  # now cached
        monkeypatch.setattr(schedules, "evaluate_and_encode", held)
        answers: list[int] = []

        def post(k: int) -> None:
            spec = {**UNCACHED, "epochs": 10 + k}
            answers.append(httpx.post(server.http + "/api/schedule", json=spec).status_code)

        waiting = [threading.Thread(target=post, args=(k,)) for k in range(2)]
        for thread in waiting:
            thread.start()
        wait_for(lambda: admission.admitted == 2, "one evaluation running and one queued")
        wait_for(started.exists, "the first evaluation to start in its worker")
        assert admission.limiter.borrowed_tokens == 1
        # The pool and its queue are full: cheap requests still answer ...
        assert http.get("/api/health").json()["status"] == "ok"
        assert http.get("/api/schedulers").status_code == 200
        assert http.post("/api/schedule", json=CACHED).status_code == 200
        # ... and one more evaluation is refused, in the error shape, with Retry-After.
        full = http.post("/api/schedule", json={**UNCACHED, "epochs": 99})
        assert full.status_code == 503
        assert int(full.headers["retry-after"]) >= 1
        (item,) = full.json()["detail"]
        assert item["code"] == "evaluation_busy"
        assert item["params"]["retry_after"] == full.headers["retry-after"]
        assert "script-src 'self'" in full.headers["content-security-policy"]
        release.touch()
        for thread in waiting:
            thread.join()
        assert answers == [200, 200]
        assert admission.admitted == 0
        assert admission.reserved_bytes == 0  # each answer's memory given back once sent


def test_a_worker_killed_mid_answer_is_a_503_and_the_next_answer_is_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path, prewarm_workers=False)
    started = tmp_path / "started"
    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        monkeypatch.setattr(
            schedules,
            "evaluate_and_encode",
            functools.partial(evaluation_work.pid_and_wait, started),
        )
        answer: list[httpx.Response] = []

        def ask() -> None:
            answer.append(http.post("/api/schedule", json=UNCACHED))

        asking = threading.Thread(target=ask)
        asking.start()
        wait_for(lambda: started.exists() and started.read_text(), "the evaluation to start")
        pid = int(started.read_text())
        assert pid != os.getpid()  # the evaluation runs in a worker process, not the server's
        os.kill(pid, signal.SIGKILL)
        asking.join(30)
        (lost,) = answer
        assert lost.status_code == 503 and lost.headers["retry-after"] == "1"
        assert lost.json()["detail"][0]["code"] == "evaluation_worker_lost"
        assert "script-src 'self'" in lost.headers["content-security-policy"]
        monkeypatch.undo()
        again = http.post("/api/schedule", json=UNCACHED)
        assert again.status_code == 200 and again.json()["x"] == list(range(10))
        assert server.app.state.admission.reserved_bytes == 0


def test_a_deadline_stops_the_evaluation_with_a_503(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, prewarm_workers=False, eval_deadline_s=0.0)
    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        r = http.post("/api/schedule", json=UNCACHED)
        assert r.status_code == 503
        assert r.json()["detail"][0]["code"] == "evaluation_deadline"
        # /api/code evaluates too (it refuses what /api/schedule refuses), so it stops too
        assert http.post("/api/code", json=UNCACHED).status_code == 503


def test_an_exact_answer_over_the_memory_budget_waits_its_turn(tmp_path: Path) -> None:
    """The budget admits one answer however big (else it could never run), not two."""
    settings = Settings(data_dir=tmp_path, prewarm_workers=False, eval_memory_mb=1)
    with InThreadServer(settings) as server, httpx.Client(base_url=server.http, timeout=60) as http:
        server.app.state.admission.reserved_bytes = 1  # as if another answer were held
        r = http.post("/api/schedule", json={**UNCACHED, "epochs": 100_000, "max_points": 0})
        assert r.status_code == 503 and r.json()["detail"][0]["code"] == "evaluation_memory"
        server.app.state.admission.reserved_bytes = 0
        r = http.post("/api/schedule", json={**UNCACHED, "epochs": 100_000, "max_points": 0})
        assert r.status_code == 200 and len(r.json()["x"]) == 100_000


def test_the_event_loop_gets_the_gil_back_sooner_while_serving(tmp_path: Path) -> None:
    """A shorter GIL turn while the app serves (web/app.py), given back when it stops."""
    before = sys.getswitchinterval()
    assert before > SWITCH_INTERVAL_S  # CPython's 5 ms: else this test could not fail
    with InThreadServer(Settings(data_dir=tmp_path, prewarm_workers=False)):
        assert sys.getswitchinterval() == SWITCH_INTERVAL_S
    assert sys.getswitchinterval() == before


def test_what_start_up_built_is_out_of_the_collector_s_reach_while_serving(tmp_path: Path) -> None:
    """gc.freeze after start-up (web/app.py): a full collection, which walked torch and the
    catalog (90-260 ms with every request waiting), only walks what came after."""
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    with InThreadServer(Settings(data_dir=tmp_path, prewarm_workers=False)):
        assert gc.get_freeze_count() > 100_000  # torch alone is hundreds of thousands
    assert gc.get_freeze_count() == 0
