"""The request models (``spec/models.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from lrscope.spec import RunSpec, spec_error
from tests.helpers.runs import (
    STEP,
    run,
)


def test_deeply_nested_json_is_refused_by_the_model() -> None:
    deep: list[Any] = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deeply"):
        RunSpec.model_validate(run({**STEP, "x": deep}))


SETUP = {"dataset_size": 1000, "batch_size": 32, "epochs": 3, "framework": "hf"}


def test_setup_takes_its_defaults() -> None:
    spec = RunSpec.model_validate(run(STEP, setup=SETUP))
    assert spec.setup is not None
    assert (spec.setup.devices, spec.setup.grad_accum, spec.setup.drop_last) == (1, 1, False)
    assert RunSpec.model_validate(run(STEP)).setup is None


@pytest.mark.parametrize(
    ("change", "loc_end", "code"),
    [
        ({"max_steps": 10}, "setup", "setup_run_length"),  # both epochs and max_steps
        ({"epochs": None}, "setup", "setup_run_length"),  # neither
        ({"batch_size": 0}, "batch_size", "too_small"),
        ({"devices": 1.0}, "devices", "not_integer"),  # strict: no float for an int
        ({"grad_accum": "2"}, "grad_accum", "not_integer"),
        ({"framework": "keras"}, "framework", "not_expected"),
        ({"drop_last": 1}, "drop_last", "not_boolean"),
        ({"shuffle": True}, "shuffle", "not_a_field"),
    ],
)
def test_setup_is_strict(change: dict[str, Any], loc_end: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        RunSpec.model_validate(run(STEP, setup={**SETUP, **change}))
    items = spec_error(caught.value).errors
    assert items[0]["loc"][-1] == loc_end
    assert items[0]["code"] == code
