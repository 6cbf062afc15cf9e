"""The deadline token (``engine/deadline.py``) is polled inside stepping: torch's own loop,
the replicas' replay and a Loop's hand-stepped loop all stop with EvaluationCancelled
(the replay does not fall back to torch, which would run on past the deadline)."""

from __future__ import annotations

import pytest

from lrscope.catalog import default_catalog
from lrscope.engine import deadline, exact_curves, self_check
from lrscope.engine.torch_stepper import step_curves
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run

LONG = 50_000  # well over deadline.POLL_EVERY steps
SPECS = {
    "replica": {"scheduler": {"type": "CosineAnnealingLR", "T_max": 10}, "epochs": LONG},
    "torch": {"scheduler": {"type": "LambdaLR", "lr_lambda": "0.5 ** epoch"}, "epochs": LONG},
    "loop": {
        "scheduler": {
            "type": "Loop",
            "schedulers": [{"scheduler": {"type": "StepLR", "step_size": 2}, "interval": "epoch"}],
        },
        "epochs": LONG,
    },
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_stepping_stops_at_the_deadline(name: str) -> None:
    run = resolve_run(RunSpec.model_validate(SPECS[name]), default_catalog(), Limits())
    with deadline.active(deadline.Deadline(0.0)), pytest.raises(deadline.EvaluationCancelled):
        exact_curves(run)


def test_a_cancelled_token_stops_torch_stepping() -> None:
    run = resolve_run(RunSpec.model_validate(SPECS["torch"]), default_catalog(), Limits())
    token = deadline.Deadline(3600)
    token.cancel()
    with deadline.active(token), pytest.raises(deadline.EvaluationCancelled) as raised:
        step_curves(run)
    assert raised.value.reason == "client_left"


def test_without_a_token_nothing_is_checked() -> None:
    run = resolve_run(RunSpec.model_validate(SPECS["torch"]), default_catalog(), Limits())
    assert len(step_curves(run).lr[0]) == LONG


def test_the_self_check_is_not_cut_short_by_a_request_deadline() -> None:
    """The first request of a process may run the self-check: under an expired deadline it
    would have switched every replica off for good."""
    self_check.reset_self_check()
    run = resolve_run(RunSpec.model_validate(SPECS["replica"]), default_catalog(), Limits())
    with deadline.active(deadline.Deadline(0.0)), pytest.raises(deadline.EvaluationCancelled):
        exact_curves(run)
    assert self_check.disabled_replicas() == set()
