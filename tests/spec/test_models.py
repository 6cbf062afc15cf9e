"""The request models (``spec/models.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from lrscope.spec import RunSpec
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
