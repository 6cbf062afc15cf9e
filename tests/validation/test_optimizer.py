"""The optimizer spec (``validation/optimizer.py``): its type, its param groups, and torch's
own checks, met when the optimizer is built once before the run.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.runs import (
    STEP,
    assert_refused_at,
    run,
)

# (spec, loc, words the message must contain). Types, params, and torch's own checks.
# fmt: off
BAD: dict[str, tuple[dict[str, Any], list[Any], str]] = {
    "unknown optimizer": (run(STEP, optimizer={"type": "Adamm"}), ["optimizer", "type"],
                          "unknown optimizer 'Adamm'; choose one of"),
    "LBFGS needs a closure": (run(STEP, optimizer={"type": "LBFGS"}), ["optimizer", "type"],
                              "unknown optimizer"),
    # torch's own checks, met when the optimizer is tried once before the run
    "Rprop etas": (run(STEP, optimizer={"type": "Rprop", "etas": [2.0, 0.5]}),
                   ["optimizer", "etas"], "torch rejects this Rprop setting"),
    "Adafactor beta2_decay": (run(STEP, optimizer={"type": "Adafactor", "beta2_decay": 0.5}),
                              ["optimizer", "beta2_decay"], "should be <= 0"),
    "Muon adjust_lr_fn": (run(STEP, optimizer={"type": "Muon", "adjust_lr_fn": "x"}),
                          ["optimizer", "adjust_lr_fn"], "is not supported"),
}
# fmt: on


@pytest.mark.parametrize("case", BAD.keys())
def test_bad_argument_is_refused_with_its_loc(case: str) -> None:
    assert_refused_at(*BAD[case])
