"""Run rules (``validation/run_rules.py``): what is wrong or surprising once it is known
how often torch steps each scheduler, refused or explained, with torch 2.13's values.
"""

from __future__ import annotations

from typing import Any

import pytest

from lrscope.engine import evaluate
from tests.helpers.runs import (
    CYCLIC,
    ONE,
    ONE_LR,
    SEQ,
    STEP,
    S,
    assert_refused_at,
    quirk,
    run,
)

# (spec, loc, words the message must contain). Once the step counts are known.
# fmt: off
BAD: dict[str, tuple[dict[str, Any], list[Any], str]] = {
    # torch: STEP3 ValueError "Tried to step 3 times"; the run steps it 9 times
    "OneCycleLR total_steps=2": (run({"type": ONE, "max_lr": 0.1, "total_steps": 2}),
                                 [S, "total_steps"], "needs total_steps of at least 10, got 2"),
    "OneCycleLR too few total_steps": (run({"type": ONE, "max_lr": 0.1, "total_steps": 9}),
                                       [S, "total_steps"], "at least 10, got 9"),
    # torch: ZeroDivisionError in the constructor (the first phase ends at step 0)
    "OneCycleLR pct_start x total_steps = 1": (
        run({"type": ONE, "max_lr": 0.1, "total_steps": 10, "pct_start": 0.1}),
        [S, "pct_start"], "warm-up gets no steps"),
    "OneCycleLR run too short": (run({"type": ONE, "max_lr": 0.1}, epochs=3),
                                 [S, "pct_start"], "total_steps is the run length here"),
    "OneCycleLR three_phase last phase": (
        run({"type": ONE, "max_lr": 0.1, "three_phase": True, "pct_start": 0.6}),
        [S, "pct_start"], "pct_start below 0.55"),
}
# fmt: on


@pytest.mark.parametrize("case", BAD.keys())
def test_bad_argument_is_refused_with_its_loc(case: str) -> None:
    assert_refused_at(*BAD[case])


def test_eta_min_above_the_rate_goes_up() -> None:
    spec = {"scheduler": {"type": "CosineAnnealingLR", "T_max": 3, "eta_min": 1.0}, "epochs": 7}
    assert quirk(spec, "eta_min = 1 is above the initial learning rate") == pytest.approx([
        0.1,    # epoch 0
        0.325,  # epoch 1
        0.775,  # epoch 2
        1.0,    # epoch 3: eta_min at T_max
        0.775,  # epoch 4: and back down
        0.325,  # epoch 5
        0.1,    # epoch 6
    ])  # fmt: skip


def test_gamma_above_one_grows() -> None:
    spec = {"scheduler": {"type": "StepLR", "step_size": 1, "gamma": 2.0}, "epochs": 7}
    assert quirk(spec, "gamma = 2 is above 1") == pytest.approx([
        0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4,  # epochs 0..6: doubling
    ])  # fmt: skip
    spec = {"scheduler": {**CYCLIC, "mode": "exp_range", "gamma": 1.01}, "epochs": 3}
    quirk(spec, "CyclicLR: gamma = 1.01 is above 1")


def test_cosine_past_t_max_rises_again() -> None:
    spec = {"scheduler": {"type": "CosineAnnealingLR", "T_max": 4, "eta_min": 0.1},
            "optimizer": ONE_LR, "epochs": 13}  # fmt: skip
    assert quirk(spec, "past T_max the cosine rises again") == pytest.approx([
        1.0,       # epoch 0
        0.868198,  # epoch 1
        0.55,      # epoch 2
        0.231802,  # epoch 3
        0.1,       # epoch 4: T_max, eta_min
        0.231802,  # epoch 5: rising again
        0.55,      # epoch 6
        0.868198,  # epoch 7
        1.0,       # epoch 8: back at the initial rate
        0.868198,  # epoch 9
        0.55,      # epoch 10
        0.231802,  # epoch 11
        0.1,       # epoch 12
    ], abs=5e-7)  # fmt: skip
    quiet = evaluate({**spec, "epochs": 5})
    assert quiet["warnings"] == []


def test_milestone_past_the_end_and_a_cycle_cut_short_are_explained() -> None:
    spec = {"scheduler": {**SEQ, "milestones": [400], "schedulers": [STEP, STEP]}}
    quirk(spec, "the run ends before milestone 400, so scheduler 2 (StepLR) never runs")
    spec = {"scheduler": {"type": ONE, "max_lr": 0.1, "total_steps": 1000}, "epochs": 100}
    quirk(spec, "set for 1000 steps but this run computes only the first 100")
    spec = {"scheduler": {**CYCLIC, "mode": "triangular2", "scale_fn": "1.0"}}
    quirk(spec, "mode is ignored when scale_fn is given")
    spec = {"scheduler": STEP, "metric": {"values": [1.0]}}
    quirk(spec, "does not use one")
