"""Bad input is refused before torch runs, with the field's ``loc`` and a plain message.

The bad arguments are those torch 2.13 accepts and then crashes on or turns into nonsense
(measured: a ZeroDivisionError at step 1, negative rates, ...), those its constructors
reject with a terse message, and the service's own caps. Then the quirks: real torch
behaviour that surprises, returned as torch computes it, with a warning sentence, and
pinned to the values torch 2.13 gives, one commented value per epoch.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lrscope.catalog import Param, default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run


def _run(scheduler: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"scheduler": scheduler, "epochs": 10, **extra}


def errors_of(spec: dict[str, Any], limits: Limits | None = None) -> list[dict[str, Any]]:
    with pytest.raises(SpecError) as raised:
        resolve_run(RunSpec.model_validate(spec), default_catalog(), limits or Limits())
    for e in raised.value.errors:
        assert set(e) == {"loc", "msg", "type"}
        assert isinstance(e["msg"], str) and len(e["msg"]) > 10
    return raised.value.errors


def only_error(spec: dict[str, Any], limits: Limits | None = None) -> dict[str, Any]:
    errors = errors_of(spec, limits)
    assert len(errors) == 1, errors
    return errors[0]


def lrs(spec: dict[str, Any]) -> list[float]:
    return evaluate({**spec, "max_points": 0})["groups"][0]["lr"]  # type: ignore[no-any-return]


S, CYC, ONE = "scheduler", "CyclicLR", "OneCycleLR"
SEQ = {"type": "SequentialLR", "milestones": [2]}
STEP = {"type": "StepLR", "step_size": 2}
ADAGRAD = {"type": "Adagrad", "lr": 0.1}
CYCLIC = {"type": CYC, "base_lr": 0.01, "max_lr": 0.1}
TWO_GROUPS = {"type": "SGD", "lr": 0.1, "momentum": 0.9, "param_groups": [{}, {}]}

# (spec, loc, words the message must contain). Each torch 2.13 bad argument, and more.
# fmt: off
BAD: dict[str, tuple[dict[str, Any], list[Any], str]] = {
    # StepLR: step_size=0 is `integer modulo by zero` at step 1; -1, 2.5, '3' are nonsense
    "StepLR step_size=0": (_run({"type": "StepLR", "step_size": 0}), [S, "step_size"],
                           "at least 1, got 0"),
    "StepLR step_size=-1": (_run({"type": "StepLR", "step_size": -1}), [S, "step_size"],
                            "at least 1"),
    "StepLR step_size=2.5": (_run({"type": "StepLR", "step_size": 2.5}), [S, "step_size"],
                             "whole number, got 2.5"),
    "StepLR step_size='3'": (_run({"type": "StepLR", "step_size": "3"}), [S, "step_size"],
                             "whole number, got the text '3'"),
    "StepLR gamma=-0.5": (_run({**STEP, "gamma": -0.5}), [S, "gamma"], "greater than 0"),
    "StepLR step_size missing": (_run({"type": "StepLR"}), [S, "step_size"], "required"),
    "MultiStepLR milestones=[-1, 0]": (_run({"type": "MultiStepLR", "milestones": [3, 0]}),
                                       [S, "milestones", 1], "at least 1"),
    "MultiStepLR milestones not a list": (_run({"type": "MultiStepLR", "milestones": 3}),
                                          [S, "milestones"], "list of numbers"),
    "ExponentialLR gamma=-0.5": (_run({"type": "ExponentialLR", "gamma": -0.5}), [S, "gamma"],
                                 "greater than 0"),
    "CosineAnnealingLR T_max=0": (_run({"type": "CosineAnnealingLR", "T_max": 0}),
                                  [S, "T_max"], "at least 1"),
    "CosineAnnealingLR T_max=-3": (_run({"type": "CosineAnnealingLR", "T_max": -3}),
                                   [S, "T_max"], "at least 1"),
    "CosineAnnealingLR T_max=2.5": (_run({"type": "CosineAnnealingLR", "T_max": 2.5}),
                                    [S, "T_max"], "whole number"),
    "CosineAnnealingLR eta_min=-1": (_run({"type": "CosineAnnealingLR", "T_max": 5,
                                           "eta_min": -1}), [S, "eta_min"], "at least 0"),
    "ConstantLR factor=1.5": (_run({"type": "ConstantLR", "factor": 1.5}), [S, "factor"],
                              "at most 1"),
    "ConstantLR factor=0": (_run({"type": "ConstantLR", "factor": 0}), [S, "factor"],
                            "greater than 0"),
    "ConstantLR total_iters=0": (_run({"type": "ConstantLR", "total_iters": 0}),
                                 [S, "total_iters"], "at least 1"),
    "LinearLR start_factor=0": (_run({"type": "LinearLR", "start_factor": 0}),
                                [S, "start_factor"], "greater than 0"),
    "LinearLR end_factor=1.5": (_run({"type": "LinearLR", "end_factor": 1.5}),
                                [S, "end_factor"], "at most 1"),
    "LinearLR total_iters=0": (_run({"type": "LinearLR", "total_iters": 0}),
                               [S, "total_iters"], "at least 1"),
    "LinearLR total_iters=-2": (_run({"type": "LinearLR", "total_iters": -2}),
                                [S, "total_iters"], "at least 1"),
    "PolynomialLR total_iters=0": (_run({"type": "PolynomialLR", "total_iters": 0}),
                                   [S, "total_iters"], "at least 1"),
    "PolynomialLR power=-1": (_run({"type": "PolynomialLR", "power": -1}), [S, "power"],
                              "at least 0"),
    "LambdaLR lr_lambda=0.5": (_run({"type": "LambdaLR", "lr_lambda": 0.5}), [S, "lr_lambda"],
                               "formula in 'epoch' written as text"),
    "LambdaLR list length": (_run({"type": "LambdaLR", "lr_lambda": ["epoch", "1"]}),
                             [S, "lr_lambda"], "has 2 values but the optimizer has 1 param"),
    "MultiplicativeLR lr_lambda=0.5": (_run({"type": "MultiplicativeLR", "lr_lambda": 0.5}),
                                       [S, "lr_lambda"], "written as text"),
    "CosineAnnealingWarmRestarts T_0=0": (_run({"type": "CosineAnnealingWarmRestarts",
                                                "T_0": 0}), [S, "T_0"], "at least 1"),
    "CosineAnnealingWarmRestarts T_mult=0": (_run({"type": "CosineAnnealingWarmRestarts",
                                                   "T_0": 2, "T_mult": 0}), [S, "T_mult"],
                                             "at least 1"),
    "CosineAnnealingWarmRestarts eta_min='0'": (_run({"type": "CosineAnnealingWarmRestarts",
                                                      "T_0": 2, "eta_min": "0"}),
                                                [S, "eta_min"], "a number, got the text '0'"),
    "ReduceLROnPlateau factor=1.0": (_run({"type": "ReduceLROnPlateau", "factor": 1.0}),
                                     [S, "factor"], "less than 1"),
    "ReduceLROnPlateau factor=-0.5": (_run({"type": "ReduceLROnPlateau", "factor": -0.5}),
                                      [S, "factor"], "greater than 0"),
    "ReduceLROnPlateau mode='avg'": (_run({"type": "ReduceLROnPlateau", "mode": "avg"}),
                                     [S, "mode"], "one of 'min', 'max'"),
    "ReduceLROnPlateau threshold_mode='x'": (_run({"type": "ReduceLROnPlateau",
                                                   "threshold_mode": "x"}),
                                             [S, "threshold_mode"], "one of 'rel', 'abs'"),
    "ReduceLROnPlateau min_lr length": (_run({"type": "ReduceLROnPlateau", "min_lr": [0, 0]}),
                                        [S, "min_lr"], "has 2 values"),
    "ReduceLROnPlateau patience=-1": (_run({"type": "ReduceLROnPlateau", "patience": -1}),
                                      [S, "patience"], "at least 0"),
    "CyclicLR mode='bogus'": (_run({**CYCLIC, "mode": "bogus"}), [S, "mode"],
                              "one of 'triangular', 'triangular2', 'exp_range'"),
    "CyclicLR step_size_up=0": (_run({**CYCLIC, "step_size_up": 0}), [S, "step_size_up"],
                                "at least 1"),
    "CyclicLR step_size_up=-2": (_run({**CYCLIC, "step_size_up": -2}), [S, "step_size_up"],
                                 "at least 1"),
    "CyclicLR step_size_down=0": (_run({**CYCLIC, "step_size_down": 0}),
                                  [S, "step_size_down"], "at least 1"),
    "CyclicLR base_lr > max_lr": (_run({**CYCLIC, "base_lr": 0.1, "max_lr": 0.01}),
                                  [S, "max_lr"], "at least base_lr (0.1), got 0.01"),
    "CyclicLR max_lr length": (_run({**CYCLIC, "max_lr": [0.1, 0.2]}), [S, "max_lr"],
                               "has 2 values but the optimizer has 1 param group"),
    "CyclicLR Adagrad cycle_momentum": (_run(CYCLIC, optimizer=ADAGRAD),
                                        [S, "cycle_momentum"], "Adagrad has no momentum"),
    "CyclicLR scale_mode='bogus'": (_run({**CYCLIC, "scale_mode": "bogus"}), [S, "scale_mode"],
                                    "one of 'cycle', 'iterations'"),
    "OneCycleLR epochs only": (_run({"type": ONE, "max_lr": 0.1, "epochs": 10}),
                               [S, "steps_per_epoch"], "give both epochs and steps_per_epoch"),
    "OneCycleLR total_steps=0": (_run({"type": ONE, "max_lr": 0.1, "total_steps": 0}),
                                 [S, "total_steps"], "at least 2"),
    "OneCycleLR total_steps=5.5": (_run({"type": ONE, "max_lr": 0.1, "total_steps": 5.5}),
                                   [S, "total_steps"], "whole number"),
    "OneCycleLR total_steps=1": (_run({"type": ONE, "max_lr": 0.1, "total_steps": 1}),
                                 [S, "total_steps"], "at least 2"),
    # torch: STEP3 ValueError "Tried to step 3 times"; the run steps it 9 times
    "OneCycleLR total_steps=2": (_run({"type": ONE, "max_lr": 0.1, "total_steps": 2}),
                                 [S, "total_steps"], "needs total_steps of at least 10, got 2"),
    "OneCycleLR too few total_steps": (_run({"type": ONE, "max_lr": 0.1, "total_steps": 9}),
                                       [S, "total_steps"], "at least 10, got 9"),
    # torch: ZeroDivisionError in the constructor (the first phase ends at step 0)
    "OneCycleLR pct_start x total_steps = 1": (
        _run({"type": ONE, "max_lr": 0.1, "total_steps": 10, "pct_start": 0.1}),
        [S, "pct_start"], "warm-up gets no steps"),
    "OneCycleLR pct_start=1": (_run({"type": ONE, "max_lr": 0.1, "pct_start": 1}),
                               [S, "pct_start"], "less than 1"),
    "OneCycleLR pct_start=0": (_run({"type": ONE, "max_lr": 0.1, "pct_start": 0.0}),
                               [S, "pct_start"], "greater than 0"),
    "OneCycleLR run too short": (_run({"type": ONE, "max_lr": 0.1}, epochs=3),
                                 [S, "pct_start"], "total_steps is the run length here"),
    "OneCycleLR three_phase last phase": (
        _run({"type": ONE, "max_lr": 0.1, "three_phase": True, "pct_start": 0.6}),
        [S, "pct_start"], "pct_start below 0.55"),
    "OneCycleLR anneal_strategy='exp'": (_run({"type": ONE, "max_lr": 0.1,
                                               "anneal_strategy": "exp"}),
                                         [S, "anneal_strategy"], "one of 'cos', 'linear'"),
    "OneCycleLR div_factor=0": (_run({"type": ONE, "max_lr": 0.1, "div_factor": 0}),
                                [S, "div_factor"], "greater than 0"),
    "OneCycleLR Adagrad cycle_momentum": (_run({"type": ONE, "max_lr": 0.1}, optimizer=ADAGRAD),
                                          [S, "cycle_momentum"], "set cycle_momentum to false"),
    "SequentialLR milestones count": (
        _run({"type": "SequentialLR", "milestones": [2, 4], "schedulers": [STEP, STEP]}),
        [S, "milestones"], "2 scheduler(s) need 1 milestone(s), got 2"),
    # torch: accepted, and the rates jump around ([0.05, 0.05, 0.1, 0.01, ...])
    "SequentialLR milestones unsorted": (
        _run({"type": "SequentialLR", "milestones": [4, 2], "schedulers": [STEP] * 3}),
        [S, "milestones"], "strictly increasing"),
    "SequentialLR milestone=0": (_run({**SEQ, "milestones": [0], "schedulers": [STEP, STEP]}),
                                 [S, "milestones", 0], "at least 1"),
    "SequentialLR empty": (_run({**SEQ, "milestones": [], "schedulers": []}), [S, "schedulers"],
                           "non-empty list of scheduler specs"),
    "SequentialLR with ReduceLROnPlateau": (
        _run({**SEQ, "schedulers": [STEP, {"type": "ReduceLROnPlateau"}]}),
        [S, "schedulers", 1, "type"], "ReduceLROnPlateau cannot go inside SequentialLR"),
    # torch: NotImplementedError at the milestone
    "SequentialLR composite at a milestone": (
        _run({**SEQ, "schedulers": [STEP, {"type": "ChainedScheduler", "schedulers": [STEP]}]}),
        [S, "schedulers", 1, "type"], "cannot switch to a ChainedScheduler at a milestone"),
    "SequentialLR SequentialLR at a milestone": (
        _run({**SEQ, "schedulers": [STEP, {**SEQ, "schedulers": [STEP, STEP]}]}),
        [S, "schedulers", 1, "type"], "cannot switch to a SequentialLR"),
    "ChainedScheduler empty": (_run({"type": "ChainedScheduler", "schedulers": []}),
                               [S, "schedulers"], "non-empty list"),
    "ChainedScheduler with ReduceLROnPlateau": (
        _run({"type": "ChainedScheduler", "schedulers": [{"type": "ReduceLROnPlateau"}]}),
        [S, "schedulers", 0, "type"], "cannot go inside ChainedScheduler"),
    "child not an object": (_run({"type": "ChainedScheduler", "schedulers": [3]}),
                            [S, "schedulers", 0], "scheduler spec object, got 3"),
    "last_epoch": (_run({**STEP, "last_epoch": 5}), [S, "last_epoch"], "set by lrscope"),
    "optimizer argument": (_run({**STEP, "optimizer": "SGD"}), [S, "optimizer"],
                           "set by lrscope"),
    "unknown argument": (_run({**STEP, "step": 3}), [S, "step"],
                         "not an argument of StepLR (its arguments: step_size, gamma)"),
    "unknown scheduler": (_run({"type": "CosineLR"}), [S, "type"],
                          "unknown scheduler 'CosineLR'; choose one of LambdaLR"),
    "abstract base class": (_run({"type": "LRScheduler"}), [S, "type"], "unknown scheduler"),
    "SGD lr=-0.1": (_run(STEP, optimizer={"type": "SGD", "lr": -0.1}), ["optimizer", "lr"],
                    "at least 0"),
    "unknown optimizer": (_run(STEP, optimizer={"type": "Adamm"}), ["optimizer", "type"],
                          "unknown optimizer 'Adamm'; choose one of"),
    "LBFGS needs a closure": (_run(STEP, optimizer={"type": "LBFGS"}), ["optimizer", "type"],
                              "unknown optimizer"),
    "optimizer params": (_run(STEP, optimizer={"type": "SGD", "params": []}),
                         ["optimizer", "params"], "set by lrscope"),
    "unknown optimizer argument": (_run(STEP, optimizer={"type": "SGD", "betas": [0.9, 0.9]}),
                                   ["optimizer", "betas"], "not an argument of SGD"),
    "per-group bad value": (_run(STEP, optimizer={**TWO_GROUPS, "param_groups": [{},
                                                                                {"lr": -1}]}),
                            ["optimizer", "param_groups", 1, "lr"], "at least 0"),
    "momentum=1": (_run(STEP, optimizer={"type": "SGD", "momentum": 1}),
                   ["optimizer", "momentum"], "less than 1"),
    "betas out of range": (_run(STEP, optimizer={"type": "Adam", "betas": [0.9, 1.0]}),
                           ["optimizer", "betas", 1], "less than 1"),
    "betas not a pair": (_run(STEP, optimizer={"type": "Adam", "betas": [0.9]}),
                         ["optimizer", "betas"], "two numbers"),
    "nesterov without momentum": (_run(STEP, optimizer={"type": "SGD", "nesterov": True}),
                                  ["optimizer", "nesterov"], "momentum above 0"),
    # torch's own checks, met when the optimizer is tried once before the run
    "Rprop etas": (_run(STEP, optimizer={"type": "Rprop", "etas": [2.0, 0.5]}),
                   ["optimizer", "etas"], "torch rejects this Rprop setting"),
    "Adafactor beta2_decay": (_run(STEP, optimizer={"type": "Adafactor", "beta2_decay": 0.5}),
                              ["optimizer", "beta2_decay"], "should be <= 0"),
    # torch accepted this and crashed in optimizer.step(): "too many values to unpack"
    "Adafactor eps shape": (_run(STEP, optimizer={"type": "Adafactor", "eps": [1, 2, 3]}),
                            ["optimizer", "eps"], "list of 2 values (null, a number)"),
    "Muon adjust_lr_fn": (_run(STEP, optimizer={"type": "Muon", "adjust_lr_fn": "x"}),
                          ["optimizer", "adjust_lr_fn"], "is not supported"),
    "metric too short": (_run({"type": "ReduceLROnPlateau"}, metric={"values": [1.0, 0.9]}),
                         ["metric", "values"], "has 2 values but the scheduler is stepped 9"),
    "metric not finite": (_run({"type": "ReduceLROnPlateau"},
                               metric={"values": [1.0, math.nan] + [1.0] * 8}),
                          ["metric", "values", 1], "finite"),
    "gamma not finite": (_run({**STEP, "gamma": math.inf}), [S, "gamma"], "finite number"),
    "boolean for a number": (_run({**STEP, "gamma": True}), [S, "gamma"],
                             "a number, got true"),
    "null for a number": (_run({**STEP, "gamma": None}), [S, "gamma"], "must not be null"),
    "huge integer": (_run({"type": "StepLR", "step_size": 10**30}), [S, "step_size"],
                     "too large"),
}
# fmt: on


@pytest.mark.parametrize("case", BAD.keys())
def test_bad_argument_is_refused_with_its_loc(case: str) -> None:
    spec, loc, words = BAD[case]
    e = only_error(spec)
    assert e["loc"] == loc
    assert words in e["msg"]


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
    errors = errors_of(_run(NESTED))
    assert [e["loc"] for e in errors] == [
        [S, "schedulers", 0, "schedulers", 1, "gamma"],
        [S, "schedulers", 1, "T_max"],
    ]


def test_per_group_values_point_at_the_item() -> None:
    spec = _run({**CYCLIC, "max_lr": [0.1, "x"]}, optimizer=TWO_GROUPS)
    assert only_error(spec)["loc"] == [S, "max_lr", 1]
    spec = _run({**CYCLIC, "base_lr": [0.01, 0.2], "max_lr": [0.1, 0.1]}, optimizer=TWO_GROUPS)
    assert only_error(spec)["loc"] == [S, "max_lr", 1]
    spec = _run({"type": "LambdaLR", "lr_lambda": ["epoch", "epoch +"]}, optimizer=TWO_GROUPS)
    e = only_error(spec)
    assert e["loc"] == [S, "lr_lambda", 1] and e["type"] == "expression"


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        ("__import__('os')", "not allowed"),
        ("epoch.real", "attribute access"),
        ("1 / 0", "division by zero"),
        ("9 ** 9 ** 9", "too large"),
        ("foo * epoch", "name 'foo' is not allowed"),
        ("epoch ** ", "ends too early"),
        ("epoch epoch", "syntax error"),
        ("", "empty"),
        ("x", "use the variable 'epoch'"),
    ],
)
def test_expression_errors_are_plain(formula: str, words: str) -> None:
    e = only_error(_run({"type": "LambdaLR", "lr_lambda": formula}))
    assert e["loc"] == [S, "lr_lambda"]
    assert words in e["msg"]


def test_an_expression_failing_mid_run_names_the_step() -> None:
    with pytest.raises(SpecError) as raised:
        evaluate(_run({"type": "LambdaLR", "lr_lambda": "1 / (epoch - 3)"}))
    (e,) = raised.value.errors
    assert e["loc"] == [S, "lr_lambda"]
    assert "step 3" in e["msg"] and "division by zero" in e["msg"]


def test_a_nested_formula_failing_mid_run_is_named() -> None:
    seq = {"type": "SequentialLR", "milestones": [2], "schedulers": [
        {"type": "ConstantLR"}, {"type": "LambdaLR", "lr_lambda": "1 / (epoch - 3)"}]}  # fmt: skip
    with pytest.raises(SpecError) as raised:
        evaluate(_run(seq))
    (e,) = raised.value.errors
    assert e["loc"] == [S, "schedulers", 1, "lr_lambda"]


# --- caps ----------------------------------------------------------------------------------------
def _chain(depth: int) -> dict[str, Any]:
    spec: dict[str, Any] = STEP
    for _ in range(depth - 1):
        spec = {"type": "ChainedScheduler", "schedulers": [spec]}
    return spec


def test_caps_are_settings_with_clear_messages() -> None:
    limits = Limits(max_total_steps=1000, max_depth=2, max_children=2, max_param_groups=2,
                    max_list_length=3, max_expression_length=10)  # fmt: skip
    e = only_error(_run(STEP, epochs=101, steps_per_epoch=10), limits)
    assert e["loc"] == ["epochs"] and "1,010 steps; at most 1,000" in e["msg"]
    e = only_error(_run(_chain(3)), limits)
    assert e["loc"] == [S, "schedulers", 0, "schedulers", 0] and "at most 2 levels" in e["msg"]
    resolve_run(RunSpec.model_validate(_run(_chain(2))), default_catalog(), limits)  # the limit
    e = only_error(_run({"type": "ChainedScheduler", "schedulers": [STEP] * 3}), limits)
    assert e["loc"] == [S, "schedulers"] and "at most 2 are allowed" in e["msg"]
    three = {"type": "SGD", "param_groups": [{}, {}, {}]}
    e = only_error(_run(STEP, optimizer=three), limits)
    assert e["loc"] == ["optimizer", "param_groups"] and "1 to 2 groups" in e["msg"]
    e = only_error(_run({"type": "MultiStepLR", "milestones": [1, 2, 3, 4]}), limits)
    assert e["loc"] == [S, "milestones"] and "at most 3" in e["msg"]
    e = only_error(_run({"type": "LambdaLR", "lr_lambda": "0.5 ** epoch"}), limits)
    assert e["loc"] == [S, "lr_lambda"] and "too long" in e["msg"]


def test_a_run_that_would_take_too_long_is_refused() -> None:
    """16 chained schedulers stepped 2 million times: minutes of work, refused up front."""
    e = only_error(_run({"type": "ChainedScheduler", "schedulers": [STEP] * 16},
                        epochs=2_000_000))  # fmt: skip
    assert e["loc"] == ["epochs"] and "too much work" in e["msg"]
    # a long formula on 16 param groups costs as much
    many = {"type": "SGD", "lr": 0.1, "param_groups": [{}] * 16}
    formula = " + ".join(["min(epoch, 1)"] * 30)
    e = only_error(_run({"type": "LambdaLR", "lr_lambda": formula}, epochs=100_000,
                        optimizer=many))  # fmt: skip
    assert "too much work" in e["msg"]


def test_the_default_step_cap_is_reachable() -> None:
    """2 million steps of one scheduler (the documented cap) pass validation."""
    resolve_run(RunSpec.model_validate(_run(STEP, epochs=2_000_000)), default_catalog(), Limits())


def test_an_exact_response_too_large_is_refused() -> None:
    spec = _run(STEP, epochs=1, steps_per_epoch=2_000_000, max_points=0, optimizer=TWO_GROUPS)
    e = only_error(spec)
    assert e["loc"] == ["max_points"] and "max_points = 2000" in e["msg"]


def test_deeply_nested_json_is_refused_by_the_model() -> None:
    deep: list[Any] = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deeply"):
        RunSpec.model_validate(_run({**STEP, "x": deep}))


def test_every_problem_is_reported_at_once() -> None:
    spec = _run(
        {"type": "StepLR", "step_size": 0, "gamma": -1}, optimizer={"type": "SGD", "lr": -1}
    )
    assert sorted(e["loc"][-1] for e in errors_of(spec)) == ["gamma", "lr", "step_size"]


# --- torch's surprises: real values, and a sentence that explains them -------------------------
ONE_LR = {"type": "SGD", "lr": 1.0}


def _quirk(spec: dict[str, Any], words: str) -> list[float]:
    out = evaluate({**spec, "max_points": 0})
    assert any(words in w for w in out["warnings"]), out["warnings"]
    return out["groups"][0]["lr"]  # type: ignore[no-any-return]


def test_sequential_inside_sequential_switches_one_epoch_early() -> None:
    inner = {"type": "SequentialLR", "milestones": [2], "schedulers": [
        {"type": "ConstantLR", "factor": 0.5, "total_iters": 2},
        {"type": "ExponentialLR", "gamma": 0.5}]}  # fmt: skip
    spec = {"scheduler": {"type": "SequentialLR", "milestones": [4], "schedulers": [
        inner, {"type": "StepLR", "step_size": 1, "gamma": 0.1}]},
        "optimizer": ONE_LR, "epochs": 7}  # fmt: skip
    assert _quirk(spec, "switches to its next scheduler one epoch early") == pytest.approx([
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
    assert _quirk(spec, "gets one extra step when the SequentialLR starts") == pytest.approx([
        0.25,    # epoch 0 (one would expect 0.5: ConstantLR alone)
        0.125,   # epoch 1
        0.0625,  # epoch 2
        1.0,     # epoch 3: StepLR
        0.1,     # epoch 4
        0.01,    # epoch 5
        0.001,   # epoch 6
    ])  # fmt: skip


def test_chained_first_in_sequential_evaluates_without_torch_warnings() -> None:
    """Torch warns when this is built before an optimizer step; the engine must not."""
    chained = {"type": "ChainedScheduler", "schedulers": [{"type": "ConstantLR"}]}
    evaluate({"scheduler": {"type": "SequentialLR", "milestones": [3], "schedulers": [
        chained, {"type": "ConstantLR"}]}})  # fmt: skip


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


def test_eta_min_above_the_rate_goes_up() -> None:
    spec = {"scheduler": {"type": "CosineAnnealingLR", "T_max": 3, "eta_min": 1.0}, "epochs": 7}
    assert _quirk(spec, "eta_min = 1 is above the initial learning rate") == pytest.approx([
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
    assert _quirk(spec, "gamma = 2 is above 1") == pytest.approx([
        0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4,  # epochs 0..6: doubling
    ])  # fmt: skip
    spec = {"scheduler": {**CYCLIC, "mode": "exp_range", "gamma": 1.01}, "epochs": 3}
    _quirk(spec, "CyclicLR: gamma = 1.01 is above 1")


def test_cosine_past_t_max_rises_again() -> None:
    spec = {"scheduler": {"type": "CosineAnnealingLR", "T_max": 4, "eta_min": 0.1},
            "optimizer": ONE_LR, "epochs": 13}  # fmt: skip
    assert _quirk(spec, "past T_max the cosine rises again") == pytest.approx([
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


def test_a_negative_rate_is_shown_and_explained() -> None:
    spec = {"scheduler": {"type": "LambdaLR", "lr_lambda": "1 - epoch / 2"}, "epochs": 4}
    assert _quirk(spec, "The learning rate is negative") == pytest.approx([0.1, 0.05, 0.0, -0.05])


def test_multistep_milestones_unsorted_are_fine_and_repeats_are_explained() -> None:
    unsorted = {"scheduler": {"type": "MultiStepLR", "milestones": [4, 2]}, "epochs": 7}
    assert lrs(unsorted) == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.001])
    twice = {"scheduler": {"type": "MultiStepLR", "milestones": [2, 2]}, "epochs": 7}
    assert _quirk(twice, "milestone 2 is listed 2 times") == pytest.approx([
        0.1, 0.1,                          # epochs 0, 1
        0.001, 0.001, 0.001, 0.001, 0.001  # from epoch 2: x 0.1 twice
    ])  # fmt: skip


def test_milestone_past_the_end_and_a_cycle_cut_short_are_explained() -> None:
    spec = {"scheduler": {**SEQ, "milestones": [400], "schedulers": [STEP, STEP]}}
    _quirk(spec, "the run ends before milestone 400, so scheduler 2 (StepLR) never runs")
    spec = {"scheduler": {"type": ONE, "max_lr": 0.1, "total_steps": 1000}, "epochs": 100}
    _quirk(spec, "set for 1000 steps but this run computes only the first 100")
    spec = {"scheduler": {**CYCLIC, "mode": "triangular2", "scale_fn": "1.0"}}
    _quirk(spec, "mode is ignored when scale_fn is given")
    spec = {"scheduler": STEP, "metric": {"values": [1.0]}}
    _quirk(spec, "does not use one")


# --- run semantics pinned to torch 2.13 ---------------------------------------------------------
def test_sequential_restarts_the_next_scheduler_at_the_milestone() -> None:
    spec = {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [4],
            "schedulers": [
                {"type": "LinearLR", "start_factor": 0.1, "total_iters": 4},
                {"type": "CosineAnnealingLR", "T_max": 6},
            ],
        },
        "optimizer": ONE_LR,
        "epochs": 13,
    }
    assert lrs(spec) == pytest.approx([
        0.1, 0.325, 0.55, 0.775,  # epochs 0-3: LinearLR warm-up
        1.0,                      # epoch 4: cosine epoch 0
        0.933, 0.75, 0.5, 0.25, 0.067, 0.0,  # epochs 5-10: cosine down to eta_min
        0.067, 0.25,              # epochs 11-12: past T_max it rises
    ], abs=5e-4)  # fmt: skip


def test_chained_multiplies_chainable_schedulers() -> None:
    spec = {
        "scheduler": {
            "type": "ChainedScheduler",
            "schedulers": [
                {"type": "ConstantLR", "factor": 0.1, "total_iters": 3},
                {"type": "ExponentialLR", "gamma": 0.9},
            ],
        },
        "optimizer": ONE_LR,
        "epochs": 6,
    }
    assert lrs(spec) == pytest.approx([
        0.1, 0.09, 0.081,          # epochs 0-2: 0.1 x 0.9^epoch
        0.729, 0.6561, 0.59049,    # epochs 3-5: the constant factor is lifted
    ])  # fmt: skip


def test_onecycle_total_steps_defaults_to_the_run_length() -> None:
    base = {"scheduler": {"type": ONE, "max_lr": 0.1}, "epochs": 25, "steps_per_epoch": 4}
    filled = evaluate({**base, "max_points": 0})
    given = evaluate(
        {**base, "max_points": 0, "scheduler": {"type": ONE, "max_lr": 0.1, "total_steps": 100}}
    )
    assert filled["groups"] == given["groups"] and filled["warnings"] == []
    assert len(set(filled["groups"][0]["lr"])) > 90  # stepped every batch (its step unit)
    per_epoch = evaluate({**base, "max_points": 0, "interval": "epoch"})
    assert (
        per_epoch["groups"][0]["lr"][:8]
        == [filled["groups"][0]["lr"][0]] * 4 + [per_epoch["groups"][0]["lr"][4]] * 4
    )


def test_plateau_on_given_values_and_on_a_seeded_synthetic_curve() -> None:
    sched = {"type": "ReduceLROnPlateau", "factor": 0.5, "patience": 1}
    given = {
        "scheduler": sched,
        "optimizer": ONE_LR,
        "epochs": 8,
        "metric": {"values": [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 9.0]},
    }
    assert lrs(given) == [
        1.0,  # epoch 0
        1.0,  # after 1.0: best so far
        1.0,  # after 0.9: best so far
        1.0,  # after 0.9: one bad epoch (patience 1)
        0.5,  # after 0.9: two bad epochs, halved
        0.5,  # after 0.9: one bad epoch since
        0.25,  # after 0.9: halved again
        0.25,  # after 0.8: better
    ]  # fmt: skip
    synthetic = {"scheduler": sched, "epochs": 200, "metric": {"synthetic": {"seed": 3}}}
    assert lrs(synthetic) == lrs(synthetic)
    assert lrs(synthetic) != lrs({**synthetic, "metric": {"synthetic": {"seed": 4}}})
    assert lrs({**synthetic, "metric": None}) == lrs({**synthetic, "metric": {"synthetic": {}}})


# --- fuzzing: any JSON for any argument is a result or a SpecError, never a crash -------------
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, 1, 2, -1, 0.5, 1.0, 1e-300, 1e300, 10**12, 0.0])
    | st.text(max_size=12)
    | st.sampled_from(["epoch", "x", "1 / epoch", "epoch ** 400", "cos", "min", "triangular2"])
)
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
_NAMES = sorted(default_catalog().schedulers)
_FORMULAS = ["0.9 ** {v}", "1 / ({v} - 3)", "log({v})", "{v} % 7 / 3", "max(0, 1 - {v} / 10)",
             "1e308 * ({v} + 2)", "-{v}", "sqrt(1 - {v} / 4)", "{v} < 5"]  # fmt: skip


def _plausible(p: Param) -> st.SearchStrategy[Any]:
    """Values of the right kind, around and across the bounds."""
    number = st.floats(-0.5, 3.0) | st.sampled_from([0.0, 1.0, 1e-9, 0.999999, 1e6, 1e-300])
    integer = st.integers(-1, 60)
    kinds: dict[str, st.SearchStrategy[Any]] = {
        "number": number,
        "integer": integer,
        "boolean": st.booleans(),
        "enum": st.sampled_from(p.enum or [None]),
        "expression": st.sampled_from([f.format(v=p.variable) for f in _FORMULAS]),
        "integer_list": st.lists(integer, max_size=4),
        "number_list": st.lists(number, max_size=4),
        "number_pair": st.lists(number, min_size=2, max_size=2),
    }
    values = kinds.get(p.type, _JSON)
    return values | st.lists(values, min_size=1, max_size=3) if p.per_group else values


@st.composite
def _fuzzed_scheduler(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    info = default_catalog().schedulers[draw(st.sampled_from(_NAMES))]
    spec: dict[str, Any] = {"type": info.name}
    for p in info.params:
        if p.type == "schedulers":
            if depth < 2:
                spec[p.name] = draw(st.lists(_fuzzed_scheduler(depth + 1), max_size=3))
        elif draw(st.integers(0, 2)) == 0:
            spec[p.name] = draw(_JSON if draw(st.integers(0, 3)) == 0 else _plausible(p))
    return spec


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(
    scheduler=_fuzzed_scheduler(),
    optimizer=st.sampled_from(["SGD", "Adam", "Adagrad", "RMSprop", "Rprop", "Adafactor"]),
    groups=st.integers(1, 3),
    epochs=st.integers(1, 40),
    per_epoch=st.integers(1, 3),
    interval=st.sampled_from([None, "epoch", "step"]),
    max_points=st.sampled_from([0, 7, 2000]),
)
def test_any_arguments_give_curves_or_a_spec_error(
    scheduler: dict[str, Any], optimizer: str, groups: int, epochs: int, per_epoch: int,
    interval: str | None, max_points: int,
) -> None:  # fmt: skip
    spec = {"scheduler": scheduler, "epochs": epochs, "steps_per_epoch": per_epoch,
            "optimizer": {"type": optimizer, "param_groups": [{}] * groups},
            "interval": interval, "max_points": max_points}  # fmt: skip
    try:
        out = evaluate(spec)
    except SpecError as exc:
        assert all(e["loc"] and e["msg"] for e in exc.errors)
        event("refused")
        return
    event("evaluated")
    json.dumps(out, allow_nan=False)  # what the API sends: every number finite
    assert len(out["x"]) == (epochs * per_epoch if max_points == 0 else len(out["x"]))


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
