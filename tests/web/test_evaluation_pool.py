"""The evaluation worker processes (``web/evaluation_pool.py``) on their own: a call runs
in another process, its deadline and its client's leaving reach the
worker, a worker stuck past its deadline is killed, errors come back as themselves."""

from __future__ import annotations

import os
import threading
import time

import pytest

from lrscope.engine import deadline
from lrscope.errors import SpecError, error
from lrscope.web import evaluation_pool
from lrscope.web.evaluation_pool import EvaluationPool
from tests.helpers import evaluation_work


@pytest.fixture(scope="module")
def pool() -> EvaluationPool:
    pool = EvaluationPool()
    pool.warm(1)
    yield pool  # type: ignore[misc]
    pool.close()


def test_a_call_runs_in_a_worker_process(pool: EvaluationPool) -> None:
    assert pool.call(deadline.Deadline(30), os.getpid) != os.getpid()


def test_the_client_leaving_stops_stepping_in_the_worker(pool: EvaluationPool) -> None:
    token = deadline.Deadline(30)
    threading.Timer(0.3, token.cancel).start()
    with pytest.raises(deadline.EvaluationCancelled) as stopped:
        pool.call(token, evaluation_work.step_until_stopped)
    assert stopped.value.reason == "client_left"
    assert pool.call(deadline.Deadline(30), os.getpid) > 0  # the same worker goes on


def test_the_deadline_stops_stepping_in_the_worker(pool: EvaluationPool) -> None:
    with pytest.raises(deadline.EvaluationCancelled) as stopped:
        pool.call(deadline.Deadline(0.3), evaluation_work.step_until_stopped)
    assert stopped.value.reason == "deadline"


def test_a_worker_stuck_past_its_deadline_is_killed_and_replaced(
    pool: EvaluationPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evaluation_pool, "GRACE_S", 0.2)
    before = pool.started
    begun = time.monotonic()
    with pytest.raises(deadline.EvaluationCancelled):
        pool.call(deadline.Deadline(0.1), evaluation_work.ignore_the_deadline, 30)
    assert time.monotonic() - begun < 25  # it did not wait for the 30 s sleep
    assert pool.call(deadline.Deadline(30), evaluation_work.ignore_the_deadline, 0) == "done"
    assert pool.started == before + 1


def test_a_spec_error_comes_back_with_its_items(pool: EvaluationPool) -> None:
    items = [error(("body", "epochs"), "http_error", detail="too many")]
    with pytest.raises(SpecError) as refused:
        pool.call(deadline.Deadline(30), _raise, SpecError(items))
    assert refused.value.errors == items


def test_an_error_that_cannot_cross_the_pipe_comes_back_as_its_words(pool: EvaluationPool) -> None:
    with pytest.raises(RuntimeError, match="Unpicklable: no"):
        pool.call(deadline.Deadline(30), _raise_unpicklable)


def _raise(exc: Exception) -> None:
    raise exc


class Unpicklable(Exception):
    def __init__(self, a: str, b: str) -> None:  # pickle rebuilds it with one argument
        super().__init__(a)


def _raise_unpicklable() -> None:
    raise Unpicklable("no", "way")


def test_a_cancel_after_the_call_does_not_reach_the_worker_s_next_call(
    pool: EvaluationPool,
) -> None:
    first = deadline.Deadline(30)
    assert pool.call(first, os.getpid) > 0
    # The next call takes the same worker (the idle list is last in, first out); the first
    # call's client leaves while it runs.
    threading.Timer(0.3, first.cancel).start()
    with pytest.raises(deadline.EvaluationCancelled) as stopped:
        pool.call(deadline.Deadline(1.5), evaluation_work.step_until_stopped)
    assert stopped.value.reason == "deadline"  # not "client_left": not its client
    assert first.cancelled
