"""One argument value against its catalog entry (``validation/arguments.py``): type,
bounds, per-group lists and formulas, refused before torch runs with the field's ``loc``
and a plain message.

The bad values are those torch 2.13 accepts and then crashes on or turns into nonsense
(measured: a ZeroDivisionError at step 1, negative rates, ...), those its constructors
reject with a terse message, and the service's own caps on lists and formulas.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.helpers.runs import (
    CYCLIC,
    ONE,
    SEQ,
    STEP,
    TWO_GROUPS,
    S,
    assert_refused_at,
    only_error,
    run,
)

# (spec, loc, words the message must contain). Each torch 2.13 bad value, and more.
# fmt: off
BAD: dict[str, tuple[dict[str, Any], list[Any], str]] = {
    # StepLR: step_size=0 is `integer modulo by zero` at step 1; -1, 2.5, '3' are nonsense
    "StepLR step_size=0": (run({"type": "StepLR", "step_size": 0}), [S, "step_size"],
                           "at least 1, got 0"),
    "StepLR step_size=-1": (run({"type": "StepLR", "step_size": -1}), [S, "step_size"],
                            "at least 1"),
    "StepLR step_size=2.5": (run({"type": "StepLR", "step_size": 2.5}), [S, "step_size"],
                             "whole number, got 2.5"),
    "StepLR step_size='3'": (run({"type": "StepLR", "step_size": "3"}), [S, "step_size"],
                             "whole number, got the text '3'"),
    "StepLR gamma=-0.5": (run({**STEP, "gamma": -0.5}), [S, "gamma"], "greater than 0"),
    "StepLR step_size missing": (run({"type": "StepLR"}), [S, "step_size"], "required"),
    "MultiStepLR milestones=[-1, 0]": (run({"type": "MultiStepLR", "milestones": [3, 0]}),
                                       [S, "milestones", 1], "at least 1"),
    "MultiStepLR milestones not a list": (run({"type": "MultiStepLR", "milestones": 3}),
                                          [S, "milestones"], "list of numbers"),
    "ExponentialLR gamma=-0.5": (run({"type": "ExponentialLR", "gamma": -0.5}), [S, "gamma"],
                                 "greater than 0"),
    "CosineAnnealingLR T_max=0": (run({"type": "CosineAnnealingLR", "T_max": 0}),
                                  [S, "T_max"], "at least 1"),
    "CosineAnnealingLR T_max=-3": (run({"type": "CosineAnnealingLR", "T_max": -3}),
                                   [S, "T_max"], "at least 1"),
    "CosineAnnealingLR T_max=2.5": (run({"type": "CosineAnnealingLR", "T_max": 2.5}),
                                    [S, "T_max"], "whole number"),
    "CosineAnnealingLR eta_min=-1": (run({"type": "CosineAnnealingLR", "T_max": 5,
                                           "eta_min": -1}), [S, "eta_min"], "at least 0"),
    "ConstantLR factor=1.5": (run({"type": "ConstantLR", "factor": 1.5}), [S, "factor"],
                              "at most 1"),
    "ConstantLR factor=0": (run({"type": "ConstantLR", "factor": 0}), [S, "factor"],
                            "greater than 0"),
    "ConstantLR total_iters=0": (run({"type": "ConstantLR", "total_iters": 0}),
                                 [S, "total_iters"], "at least 1"),
    "LinearLR start_factor=0": (run({"type": "LinearLR", "start_factor": 0}),
                                [S, "start_factor"], "greater than 0"),
    "LinearLR end_factor=1.5": (run({"type": "LinearLR", "end_factor": 1.5}),
                                [S, "end_factor"], "at most 1"),
    "LinearLR total_iters=0": (run({"type": "LinearLR", "total_iters": 0}),
                               [S, "total_iters"], "at least 1"),
    "LinearLR total_iters=-2": (run({"type": "LinearLR", "total_iters": -2}),
                                [S, "total_iters"], "at least 1"),
    "PolynomialLR total_iters=0": (run({"type": "PolynomialLR", "total_iters": 0}),
                                   [S, "total_iters"], "at least 1"),
    "PolynomialLR power=-1": (run({"type": "PolynomialLR", "power": -1}), [S, "power"],
                              "at least 0"),
    "LambdaLR lr_lambda=0.5": (run({"type": "LambdaLR", "lr_lambda": 0.5}), [S, "lr_lambda"],
                               "formula in 'epoch' written as text"),
    "LambdaLR list length": (run({"type": "LambdaLR", "lr_lambda": ["epoch", "1"]}),
                             [S, "lr_lambda"], "has 2 values but the optimizer has 1 param"),
    "MultiplicativeLR lr_lambda=0.5": (run({"type": "MultiplicativeLR", "lr_lambda": 0.5}),
                                       [S, "lr_lambda"], "written as text"),
    "CosineAnnealingWarmRestarts T_0=0": (run({"type": "CosineAnnealingWarmRestarts",
                                                "T_0": 0}), [S, "T_0"], "at least 1"),
    "CosineAnnealingWarmRestarts T_mult=0": (run({"type": "CosineAnnealingWarmRestarts",
                                                   "T_0": 2, "T_mult": 0}), [S, "T_mult"],
                                             "at least 1"),
    "CosineAnnealingWarmRestarts eta_min='0'": (run({"type": "CosineAnnealingWarmRestarts",
                                                      "T_0": 2, "eta_min": "0"}),
                                                [S, "eta_min"], "a number, got the text '0'"),
    "ReduceLROnPlateau factor=1.0": (run({"type": "ReduceLROnPlateau", "factor": 1.0}),
                                     [S, "factor"], "less than 1"),
    "ReduceLROnPlateau factor=-0.5": (run({"type": "ReduceLROnPlateau", "factor": -0.5}),
                                      [S, "factor"], "greater than 0"),
    "ReduceLROnPlateau mode='avg'": (run({"type": "ReduceLROnPlateau", "mode": "avg"}),
                                     [S, "mode"], "one of 'min', 'max'"),
    "ReduceLROnPlateau threshold_mode='x'": (run({"type": "ReduceLROnPlateau",
                                                   "threshold_mode": "x"}),
                                             [S, "threshold_mode"], "one of 'rel', 'abs'"),
    "ReduceLROnPlateau min_lr length": (run({"type": "ReduceLROnPlateau", "min_lr": [0, 0]}),
                                        [S, "min_lr"], "has 2 values"),
    "ReduceLROnPlateau patience=-1": (run({"type": "ReduceLROnPlateau", "patience": -1}),
                                      [S, "patience"], "at least 0"),
    "CyclicLR mode='bogus'": (run({**CYCLIC, "mode": "bogus"}), [S, "mode"],
                              "one of 'triangular', 'triangular2', 'exp_range'"),
    "CyclicLR step_size_up=0": (run({**CYCLIC, "step_size_up": 0}), [S, "step_size_up"],
                                "at least 1"),
    "CyclicLR step_size_up=-2": (run({**CYCLIC, "step_size_up": -2}), [S, "step_size_up"],
                                 "at least 1"),
    "CyclicLR step_size_down=0": (run({**CYCLIC, "step_size_down": 0}),
                                  [S, "step_size_down"], "at least 1"),
    "CyclicLR max_lr length": (run({**CYCLIC, "max_lr": [0.1, 0.2]}), [S, "max_lr"],
                               "has 2 values but the optimizer has 1 param group"),
    "CyclicLR scale_mode='bogus'": (run({**CYCLIC, "scale_mode": "bogus"}), [S, "scale_mode"],
                                    "one of 'cycle', 'iterations'"),
    "OneCycleLR total_steps=0": (run({"type": ONE, "max_lr": 0.1, "total_steps": 0}),
                                 [S, "total_steps"], "at least 2"),
    "OneCycleLR total_steps=5.5": (run({"type": ONE, "max_lr": 0.1, "total_steps": 5.5}),
                                   [S, "total_steps"], "whole number"),
    "OneCycleLR total_steps=1": (run({"type": ONE, "max_lr": 0.1, "total_steps": 1}),
                                 [S, "total_steps"], "at least 2"),
    "OneCycleLR pct_start=1": (run({"type": ONE, "max_lr": 0.1, "pct_start": 1}),
                               [S, "pct_start"], "less than 1"),
    "OneCycleLR pct_start=0": (run({"type": ONE, "max_lr": 0.1, "pct_start": 0.0}),
                               [S, "pct_start"], "greater than 0"),
    "OneCycleLR anneal_strategy='exp'": (run({"type": ONE, "max_lr": 0.1,
                                               "anneal_strategy": "exp"}),
                                         [S, "anneal_strategy"], "one of 'cos', 'linear'"),
    "OneCycleLR div_factor=0": (run({"type": ONE, "max_lr": 0.1, "div_factor": 0}),
                                [S, "div_factor"], "greater than 0"),
    "SequentialLR milestone=0": (run({**SEQ, "milestones": [0], "schedulers": [STEP, STEP]}),
                                 [S, "milestones", 0], "at least 1"),
    "last_epoch": (run({**STEP, "last_epoch": 5}), [S, "last_epoch"], "set by lrscope"),
    "optimizer argument": (run({**STEP, "optimizer": "SGD"}), [S, "optimizer"],
                           "set by lrscope"),
    "unknown argument": (run({**STEP, "step": 3}), [S, "step"],
                         "not an argument of StepLR (its arguments: step_size, gamma)"),
    "SGD lr=-0.1": (run(STEP, optimizer={"type": "SGD", "lr": -0.1}), ["optimizer", "lr"],
                    "at least 0"),
    "optimizer params": (run(STEP, optimizer={"type": "SGD", "params": []}),
                         ["optimizer", "params"], "set by lrscope"),
    "unknown optimizer argument": (run(STEP, optimizer={"type": "SGD", "betas": [0.9, 0.9]}),
                                   ["optimizer", "betas"], "not an argument of SGD"),
    "per-group bad value": (run(STEP, optimizer={**TWO_GROUPS, "param_groups": [{},
                                                                                {"lr": -1}]}),
                            ["optimizer", "param_groups", 1, "lr"], "at least 0"),
    "momentum=1": (run(STEP, optimizer={"type": "SGD", "momentum": 1}),
                   ["optimizer", "momentum"], "less than 1"),
    "betas out of range": (run(STEP, optimizer={"type": "Adam", "betas": [0.9, 1.0]}),
                           ["optimizer", "betas", 1], "less than 1"),
    "betas not a pair": (run(STEP, optimizer={"type": "Adam", "betas": [0.9]}),
                         ["optimizer", "betas"], "two numbers"),
    # torch accepted this and crashed in optimizer.step(): "too many values to unpack"
    "Adafactor eps shape": (run(STEP, optimizer={"type": "Adafactor", "eps": [1, 2, 3]}),
                            ["optimizer", "eps"], "list of 2 values (null, a number)"),
    "gamma not finite": (run({**STEP, "gamma": math.inf}), [S, "gamma"], "finite number"),
    "boolean for a number": (run({**STEP, "gamma": True}), [S, "gamma"],
                             "a number, got true"),
    "null for a number": (run({**STEP, "gamma": None}), [S, "gamma"], "must not be null"),
    "huge integer": (run({"type": "StepLR", "step_size": 10**30}), [S, "step_size"],
                     "too large"),
}
# fmt: on


@pytest.mark.parametrize("case", BAD.keys())
def test_bad_argument_is_refused_with_its_loc(case: str) -> None:
    assert_refused_at(*BAD[case])


def test_per_group_values_point_at_the_item() -> None:
    spec = run({**CYCLIC, "max_lr": [0.1, "x"]}, optimizer=TWO_GROUPS)
    assert only_error(spec)["loc"] == [S, "max_lr", 1]
    spec = run({**CYCLIC, "base_lr": [0.01, 0.2], "max_lr": [0.1, 0.1]}, optimizer=TWO_GROUPS)
    assert only_error(spec)["loc"] == [S, "max_lr", 1]
    spec = run({"type": "LambdaLR", "lr_lambda": ["epoch", "epoch +"]}, optimizer=TWO_GROUPS)
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
    e = only_error(run({"type": "LambdaLR", "lr_lambda": formula}))
    assert e["loc"] == [S, "lr_lambda"]
    assert words in e["msg"]
