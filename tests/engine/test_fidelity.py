"""Fidelity: with ``max_points: 0`` the engine's values are bitwise those of a training loop.

Hypothesis draws random valid run specs across all 14 schedulers of torch 2.13, nesting up
to three levels, one to four param groups, five optimizers and both step intervals. Each
spec is evaluated by ``lrscope.engine.evaluate`` and replayed by a plain PyTorch loop
written here from the same dict, independently of lrscope: a real ``nn.Linear`` per param
group, a real ``loss.backward()`` and ``optimizer.step()``, ``group["lr"]`` read before each
optimizer step, and ``scheduler.step()`` where a training script would call it.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest
import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from torch.optim import lr_scheduler

from lrscope.engine import evaluate

LEAVES = [
    "LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
    "ExponentialLR", "CosineAnnealingLR", "CyclicLR", "CosineAnnealingWarmRestarts",
    "OneCycleLR", "PolynomialLR",
]  # fmt: skip
PER_BATCH = {"OneCycleLR", "CyclicLR"}  # the schedulers whose step unit is the batch
# Formulas that stay finite and positive for every epoch a run here reaches.
LAMBDAS = [
    "0.95 ** epoch", "min(1, (epoch + 1) / 5)", "1 / (epoch + 1)", "max(0.1, 1 - epoch / 50)",
    "0.5 * (1 + cos(pi * epoch / 60))", "exp(-0.05 * epoch)", "0.1 if epoch < 10 else 1.0",
    "sqrt(5 / max(epoch, 5))",
]  # fmt: skip
FACTORS = ["0.95", "0.9 if epoch % 10 == 0 else 1.0", "1 - 0.001 * epoch", "1.01", "0.5 ** 0.1"]
SCALES = ["1 / (2.0 ** (x - 1))", "0.9 ** x", "1.0", "1 / (1 + 0.01 * x)"]
FUNCTIONS = ("exp", "log", "sqrt", "cos", "sin", "tan", "tanh", "floor", "ceil", "log10", "log2")
MATH = {n: getattr(math, n) for n in FUNCTIONS}
NAMES = {"min": min, "max": max, "abs": abs, "pi": math.pi, "e": math.e, **MATH}
OPTIMIZERS = ["SGD", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


# --- random valid specs ---------------------------------------------------------------------
@st.composite
def per_group(draw: st.DrawFn, values: st.SearchStrategy[Any], groups: int) -> Any:
    if groups > 1 and draw(st.booleans()):
        return [draw(values) for _ in range(groups)]
    return draw(values)


@st.composite
def leaf(draw: st.DrawFn, name: str, groups: int, momentum: bool, horizon: int) -> dict:
    """One non-composite scheduler; ``horizon`` bounds how often torch may step it."""
    spec: dict[str, Any] = {"type": name}
    if name in ("LambdaLR", "MultiplicativeLR"):
        spec["lr_lambda"] = draw(
            per_group(st.sampled_from(LAMBDAS if name == "LambdaLR" else FACTORS), groups)
        )
    elif name == "StepLR":
        spec.update(step_size=draw(st.integers(1, 10)), gamma=draw(_floats(0.05, 2.0)))
    elif name == "MultiStepLR":
        spec["milestones"] = draw(st.lists(st.integers(1, 80), min_size=1, max_size=4))
        spec["gamma"] = draw(_floats(0.05, 1.5))
    elif name == "ConstantLR":
        spec.update(factor=draw(_floats(0.01, 1.0)), total_iters=draw(st.integers(1, 20)))
    elif name == "LinearLR":
        spec.update(
            start_factor=draw(_floats(0.01, 1.0)),
            end_factor=draw(_floats(0.0, 1.0)),
            total_iters=draw(st.integers(1, 20)),
        )
    elif name == "ExponentialLR":
        spec["gamma"] = draw(_floats(0.5, 1.1))
    elif name == "CosineAnnealingLR":
        spec.update(T_max=draw(st.integers(1, 80)), eta_min=draw(_floats(0.0, 0.2)))
    elif name == "CosineAnnealingWarmRestarts":
        spec.update(
            T_0=draw(st.integers(1, 20)),
            T_mult=draw(st.integers(1, 3)),
            eta_min=draw(_floats(0.0, 0.01)),
        )
    elif name == "PolynomialLR":
        spec.update(total_iters=draw(st.integers(1, 30)), power=draw(_floats(0.0, 3.0)))
    elif name == "CyclicLR":
        base = [draw(_floats(1e-4, 0.05)) for _ in range(groups)]
        spec["base_lr"] = base if groups > 1 and draw(st.booleans()) else min(base)
        spec["max_lr"] = (
            [b + draw(_floats(0.0, 0.5)) for b in base]
            if draw(st.booleans())
            else max(base) + draw(_floats(0.0, 0.5))
        )
        spec.update(
            step_size_up=draw(st.integers(1, 10)),
            step_size_down=draw(st.none() | st.integers(1, 10)),
            mode=draw(st.sampled_from(["triangular", "triangular2", "exp_range"])),
            gamma=draw(_floats(0.9, 1.0)),
            cycle_momentum=momentum and draw(st.booleans()),
        )
        if draw(st.booleans()):
            spec.update(
                scale_fn=draw(st.sampled_from(SCALES)),
                scale_mode=draw(st.sampled_from(["cycle", "iterations"])),
            )
            del spec["mode"]
        if spec["cycle_momentum"] and draw(st.booleans()):
            spec.update(
                base_momentum=draw(per_group(_floats(0.5, 0.85), groups)),
                max_momentum=draw(_floats(0.85, 0.99)),
            )
    elif name == "OneCycleLR":
        spec.update(
            max_lr=draw(per_group(_floats(0.01, 1.0), groups)),
            anneal_strategy=draw(st.sampled_from(["cos", "linear"])),
            div_factor=draw(_floats(1.0, 100.0)),
            final_div_factor=draw(_floats(1.0, 1e4)),
            three_phase=draw(st.booleans()),
            cycle_momentum=momentum and draw(st.booleans()),
        )
        # quirks step a nested scheduler at most once per level more than the run does
        if draw(st.booleans()):
            spec["total_steps"] = horizon + 4
        else:
            spec.update(epochs=horizon + 4, steps_per_epoch=1)
        high = 0.45 if spec["three_phase"] else 0.9
        spec["pct_start"] = draw(_floats(0.3, high))
    return spec


@st.composite
def scheduler(draw: st.DrawFn, depth: int, groups: int, momentum: bool, horizon: int,
              leaf_only: bool = False, kind: str | None = None) -> dict:  # fmt: skip
    if kind is None:
        composite = not leaf_only and depth < 3 and draw(st.integers(0, 2)) == 0
        kind = draw(st.sampled_from(["SequentialLR", "ChainedScheduler"] if composite else LEAVES))
    if kind == "SequentialLR":
        n = draw(st.integers(1, 3))
        milestones = sorted(
            draw(st.sets(st.integers(1, horizon + 5), min_size=n - 1, max_size=n - 1))
        )
        # torch cannot switch to a composite at a milestone: only child 0 may be one
        children = [
            draw(scheduler(depth + 1, groups, momentum, horizon, leaf_only=i > 0)) for i in range(n)
        ]
        return {"type": "SequentialLR", "schedulers": children, "milestones": milestones}
    if kind == "ChainedScheduler":
        children = [
            draw(scheduler(depth + 1, groups, momentum, horizon))
            for _ in range(draw(st.integers(1, 3)))
        ]
        return {"type": "ChainedScheduler", "schedulers": children}
    return draw(leaf(kind, groups, momentum, horizon))


@st.composite
def optimizer(draw: st.DrawFn) -> dict:
    name = draw(st.sampled_from(OPTIMIZERS))
    spec: dict[str, Any] = {"type": name, "lr": draw(_floats(1e-3, 1.0))}
    if name in ("SGD", "RMSprop"):
        spec["momentum"] = draw(st.sampled_from([0.0, 0.5, 0.9]))
    if name in ("Adam", "AdamW") and draw(st.booleans()):
        spec["betas"] = [draw(_floats(0.5, 0.95)), 0.999]
    groups = []
    for _ in range(draw(st.integers(1, 4))):
        group: dict[str, Any] = {}
        if draw(st.booleans()):
            group["lr"] = draw(_floats(1e-3, 1.0))
        if name == "SGD" and draw(st.booleans()):
            group["momentum"] = draw(st.sampled_from([0.0, 0.8]))
        groups.append(group)
    spec["param_groups"] = groups
    return spec


def _interval(spec: dict, chosen: str | None) -> str:
    if chosen is not None:
        return chosen
    stack = [spec]
    while stack:
        node = stack.pop()
        if node["type"] in PER_BATCH:
            return "step"
        stack.extend(node.get("schedulers", []))
    return "epoch"


@st.composite
def run_specs(draw: st.DrawFn, top: str) -> dict:
    opt = draw(optimizer())
    groups = len(opt["param_groups"])
    momentum = opt["type"] != "Adagrad"
    epochs, per_epoch = draw(st.integers(1, 60)), draw(st.integers(1, 4))
    chosen = draw(st.sampled_from([None, "epoch", "step"]))
    horizon = epochs * per_epoch
    if top == "ReduceLROnPlateau":
        sched = {"type": "ReduceLROnPlateau", "mode": draw(st.sampled_from(["min", "max"])),
                 "factor": draw(_floats(0.1, 0.9)), "patience": draw(st.integers(0, 3)),
                 "threshold": draw(_floats(0.0, 0.1)), "cooldown": draw(st.integers(0, 2)),
                 "threshold_mode": draw(st.sampled_from(["rel", "abs"])),
                 "min_lr": draw(per_group(_floats(0.0, 1e-3), groups))}  # fmt: skip
    else:
        sched = draw(scheduler(1, groups, momentum, horizon, kind=top))
    interval = _interval(sched, chosen)
    values = epochs if interval == "epoch" else horizon
    if sched["type"] == "OneCycleLR" and draw(st.booleans()):
        # total_steps left out: the run length, and pct_start must leave each phase a step
        for key in ("total_steps", "epochs", "steps_per_epoch"):
            sched.pop(key, None)
        total = max(values, 2)
        high = (total + 1) / (2 * total) if sched["three_phase"] else 1.0
        sched["pct_start"] = draw(_floats(1 / total + 0.01, high - 0.01))
    spec = {"scheduler": sched, "optimizer": opt, "epochs": epochs,
            "steps_per_epoch": per_epoch, "max_points": 0}  # fmt: skip
    if chosen is not None:
        spec["interval"] = chosen
    if sched["type"] == "ReduceLROnPlateau":
        level = st.sampled_from([1.0, 0.9, 0.8, 0.8, 0.8, 0.7])
        spec["metric"] = {"values": draw(st.lists(level, min_size=values - 1, max_size=values + 2))}
    return spec


# --- the plain training loop ------------------------------------------------------------------
def _formula(source: str, variable: str) -> Any:
    return eval(f"lambda {variable}: {source}", {"__builtins__": {}, **NAMES})  # test-only


def torch_scheduler(spec: dict, opt: torch.optim.Optimizer, values: int) -> Any:
    args = {k: v for k, v in spec.items() if k != "type"}
    cls = getattr(lr_scheduler, spec["type"])
    if spec["type"] == "SequentialLR":
        children = [torch_scheduler(c, opt, values) for c in spec["schedulers"]]
        return cls(opt, schedulers=children, milestones=spec["milestones"])
    if spec["type"] == "ChainedScheduler":
        return cls([torch_scheduler(c, opt, values) for c in spec["schedulers"]], optimizer=opt)
    if "lr_lambda" in args:
        f = args["lr_lambda"]
        args["lr_lambda"] = [_formula(s, "epoch") for s in f] if isinstance(f, list) else \
            _formula(f, "epoch")  # fmt: skip
    if "scale_fn" in args:
        args["scale_fn"] = _formula(args["scale_fn"], "x")
    if spec["type"] == "OneCycleLR" and "total_steps" not in args and "epochs" not in args:
        args["total_steps"] = max(values, 2)
    return cls(opt, **args)


def training_loop(spec: dict) -> tuple[list[list[float]], list[list[float]] | None]:
    """What a training script records: the lr (and momentum or beta1) of every step."""
    torch.manual_seed(0)
    opt_spec = dict(spec["optimizer"])
    name, overrides = opt_spec.pop("type"), opt_spec.pop("param_groups")
    if "betas" in opt_spec:
        opt_spec["betas"] = tuple(opt_spec["betas"])
    layers = [torch.nn.Linear(3, 1) for _ in overrides]
    groups = [
        {"params": layer.parameters(), **o} for layer, o in zip(layers, overrides, strict=True)
    ]
    opt = getattr(torch.optim, name)(groups, **opt_spec)
    interval = _interval(spec["scheduler"], spec.get("interval"))
    epochs, per_epoch = spec["epochs"], spec["steps_per_epoch"]
    values = epochs if interval == "epoch" else epochs * per_epoch
    with warnings.catch_warnings():
        # SequentialLR(ChainedScheduler(...)) steps the chained children in its constructor,
        # before any optimizer step: torch warns, in a real script too. (The engine must not.)
        warnings.filterwarnings("ignore", "Detected call of `lr_scheduler.step", UserWarning)
        sched = torch_scheduler(spec["scheduler"], opt, values)
    metric = spec.get("metric", {}).get("values")
    inputs = torch.randn(8, 3)
    lrs: list[list[float]] = [[] for _ in layers]
    moms: list[list[float]] = [[] for _ in layers]
    stepped = 0

    def scheduler_step() -> None:
        nonlocal stepped
        if stepped + 1 < values:  # no value is read after the last step
            sched.step(metric[stepped]) if metric is not None else sched.step()
        stepped += 1

    for _ in range(epochs):
        for _ in range(per_epoch):
            for g, group in enumerate(opt.param_groups):
                lrs[g].append(group["lr"])
                if "momentum" in group:
                    moms[g].append(group["momentum"])
                elif "betas" in group:
                    moms[g].append(group["betas"][0])
            opt.zero_grad()
            loss = sum((layer(inputs) ** 2).mean() for layer in layers)
            loss.backward()  # type: ignore[union-attr]
            opt.step()
            if interval == "step":
                scheduler_step()
        if interval == "epoch":
            scheduler_step()
    return lrs, (moms if name != "Adagrad" else None)


def _describe(spec: dict) -> None:
    """Coverage, shown by ``pytest --hypothesis-show-statistics``."""
    stack = [(spec["scheduler"], 1)]
    while stack:
        node, depth = stack.pop()
        event(f"scheduler {node['type']}")
        event(f"depth {depth}")
        stack.extend((child, depth + 1) for child in node.get("schedulers", []))
    event(f"optimizer {spec['optimizer']['type']}")
    event(f"{len(spec['optimizer']['param_groups'])} param group(s)")
    event(f"interval {spec.get('interval')}")


def _bits(values: list[float]) -> list[str]:
    return [float(v).hex() for v in values]


ALL = [*LEAVES, "SequentialLR", "ChainedScheduler", "ReduceLROnPlateau"]


@pytest.mark.parametrize("top", ALL)
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_engine_equals_a_plain_training_loop(top: str, data: st.DataObject) -> None:
    """12 random runs per scheduler type at the top, 15 types: 180 runs, nesting inside."""
    spec = data.draw(run_specs(top), label="spec")
    _describe(spec)
    out = evaluate(spec)
    lrs, moms = training_loop(spec)
    assert out["num_steps"] == spec["epochs"] * spec["steps_per_epoch"]
    assert out["decimated"] is False
    assert [_bits(g["lr"]) for g in out["groups"]] == [_bits(v) for v in lrs]
    if moms is None:
        assert all(g["momentum"] is None for g in out["groups"])
    else:
        assert [_bits(g["momentum"]) for g in out["groups"]] == [_bits(v) for v in moms]
