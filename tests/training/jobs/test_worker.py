"""The worker: a crash mid-run still ends it with a complete ``done`` event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lrscope.settings import Limits
from lrscope.training.jobs import worker
from lrscope.training.loop import train

SPEC = {"scheduler": {"type": "StepLR", "step_size": 2}, "epochs": 6, "seed": 3}


def test_a_crash_mid_run_sends_a_done_event_with_the_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crashing_train(plan: Any, should_stop: Any) -> Iterator[dict[str, Any]]:
        metrics = 0
        for event in train(plan, should_stop):
            yield event
            metrics += event["type"] == "metrics"
            if metrics == 3:
                raise RuntimeError("a bug in the loop")

    monkeypatch.setattr(worker, "job_events", crashing_train)
    batches: list[list[dict[str, Any]]] = []
    worker.stream_events(SPEC, Limits(), batches.append, lambda: None)
    events = [e for batch in batches for e in batch]
    metrics = [e for e in events if e["type"] == "metrics"]
    assert [m["epoch"] for m in metrics] == [1, 2, 3]
    best = min(metrics, key=lambda m: m["val_loss"])
    assert events[-1] == {
        "type": "done",
        "status": "failed",
        "reason": "error",
        "epochs_run": 3,
        "steps_run": metrics[-1]["step"] + 1,
        "best_epoch": best["epoch"],
        "best_val_loss": best["val_loss"],
        "error": "RuntimeError: a bug in the loop",
    }


def test_a_run_that_ends_normally_sends_the_loops_own_done_event() -> None:
    batches: list[list[dict[str, Any]]] = []
    worker.stream_events(SPEC, Limits(), batches.append, lambda: None)
    done = batches[-1][-1]
    assert done["type"] == "done" and done["status"] == "completed"
    assert done["epochs_run"] == 6 and "error" not in done
