"""The oracle (``engine/torch_stepper.py``): a formula or torch failing mid-run is reported
at its field, naming the step; building torch's schedulers raises no torch warning.
"""

from __future__ import annotations

import pytest

from lrscope.engine import evaluate
from lrscope.errors import SpecError
from tests.helpers.runs import (
    S,
    run,
)


def test_an_expression_failing_mid_run_names_the_step() -> None:
    with pytest.raises(SpecError) as raised:
        evaluate(run({"type": "LambdaLR", "lr_lambda": "1 / (epoch - 3)"}))
    (e,) = raised.value.errors
    assert e["loc"] == [S, "lr_lambda"]
    assert "step 3" in e["msg"] and "division by zero" in e["msg"]


def test_a_nested_formula_failing_mid_run_is_named() -> None:
    seq = {"type": "SequentialLR", "milestones": [2], "schedulers": [
        {"type": "ConstantLR"}, {"type": "LambdaLR", "lr_lambda": "1 / (epoch - 3)"}]}  # fmt: skip
    with pytest.raises(SpecError) as raised:
        evaluate(run(seq))
    (e,) = raised.value.errors
    assert e["loc"] == [S, "schedulers", 1, "lr_lambda"]


def test_chained_first_in_sequential_evaluates_without_torch_warnings() -> None:
    """Torch warns when this is built before an optimizer step; the engine must not."""
    chained = {"type": "ChainedScheduler", "schedulers": [{"type": "ConstantLR"}]}
    evaluate({"scheduler": {"type": "SequentialLR", "milestones": [3], "schedulers": [
        chained, {"type": "ConstantLR"}]}})  # fmt: skip
