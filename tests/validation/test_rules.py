"""Structure rules (``validation/rules.py``): what torch accepts across the fields of one
spec and then crashes on is refused; what is real but surprising is returned as torch
computes it, with a warning sentence, pinned to torch 2.13's values (one per epoch).
"""

from __future__ import annotations

from typing import Any

import pytest

from lrscope.engine import evaluate
from tests.helpers.runs import (
    ADAGRAD,
    CYCLIC,
    ONE,
    ONE_LR,
    SEQ,
    STEP,
    S,
    assert_refused_at,
    lrs,
    quirk,
    run,
)

# (spec, loc, words the message must contain). Across the fields of one spec.
# fmt: off
BAD: dict[str, tuple[dict[str, Any], list[Any], str]] = {
    "CyclicLR base_lr > max_lr": (run({**CYCLIC, "base_lr": 0.1, "max_lr": 0.01}),
                                  [S, "max_lr"], "at least base_lr (0.1), got 0.01"),
    "CyclicLR Adagrad cycle_momentum": (run(CYCLIC, optimizer=ADAGRAD),
                                        [S, "cycle_momentum"], "Adagrad has no momentum"),
    "OneCycleLR epochs only": (run({"type": ONE, "max_lr": 0.1, "epochs": 10}),
                               [S, "steps_per_epoch"], "give both epochs and steps_per_epoch"),
    "OneCycleLR Adagrad cycle_momentum": (run({"type": ONE, "max_lr": 0.1}, optimizer=ADAGRAD),
                                          [S, "cycle_momentum"], "set cycle_momentum to false"),
    "SequentialLR milestones count": (
        run({"type": "SequentialLR", "milestones": [2, 4], "schedulers": [STEP, STEP]}),
        [S, "milestones"], "2 scheduler(s) need 1 milestone(s), got 2"),
    # torch: accepted, and the rates jump around ([0.05, 0.05, 0.1, 0.01, ...])
    "SequentialLR milestones unsorted": (
        run({"type": "SequentialLR", "milestones": [4, 2], "schedulers": [STEP] * 3}),
        [S, "milestones"], "strictly increasing"),
    "SequentialLR with ReduceLROnPlateau": (
        run({**SEQ, "schedulers": [STEP, {"type": "ReduceLROnPlateau"}]}),
        [S, "schedulers", 1, "type"], "ReduceLROnPlateau cannot go inside SequentialLR"),
    # torch: NotImplementedError at the milestone
    "SequentialLR composite at a milestone": (
        run({**SEQ, "schedulers": [STEP, {"type": "ChainedScheduler", "schedulers": [STEP]}]}),
        [S, "schedulers", 1, "type"], "cannot switch to a ChainedScheduler at a milestone"),
    "SequentialLR SequentialLR at a milestone": (
        run({**SEQ, "schedulers": [STEP, {**SEQ, "schedulers": [STEP, STEP]}]}),
        [S, "schedulers", 1, "type"], "cannot switch to a SequentialLR"),
    "ChainedScheduler with ReduceLROnPlateau": (
        run({"type": "ChainedScheduler", "schedulers": [{"type": "ReduceLROnPlateau"}]}),
        [S, "schedulers", 0, "type"], "cannot go inside ChainedScheduler"),
    "nesterov without momentum": (run(STEP, optimizer={"type": "SGD", "nesterov": True}),
                                  ["optimizer", "nesterov"], "momentum above 0"),
}
# fmt: on


@pytest.mark.parametrize("case", BAD.keys())
def test_bad_argument_is_refused_with_its_loc(case: str) -> None:
    assert_refused_at(*BAD[case])


def test_sequential_inside_sequential_switches_one_epoch_early() -> None:
    inner = {"type": "SequentialLR", "milestones": [2], "schedulers": [
        {"type": "ConstantLR", "factor": 0.5, "total_iters": 2},
        {"type": "ExponentialLR", "gamma": 0.5}]}  # fmt: skip
    spec = {"scheduler": {"type": "SequentialLR", "milestones": [4], "schedulers": [
        inner, {"type": "StepLR", "step_size": 1, "gamma": 0.1}]},
        "optimizer": ONE_LR, "epochs": 7}  # fmt: skip
    assert quirk(spec, "switches to its next scheduler one epoch early") == pytest.approx([
        0.5,   # epoch 0: ConstantLR
        1.0,   # epoch 1: already ExponentialLR (one would expect 0.5 here)
        0.5,   # epoch 2
        0.25,  # epoch 3
        1.0,   # epoch 4: StepLR restarts at the base rate
        0.1,   # epoch 5
        0.01,  # epoch 6
    ])  # fmt: skip


