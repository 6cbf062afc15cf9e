"""The fast path: pure-Python replicas equal, bit for bit, to stepping torch's schedulers.

The oracle is ``torch_stepper.step_curves``, which steps the installed torch. Every comparison
is on the exact doubles (``-0.0`` differs from ``0.0``), learning rates and momentum.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from torch.optim.lr_scheduler import StepLR

from lrscope.catalog import build_catalog, default_catalog
from lrscope.engine import exact_curves, replay, self_check, torch_stepper
from lrscope.engine.curves import Curves, curves_equal
from lrscope.engine.replicas import REPLICAS
from lrscope.errors import SpecError
from lrscope.validation import ResolvedRun
from tests.helpers.runs import resolve
from tests.helpers.specs import SCHEDULERS


def fast_curves(run: ResolvedRun) -> Curves | None:
    """The replicas' curves, or None where the service would step torch."""
    return replay.fast_curves(run, self_check.disabled_replicas())


def stepped(run: ResolvedRun) -> Curves | None:
    try:
        return torch_stepper.step_curves(run)
    except SpecError:
        return None


def assert_same(fast: Curves, slow: Curves) -> None:
    assert fast.lr == slow.lr
    assert fast.momentum == slow.momentum
    assert curves_equal(fast, slow)  # also tells -0.0 from 0.0


pytestmark = pytest.mark.usefixtures("fresh_self_check")


# --- every scheduler takes the fast path, and agrees --------------------------------------
_LIN = {"type": "LinearLR", "start_factor": 0.1, "total_iters": 5}
_COS = {"type": "CosineAnnealingLR", "T_max": 7, "eta_min": 0.001}
# Beside the plain spec of each scheduler (tests.helpers.specs): runs that reach further
# (a repeated milestone, a cosine past T_max, a noisy metric, a cosine in a chain).
EDGES: dict[str, dict[str, Any]] = {
    "LambdaLR": {"scheduler": {"type": "LambdaLR", "lr_lambda": "0.95 ** epoch"}},
    "MultiplicativeLR": {"scheduler": {"type": "MultiplicativeLR", "lr_lambda": "0.9"}},
    "StepLR": {"scheduler": {"type": "StepLR", "step_size": 3}},
    "MultiStepLR": {"scheduler": {"type": "MultiStepLR", "milestones": [3, 8, 8]}},
    "ConstantLR": {"scheduler": {"type": "ConstantLR", "factor": 0.5}},
    "LinearLR": {"scheduler": _LIN},
    "ExponentialLR": {"scheduler": {"type": "ExponentialLR", "gamma": 0.9}},
    "SequentialLR": {
        "scheduler": {"type": "SequentialLR", "milestones": [5], "schedulers": [_LIN, _COS]}
    },
    "CosineAnnealingLR": {"scheduler": _COS},
    "ChainedScheduler": {"scheduler": {"type": "ChainedScheduler", "schedulers": [_LIN, _COS]}},
    "ReduceLROnPlateau": {
        "scheduler": {"type": "ReduceLROnPlateau", "patience": 2},
        "metric": {"synthetic": {"seed": 3, "noise": 0.2}},
    },
    "CyclicLR": {
        "scheduler": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4}
    },
    "CosineAnnealingWarmRestarts": {
        "scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 4, "T_mult": 2}
    },
    "OneCycleLR": {"scheduler": {"type": "OneCycleLR", "max_lr": 1.0}},
    "PolynomialLR": {"scheduler": {"type": "PolynomialLR", "total_iters": 20, "power": 0.5}},
}
RUNS = {
    **{f"{name}-plain": {"scheduler": spec} for name, spec in SCHEDULERS.items()},
    **{f"{name}-edge": spec for name, spec in EDGES.items()},
}


# Catalog schedulers from outside lr_scheduler.__all__ (torch.optim.swa_utils): no replica,
# so they are always stepped by torch itself.
STEPPED_ONLY = {"SWALR"}


def test_every_torch_scheduler_has_a_replica() -> None:
    in_all = set(default_catalog().schedulers) - STEPPED_ONLY
    assert set(SCHEDULERS) == set(EDGES) == set(REPLICAS) == in_all
    assert set(default_catalog().schedulers) >= STEPPED_ONLY


def test_a_scheduler_without_a_replica_is_stepped_by_torch() -> None:
    run = resolve({"scheduler": {"type": "SWALR", "swa_lr": 0.01, "anneal_epochs": 3}, "epochs": 8})
    assert replay.fast_curves(run, set()) is None


