"""The driver (``validation/run.py``): the run's own fields (the metric), the caps on work
and response size (settings, with clear messages), and every problem reported at once.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from lrscope.catalog import default_catalog
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run
from tests.helpers.runs import (
    STEP,
    TWO_GROUPS,
    S,
    assert_refused_at,
    errors_of,
    only_error,
    run,
)

# (spec, loc, words the message must contain). The run's own fields.
# fmt: off
BAD: dict[str, tuple[dict[str, Any], list[Any], str]] = {
    "metric too short": (run({"type": "ReduceLROnPlateau"}, metric={"values": [1.0, 0.9]}),
                         ["metric", "values"], "has 2 values but the scheduler is stepped 9"),
    "metric not finite": (run({"type": "ReduceLROnPlateau"},
                               metric={"values": [1.0, math.nan] + [1.0] * 8}),
                          ["metric", "values", 1], "finite"),
}
# fmt: on


@pytest.mark.parametrize("case", BAD.keys())
def test_bad_argument_is_refused_with_its_loc(case: str) -> None:
    assert_refused_at(*BAD[case])


def _chain(depth: int) -> dict[str, Any]:
    spec: dict[str, Any] = STEP
    for _ in range(depth - 1):
        spec = {"type": "ChainedScheduler", "schedulers": [spec]}
    return spec


def test_caps_are_settings_with_clear_messages() -> None:
    limits = Limits(max_total_steps=1000, max_depth=2, max_children=2, max_param_groups=2,
                    max_list_length=3, max_expression_length=10)  # fmt: skip
    e = only_error(run(STEP, epochs=101, steps_per_epoch=10), limits)
    assert e["loc"] == ["epochs"] and "1,010 steps; at most 1,000" in e["msg"]
    e = only_error(run(_chain(3)), limits)
    assert e["loc"] == [S, "schedulers", 0, "schedulers", 0] and "at most 2 levels" in e["msg"]
    resolve_run(RunSpec.model_validate(run(_chain(2))), default_catalog(), limits)  # the limit
    e = only_error(run({"type": "ChainedScheduler", "schedulers": [STEP] * 3}), limits)
    assert e["loc"] == [S, "schedulers"] and "at most 2 are allowed" in e["msg"]
    three = {"type": "SGD", "param_groups": [{}, {}, {}]}
    e = only_error(run(STEP, optimizer=three), limits)
    assert e["loc"] == ["optimizer", "param_groups"] and "1 to 2 groups" in e["msg"]
    e = only_error(run({"type": "MultiStepLR", "milestones": [1, 2, 3, 4]}), limits)
    assert e["loc"] == [S, "milestones"] and "at most 3" in e["msg"]
    e = only_error(run({"type": "LambdaLR", "lr_lambda": "0.5 ** epoch"}), limits)
    assert e["loc"] == [S, "lr_lambda"] and "too long" in e["msg"]


def test_a_run_that_would_take_too_long_is_refused() -> None:
    """16 chained schedulers stepped 2 million times: minutes of work, refused up front."""
    e = only_error(run({"type": "ChainedScheduler", "schedulers": [STEP] * 16},
                        epochs=2_000_000))  # fmt: skip
    assert e["loc"] == ["epochs"] and "too much work" in e["msg"]
    # a long formula on 16 param groups costs as much
    many = {"type": "SGD", "lr": 0.1, "param_groups": [{}] * 16}
    formula = " + ".join(["min(epoch, 1)"] * 30)
    e = only_error(run({"type": "LambdaLR", "lr_lambda": formula}, epochs=100_000,
                        optimizer=many))  # fmt: skip
    assert "too much work" in e["msg"]


def test_the_default_step_cap_is_reachable() -> None:
    """2 million steps of one scheduler (the documented cap) pass validation."""
    resolve_run(RunSpec.model_validate(run(STEP, epochs=2_000_000)), default_catalog(), Limits())


def test_an_exact_response_too_large_is_refused() -> None:
    spec = run(STEP, epochs=1, steps_per_epoch=2_000_000, max_points=0, optimizer=TWO_GROUPS)
    e = only_error(spec)
    assert e["loc"] == ["max_points"] and "max_points = 2000" in e["msg"]


def test_every_problem_is_reported_at_once() -> None:
    spec = run({"type": "StepLR", "step_size": 0, "gamma": -1}, optimizer={"type": "SGD", "lr": -1})
    assert sorted(e["loc"][-1] for e in errors_of(spec)) == ["gamma", "lr", "step_size"]
