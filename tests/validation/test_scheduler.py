"""The scheduler tree (``validation/scheduler.py``): each node's type and children, with
every problem located in the nested spec and all of them reported.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.runs import (
    SEQ,
    S,
    assert_refused_at,
    errors_of,
    run,
)

# (spec, loc, words the message must contain). The tree: types, children.
# fmt: off
BAD: dict[str, tuple[dict[str, Any], list[Any], str]] = {
    "SequentialLR empty": (run({**SEQ, "milestones": [], "schedulers": []}), [S, "schedulers"],
                           "non-empty list of scheduler specs"),
    "ChainedScheduler empty": (run({"type": "ChainedScheduler", "schedulers": []}),
                               [S, "schedulers"], "non-empty list"),
    "child not an object": (run({"type": "ChainedScheduler", "schedulers": [3]}),
                            [S, "schedulers", 0], "scheduler spec object, got 3"),
    "unknown scheduler": (run({"type": "CosineLR"}), [S, "type"],
                          "unknown scheduler 'CosineLR'; choose one of LambdaLR"),
    "abstract base class": (run({"type": "LRScheduler"}), [S, "type"], "unknown scheduler"),
}
# fmt: on


@pytest.mark.parametrize("case", BAD.keys())
def test_bad_argument_is_refused_with_its_loc(case: str) -> None:
    assert_refused_at(*BAD[case])


NESTED = {
    "type": "SequentialLR",
    "milestones": [5],
    "schedulers": [
        {"type": "ChainedScheduler", "schedulers": [
            {"type": "ConstantLR", "factor": 0.5},
            {"type": "ExponentialLR", "gamma": -2},
        ]},
        {"type": "CosineAnnealingLR", "T_max": 0},
    ],
}  # fmt: skip


def test_nested_errors_point_inside_the_tree_and_all_are_reported() -> None:
    errors = errors_of(run(NESTED))
    assert [e["loc"] for e in errors] == [
        [S, "schedulers", 0, "schedulers", 1, "gamma"],
        [S, "schedulers", 1, "T_max"],
    ]
