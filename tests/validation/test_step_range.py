"""``range``: a step window checked against the run (``validation/step_range.py``)."""

from __future__ import annotations

import pytest

from lrscope.engine import evaluate
from lrscope.errors import SpecError
from tests.helpers.runs import TWO_GROUPS

RUN = {"scheduler": {"type": "StepLR", "step_size": 3}, "epochs": 10, "steps_per_epoch": 2}


def refusal(range_: dict[str, int]) -> list[dict[str, object]]:
    with pytest.raises(SpecError) as caught:
        evaluate({**RUN, "range": range_})
    return caught.value.errors


def test_a_stop_past_the_end_is_refused_at_range_stop() -> None:
    (item,) = refusal({"start": 5, "stop": 21})
    assert item["loc"] == ["range", "stop"] and item["code"] == "range_outside_run"
    assert item["params"] == {"steps": "20", "last": "19", "stop": "21"}


@pytest.mark.parametrize("stop", [5, 4])
def test_an_empty_range_is_refused_at_range_stop(stop: int) -> None:
    (item,) = refusal({"start": 5, "stop": stop})
    assert item["loc"] == ["range", "stop"] and item["code"] == "range_empty"


def test_a_negative_start_or_unknown_key_is_refused_by_the_model() -> None:
    assert refusal({"start": -1, "stop": 3})[0]["loc"][:2] == ["range", "start"]
    with pytest.raises(SpecError):
        evaluate({**RUN, "range": {"stop": 3, "end": 4}})


def test_the_last_step_alone_is_a_range() -> None:
    out = evaluate({**RUN, "range": {"start": 19, "stop": 20}})
    assert out["x"] == [19] and out["epoch"] == [9.5] and out["num_steps"] == 20


def test_the_size_cap_counts_the_window_not_the_run() -> None:
    # 1,500,010 steps of two groups, every point, are over the response cap; 10 are not.
    spec = {
        "scheduler": {"type": "ExponentialLR", "gamma": 0.999999},
        "optimizer": TWO_GROUPS,
        "epochs": 1_500_010,
    }
    with pytest.raises(SpecError) as caught:
        evaluate({**spec, "max_points": 0})
    assert caught.value.errors[0]["code"] == "response_too_large"
    out = evaluate({**spec, "max_points": 0, "range": {"start": 1_500_000, "stop": 1_500_010}})
    assert out["x"] == list(range(1_500_000, 1_500_010))