@pytest.mark.parametrize("name", sorted(RUNS))
def test_fast_path_is_used_and_exact(name: str) -> None:
    run = resolve(
        {"epochs": 30, "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9}, **RUNS[name]}
    )
    fast = fast_curves(run)
    assert fast is not None, f"{name} fell back to stepping"
    slow = stepped(run)
    assert slow is not None
    assert_same(fast, slow)


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "CosineAnnealingLR", "T_max": 7},  # many bumps past T_max
        {"type": "CosineAnnealingLR", "T_max": 1, "eta_min": 0.05},
        {"type": "CosineAnnealingWarmRestarts", "T_0": 3, "T_mult": 2, "eta_min": 0.01},
        {"type": "CosineAnnealingWarmRestarts", "T_0": 7},
        {
            "type": "CyclicLR",
            "base_lr": [0.01, 0.02],
            "max_lr": 0.1,
            "step_size_up": 37,
            "step_size_down": 11,
            "mode": "exp_range",
            "gamma": 0.9995,
        },
        {
            "type": "OneCycleLR",
            "max_lr": [0.5, 1.0],
            "three_phase": True,
            "anneal_strategy": "linear",
        },
        {
            "type": "SequentialLR",
            "milestones": [100, 900],
            "schedulers": [
                {"type": "LinearLR", "start_factor": 0.01, "total_iters": 100},
                {"type": "CosineAnnealingLR", "T_max": 800},
                {"type": "ExponentialLR", "gamma": 0.999},
            ],
        },
    ],
)
def test_long_runs_with_two_groups(spec: dict[str, Any]) -> None:
    run = resolve(
        {
            "scheduler": spec,
            "epochs": 3000,
            "interval": "epoch",
            "optimizer": {"type": "AdamW", "lr": 0.3, "param_groups": [{}, {"lr": 0.7}]},
        }
    )
    fast = fast_curves(run)
    assert fast is not None
    slow = stepped(run)
    assert slow is not None
    assert_same(fast, slow)


# --- falling back to stepping --------------------------------------------------------------
class PatchedStepLR(StepLR):
    """A subclass: the replica cannot know what it changes, so it must step torch."""

    def get_lr(self) -> list[float]:
        return [lr * 0.5 for lr in super().get_lr()]  # type: ignore[misc]


def test_a_subclass_falls_back_to_stepping() -> None:
    catalog = build_catalog(extra_schedulers={"PatchedStepLR": PatchedStepLR})
    run = resolve({"scheduler": {"type": "PatchedStepLR", "step_size": 2}, "epochs": 6}, catalog)
    assert fast_curves(run) is None
    assert exact_curves(run).lr == stepped(run).lr  # type: ignore[union-attr]


def test_a_subclass_under_a_torch_name_falls_back() -> None:
    catalog = build_catalog(extra_schedulers={"StepLR": PatchedStepLR})
    run = resolve(
        {
            "scheduler": {
                "type": "SequentialLR",
                "milestones": [2],
                "schedulers": [{"type": "ConstantLR"}, {"type": "StepLR", "step_size": 2}],
            },
            "epochs": 6,
        },
        catalog,
    )
    assert fast_curves(run) is None


def test_an_error_in_torch_is_left_to_stepping() -> None:
    # The expression divides by zero at epoch 5: stepping reports it, in torch's words.
    run = resolve({"scheduler": {"type": "LambdaLR", "lr_lambda": "1 / (epoch - 5)"}, "epochs": 10})
    assert fast_curves(run) is None
    with pytest.raises(SpecError, match="formula fails at scheduler step 5"):
        exact_curves(run)


def test_a_torch_failure_in_nesting_is_left_to_stepping() -> None:
    # torch cannot switch to a nested SequentialLR at a milestone (it has no get_lr).
    # Validation refuses this spec, so the run is grafted together here.
    run = resolve(
        {
            "scheduler": {
                "type": "SequentialLR",
                "milestones": [3],
                "schedulers": [{"type": "ConstantLR"}, {"type": "StepLR", "step_size": 2}],
            },
            "epochs": 10,
        }
    )
    inner = resolve(
        {
            "scheduler": {
                "type": "SequentialLR",
                "milestones": [2],
                "schedulers": [
                    {"type": "ExponentialLR", "gamma": 0.5},
                    {"type": "StepLR", "step_size": 2},
                ],
            }
        }
    )
    run.scheduler.children[1] = inner.scheduler
    assert fast_curves(run) is None
    with pytest.raises(SpecError, match="NotImplementedError at scheduler step 3"):
        exact_curves(run)