def test_chained_first_in_sequential_gets_an_extra_step() -> None:
    chained = {
        "type": "ChainedScheduler",
        "schedulers": [
            {"type": "ConstantLR", "factor": 0.5},
            {"type": "ExponentialLR", "gamma": 0.5},
        ],
    }
    spec = {"scheduler": {"type": "SequentialLR", "milestones": [3], "schedulers": [
        chained, {"type": "StepLR", "step_size": 1, "gamma": 0.1}]},
        "optimizer": ONE_LR, "epochs": 7}  # fmt: skip
    assert quirk(spec, "gets one extra step when the SequentialLR starts") == pytest.approx([
        0.25,    # epoch 0 (one would expect 0.5: ConstantLR alone)
        0.125,   # epoch 1
        0.0625,  # epoch 2
        1.0,     # epoch 3: StepLR
        0.1,     # epoch 4
        0.01,    # epoch 5
        0.001,   # epoch 6
    ])  # fmt: skip


def test_sequential_inside_chained_has_no_quirk() -> None:
    inner = {"type": "SequentialLR", "milestones": [2], "schedulers": [
        {"type": "LinearLR", "start_factor": 0.5, "total_iters": 2},
        {"type": "ExponentialLR", "gamma": 0.5}]}  # fmt: skip
    out = evaluate(
        {
            "scheduler": {
                "type": "ChainedScheduler",
                "schedulers": [inner, {"type": "MultiStepLR", "milestones": [4]}],
            },
            "optimizer": ONE_LR,
            "epochs": 7,
        }
    )
    assert out["warnings"] == []
    assert out["groups"][0]["lr"] == pytest.approx([
        0.5,      # epoch 0: LinearLR from 0.5
        0.75,     # epoch 1
        1.0,      # epoch 2: ExponentialLR restarts at the base rate
        0.5,      # epoch 3
        0.025,    # epoch 4: x 0.5 and x 0.1 (MultiStepLR)
        0.0125,   # epoch 5
        0.00625,  # epoch 6
    ])  # fmt: skip


@pytest.mark.parametrize("optimizer", ["SGD", "RMSprop"])
def test_cycle_momentum_switches_momentum_on(optimizer: str) -> None:
    spec = {"scheduler": {**CYCLIC, "step_size_up": 2}, "epochs": 5,
            "optimizer": {"type": optimizer, "lr": 0.1, "momentum": 0}}  # fmt: skip
    out = evaluate(spec)
    assert any("switches momentum on" in w for w in out["warnings"])
    assert out["groups"][0]["momentum"] == pytest.approx([
        0.9,   # step 0: max_momentum while the rate is at base_lr
        0.85,  # step 1
        0.8,   # step 2: base_momentum at max_lr
        0.85,  # step 3
        0.9,   # step 4
    ])  # fmt: skip
    one = {"type": ONE, "max_lr": 1.0, "total_steps": 6}
    out = evaluate({**spec, "scheduler": one})
    assert any("switches momentum on" in w for w in out["warnings"])
    assert out["groups"][0]["momentum"] == pytest.approx([
        0.95,      # step 0
        0.850558,  # step 1
        0.868826,  # step 2
        0.903737,  # step 3
        0.936653,  # step 4
    ], abs=5e-7)  # fmt: skip


def test_adam_cycles_beta1_without_a_warning() -> None:
    out = evaluate({"scheduler": {**CYCLIC, "step_size_up": 2}, "epochs": 5,
                    "optimizer": {"type": "Adam"}})  # fmt: skip
    assert out["warnings"] == []
    assert out["groups"][0]["momentum"] == pytest.approx([0.9, 0.85, 0.8, 0.85, 0.9])


def test_multistep_milestones_unsorted_are_fine_and_repeats_are_explained() -> None:
    unsorted = {"scheduler": {"type": "MultiStepLR", "milestones": [4, 2]}, "epochs": 7}
    assert lrs(unsorted) == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.001])
    twice = {"scheduler": {"type": "MultiStepLR", "milestones": [2, 2]}, "epochs": 7}
    assert quirk(twice, "milestone 2 is listed 2 times") == pytest.approx([
        0.1, 0.1,                          # epochs 0, 1
        0.001, 0.001, 0.001, 0.001, 0.001  # from epoch 2: x 0.1 twice
    ])  # fmt: skip


def test_quirks_of_schedulers_that_keep_state_in_param_groups_are_warned() -> None:
    one_cycle = {"type": "OneCycleLR", "max_lr": 1.0, "total_steps": 10}
    seq = {"type": "SequentialLR", "milestones": [5], "schedulers": [one_cycle, one_cycle]}
    warnings = evaluate({"scheduler": seq, "epochs": 10})["warnings"]
    assert any("2 OneCycleLRs" in w for w in warnings)
    cyclic = {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2}
    chain = {"type": "ChainedScheduler", "schedulers": [{"type": "ConstantLR"}, cyclic]}
    out = evaluate({"scheduler": chain, "epochs": 6, "interval": "step"})
    assert any("CyclicLR sets the rate from scratch" in w for w in out["warnings"])
    # ... and the values stay torch's: the first is the optimizer's lr, not base_lr
    assert out["groups"][0]["lr"][0] == 0.1
