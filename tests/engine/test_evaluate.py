"""``evaluate``: run semantics pinned to torch 2.13, and any JSON for any argument gives
curves or a SpecError, never a crash.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lrscope.catalog import Param, default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from tests.helpers.runs import (
    ONE_LR,
    lrs,
)


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
    first = lrs(synthetic)
    assert lrs(synthetic) == first  # the same seed, the same curve
    assert lrs(synthetic) != lrs({**synthetic, "metric": {"synthetic": {"seed": 4}}})
    assert lrs({**synthetic, "metric": None}) == lrs({**synthetic, "metric": {"synthetic": {}}})


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
    total, x = epochs * per_epoch, out["x"]
    assert out["num_steps"] == total
    if max_points == 0 or total <= max_points:  # every point
        assert x == list(range(total)) and out["decimated"] is False
    else:  # some of the steps, in order, both ends kept
        assert out["decimated"] is True
        assert x == sorted(set(x)) and x[0] == 0 and x[-1] == total - 1 and len(x) <= total
    assert all(len(g["lr"]) == len(x) for g in out["groups"])
