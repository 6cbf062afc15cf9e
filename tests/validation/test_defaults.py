"""Defaults that depend on the run (``validation/defaults.py``)."""

from __future__ import annotations

from lrscope.engine import evaluate
from tests.helpers.runs import (
    ONE,
)


def test_onecycle_total_steps_defaults_to_the_run_length() -> None:
    base = {"scheduler": {"type": ONE, "max_lr": 0.1}, "epochs": 25, "steps_per_epoch": 4}
    filled = evaluate({**base, "max_points": 0})
    given = evaluate(
        {**base, "max_points": 0, "scheduler": {"type": ONE, "max_lr": 0.1, "total_steps": 100}}
    )
    assert filled["groups"] == given["groups"] and filled["warnings"] == []
    assert len(set(filled["groups"][0]["lr"])) > 90  # stepped every batch (its step unit)
    per_epoch = evaluate({**base, "max_points": 0, "interval": "epoch"})
    assert (
        per_epoch["groups"][0]["lr"][:8]
        == [filled["groups"][0]["lr"][0]] * 4 + [per_epoch["groups"][0]["lr"][4]] * 4
    )