# --- random valid configurations ---------------------------------------------------------
LAMBDAS = [
    "0.95 ** epoch",
    "1 / (epoch + 1)",
    "min(1, (epoch + 1) / 5)",
    "epoch // 3 + 1",
    "0.5 if epoch < 4 else 0.1",
    "cos(epoch / 7) + 1.5",
    "max(0.1, 1 - epoch / 20)",
    "(epoch + 1) ** -0.5",
    "1",
    "exp(-epoch / 9)",
]
FACTORS = [
    "0.9",
    "0.99 ** (epoch % 3)",
    "1 + 0.01 * epoch",
    "0.95",
    "1.1 if epoch < 3 else 0.8",
    "1",
]
SCALES = ["1 / (2 ** (x - 1))", "0.99 ** x", "1.0", "1 / (x + 1)", "0.5 + 0.5 * cos(x)"]
small = st.floats(0.05, 0.95).map(lambda v: round(v, 3))


def per_group(value: st.SearchStrategy[Any], groups: int) -> st.SearchStrategy[Any]:
    return value | st.lists(value, min_size=groups, max_size=groups)


@st.composite
def leaf(draw: st.DrawFn, groups: int, top: bool) -> dict[str, Any]:
    kinds = sorted(set(REPLICAS) - {"SequentialLR", "ChainedScheduler", "ReduceLROnPlateau"})
    kind = draw(st.sampled_from([*kinds, "ReduceLROnPlateau"] if top else kinds))
    spec: dict[str, Any] = {"type": kind}
    if kind == "LambdaLR":
        spec["lr_lambda"] = draw(per_group(st.sampled_from(LAMBDAS), groups))
    elif kind == "MultiplicativeLR":
        spec["lr_lambda"] = draw(per_group(st.sampled_from(FACTORS), groups))
    elif kind == "StepLR":
        spec.update(step_size=draw(st.integers(1, 12)), gamma=draw(small))
    elif kind == "MultiStepLR":
        spec.update(
            milestones=draw(st.lists(st.integers(1, 60), min_size=1, max_size=5)),
            gamma=draw(st.sampled_from([0.1, 0.5, 2.0, 0.3])),
        )
    elif kind == "ConstantLR":
        spec.update(
            factor=draw(st.sampled_from([0.5, 1 / 3, 0.1, 1.0])),
            total_iters=draw(st.integers(1, 30)),
        )
    elif kind == "LinearLR":
        spec.update(
            start_factor=draw(st.sampled_from([0.01, 1 / 3, 0.5, 1.0])),
            end_factor=draw(st.sampled_from([1.0, 0.5, 0.0, 0.05])),
            total_iters=draw(st.integers(1, 40)),
        )
    elif kind == "ExponentialLR":
        spec["gamma"] = draw(st.sampled_from([0.9, 0.5, 0.99, 1.05]))
    elif kind == "CosineAnnealingLR":
        spec.update(T_max=draw(st.integers(1, 50)), eta_min=draw(st.sampled_from([0, 0.001, 0.2])))
    elif kind == "PolynomialLR":
        spec.update(
            total_iters=draw(st.integers(0, 40)),
            power=draw(st.sampled_from([1.0, 2.0, 0.5, 0.9, 0.0])),
        )
    elif kind == "CosineAnnealingWarmRestarts":
        spec.update(
            T_0=draw(st.integers(1, 15)),
            T_mult=draw(st.integers(1, 3)),
            eta_min=draw(st.sampled_from([0, 0.01])),
        )
    elif kind == "CyclicLR":
        spec.update(
            base_lr=draw(per_group(st.sampled_from([0.001, 0.01, 0.05]), groups)),
            max_lr=draw(per_group(st.sampled_from([0.1, 0.5, 1.0]), groups)),
            step_size_up=draw(st.integers(1, 15)),
            mode=draw(st.sampled_from(["triangular", "triangular2", "exp_range"])),
            gamma=draw(st.sampled_from([1.0, 0.99, 0.9])),
            cycle_momentum=draw(st.booleans()),
        )
        if draw(st.booleans()):
            spec["step_size_down"] = draw(st.integers(1, 15))
        if draw(st.booleans()):
            spec.update(
                scale_fn=draw(st.sampled_from(SCALES)),
                scale_mode=draw(st.sampled_from(["cycle", "iterations"])),
            )
        if draw(st.booleans()):
            spec.update(
                base_momentum=draw(per_group(st.sampled_from([0.8, 0.85]), groups)),
                max_momentum=draw(per_group(st.sampled_from([0.9, 0.95]), groups)),
            )
    elif kind == "OneCycleLR":
        spec.update(
            max_lr=draw(per_group(st.sampled_from([0.1, 1.0, 0.3]), groups)),
            pct_start=draw(st.sampled_from([0.1, 0.25, 0.3, 0.5])),
            anneal_strategy=draw(st.sampled_from(["cos", "linear"])),
            three_phase=draw(st.booleans()),
            cycle_momentum=draw(st.booleans()),
            div_factor=draw(st.sampled_from([25.0, 10.0])),
        )
        if draw(st.booleans()):
            spec["total_steps"] = draw(st.integers(130, 300))  # beyond any run length here
        if draw(st.booleans()):
            spec.update(
                base_momentum=draw(per_group(st.sampled_from([0.8, 0.85]), groups)),
                max_momentum=draw(per_group(st.sampled_from([0.9, 0.95]), groups)),
            )
    elif kind == "ReduceLROnPlateau":
        spec.update(
            mode=draw(st.sampled_from(["min", "max"])),
            factor=draw(small),
            patience=draw(st.integers(0, 4)),
            cooldown=draw(st.integers(0, 3)),
            threshold=draw(st.sampled_from([0.0001, 0.1, 0.0])),
            threshold_mode=draw(st.sampled_from(["rel", "abs"])),
            min_lr=draw(per_group(st.sampled_from([0, 0.001, 0.02]), groups)),
        )
    return spec


@st.composite
def scheduler(draw: st.DrawFn, groups: int, depth: int = 0) -> dict[str, Any]:
    if depth >= 2 or draw(st.integers(0, 2)) > 0:
        return draw(leaf(groups, top=depth == 0))
    children = draw(st.lists(scheduler(groups, depth + 1), min_size=1, max_size=3))
    if draw(st.booleans()):
        return {"type": "ChainedScheduler", "schedulers": children}
    milestones = sorted(
        draw(st.sets(st.integers(1, 60), min_size=len(children) - 1, max_size=len(children) - 1))
    )
    return {"type": "SequentialLR", "milestones": milestones, "schedulers": children}


@st.composite
def optimizer(draw: st.DrawFn, groups: int) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(["SGD", "SGD-momentum", "Adam", "AdamW", "RMSprop", "NAdam", "Adagrad"])
    )
    lr = draw(st.sampled_from([0.1, 0.01, 1.0, 0.003]))
    spec: dict[str, Any] = {"type": kind.split("-")[0], "lr": lr}
    if kind == "SGD-momentum":
        spec["momentum"] = 0.9
    if kind == "RMSprop" and draw(st.booleans()):
        spec["momentum"] = 0.5
    overrides = []
    for _ in range(groups):
        group: dict[str, Any] = {}
        if draw(st.booleans()):
            group["lr"] = draw(st.sampled_from([0.5, 0.02, 0.2]))
        if kind.startswith("SGD") and draw(st.booleans()):
            group["momentum"] = draw(st.sampled_from([0.0, 0.8]))
        if kind in ("Adam", "AdamW", "NAdam") and draw(st.booleans()):
            group["betas"] = [draw(st.sampled_from([0.8, 0.95])), 0.99]
        overrides.append(group)
    if groups > 1 or draw(st.booleans()):
        spec["param_groups"] = overrides
    return spec


@st.composite
def run_spec(draw: st.DrawFn) -> dict[str, Any]:
    groups = draw(st.integers(1, 4))
    spec: dict[str, Any] = {
        "scheduler": draw(scheduler(groups)),
        "optimizer": draw(optimizer(groups)),
        "epochs": draw(st.integers(1, 40)),
        "steps_per_epoch": draw(st.integers(1, 3)),
        "interval": draw(st.sampled_from(["epoch", "step", None])),
    }
    if spec["scheduler"]["type"] == "ReduceLROnPlateau":
        spec["metric"] = draw(
            st.sampled_from(
                [
                    {"synthetic": {"seed": draw(st.integers(0, 99)), "noise": 0.1}},
                    {
                        "values": draw(
                            st.lists(
                                st.sampled_from([1.0, 0.9, 0.5, 0.95, 2.0]),
                                min_size=120,
                                max_size=120,
                            )
                        )
                    },
                ]
            )
        )
    return spec


@settings(
    max_examples=int(os.environ.get("LRSCOPE_FASTPATH_EXAMPLES", 200)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(run_spec())
def test_replicas_equal_stepping_on_random_configurations(spec: dict[str, Any]) -> None:
    try:
        run = resolve(spec)
    except SpecError:
        event("invalid spec")
        return  # not a valid spec: the API answers 422 before anything runs
    fast = fast_curves(run)
    slow = stepped(run)
    event(
        f"torch {'fails' if slow is None else 'steps'}, fast path "
        f"{'declines' if fast is None else 'answers'}"
    )
    if slow is None:  # torch fails: the fast path must not invent values
        assert fast is None
        return
    assert fast is not None  # every valid spec has replicas; declining would hide a bug
    assert_same(fast, slow)
