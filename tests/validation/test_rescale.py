"""A run rescaled to another length (validation/rescale.py): every catalog length of every
scheduler scales by the exact ratio, the rescaled spec is a valid RunSpec whose curve keeps
the original's shape, rounding is to the nearest integer within the catalog's bounds, and
what is not a length is kept with a warning."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run
from lrscope.validation.rescale import nearest, rescale_run, same_length
from tests.helpers.specs import SCHEDULERS

CATALOG = default_catalog()
BASE = {"epochs": 40, "steps_per_epoch": 2, "max_points": 0}


def rescale(spec: dict[str, Any], epochs: int, steps_per_epoch: int) -> Any:
    return rescale_run(RunSpec.model_validate(spec), epochs, steps_per_epoch, CATALOG, Limits())


def lengths_of(scheduler: dict[str, Any]) -> dict[str, Any]:
    """The scheduler's length arguments, as the catalog flags them (given or default)."""
    info = CATALOG.schedulers[scheduler["type"]]
    out = {}
    for p in info.params:
        value = scheduler.get(p.name, p.default)
        if p.length is not None and value is not None:
            out[p.name] = value
    return out


def times(value: Any, k: int) -> Any:
    return [v * k for v in value] if isinstance(value, list) else value * k


def test_every_scheduler_of_the_catalog_has_an_example() -> None:
    assert set(SCHEDULERS) <= set(CATALOG.schedulers)
    flagged = {n for n, i in CATALOG.schedulers.items() if any(p.length for p in i.params)}
    # the lengths are the catalog's data: periods, milestones, warmups, patience, ...
    assert {"StepLR", "CyclicLR", "CosineAnnealingLR", "OneCycleLR", "SWALR"} <= flagged
    assert "ExponentialLR" not in flagged and "LambdaLR" not in flagged


def check_scaled(
    old: dict[str, Any], new: dict[str, Any], k: int, loc: str
) -> set[tuple[str, str]]:
    """Assert every length of ``old`` is k times in ``new`` and the rest is kept; return
    the warnings expected: (code, where) for each node with no length or a formula."""
    info = CATALOG.schedulers[old["type"]]
    old_lengths = lengths_of(old)
    assert lengths_of(new) == {key: times(v, k) for key, v in old_lengths.items()}
    for key, value in old.items():  # what is not a length is kept
        if key not in old_lengths and key != "schedulers":
            assert new[key] == value
    expected = set()
    if not old_lengths and not info.composite:
        expected.add(("rescale_no_length", loc))
    for p in info.params:
        if p.type == "expression" and p.name in old:
            expected.add(("rescale_formula_kept", f"{loc}.{p.name}"))
    for i, child in enumerate(old.get("schedulers", [])):
        expected |= check_scaled(child, new["schedulers"][i], k, f"{loc}.schedulers.{i}")
    return expected


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_every_length_scales_by_the_exact_ratio(name: str) -> None:
    scheduler = SCHEDULERS[name]
    out = rescale({**BASE, "scheduler": scheduler}, 160, 2)  # x4 in epochs and in steps
    expected = check_scaled(scheduler, out.spec.scheduler.model_dump(), 4, "scheduler")
    assert {(w["code"], w["params"]["where"]) for w in out.warning_details} == expected
    assert out.spec.epochs == 160 and out.spec.steps_per_epoch == 2
    resolve_run(out.spec, CATALOG, Limits())  # a valid RunSpec


def _points(spec: RunSpec, metric: dict[str, Any] | None = None) -> list[float]:
    data = spec.model_dump(mode="json", exclude_none=True)
    return evaluate({**data, "max_points": 0, **({"metric": metric} if metric else {})})["groups"][
        0
    ]["lr"]


# Schedulers whose curve, rescaled x4, passes through the original's values at every
# fourth step. Not in it: those with no length or a formula (they run as written, so the
# shape changes: that is what their warning says), ReduceLROnPlateau (its curve follows
# the metric, not lengths) and OneCycleLR (its phases end at pct_start * total_steps - 1:
# the -1 does not scale).
SHAPE_KEPT = [
    "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "SequentialLR", "CosineAnnealingLR",
    "CyclicLR", "CosineAnnealingWarmRestarts", "PolynomialLR",
]  # fmt: skip


@pytest.mark.parametrize("name", SHAPE_KEPT)
def test_a_rescaled_curve_keeps_the_shape(name: str) -> None:
    original = RunSpec.model_validate({**BASE, "scheduler": SCHEDULERS[name]})
    out = rescale_run(original, 160, 2, CATALOG, Limits())
    resolved = resolve_run(original, CATALOG, Limits())
    old, new = _points(original), _points(out.spec)
    assert len(new) == 4 * len(old)
    # per batch: step 4i is the original's step i; per epoch: epoch 4e is the original's e
    unit = 1 if resolved.interval == "step" else 2
    for i in range(0, len(old), unit):
        assert new[4 * i] == pytest.approx(old[i], rel=1e-9)
    assert len(set(old)) > 1  # the curve moves


def test_the_cyclic_preset_rescaled_to_a_short_task_still_cycles() -> None:
    spec = {"scheduler": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1,
                          "step_size_up": 2000}, "epochs": 10, "steps_per_epoch": 1000,
            "optimizer": {"type": "SGD", "lr": 0.01, "momentum": 0.9}}  # fmt: skip
    out = rescale(spec, 10, 2)
    ratio = Fraction(20, 10000)
    assert out.spec.scheduler.model_dump()["step_size_up"] == nearest(2000, ratio, 1) == 4
    assert out.changes == [{"loc": ["scheduler", "step_size_up"], "from": 2000, "to": 4}]
    lr = _points(out.spec)
    assert len(lr) == 20
    peaks = [i for i in range(1, 19) if lr[i - 1] < lr[i] > lr[i + 1]]
    assert len(peaks) >= 2 and max(lr) == pytest.approx(0.1)


def test_rounding_is_to_the_nearest_within_the_catalog_bounds() -> None:
    assert nearest(5, Fraction(1, 2), 1) == 3  # 2.5: halves up
    assert nearest(7, Fraction(1, 10), 1) == 1  # 0.7
    assert nearest(3, Fraction(1, 10), 1) == 1  # 0.3, but StepLR's step_size is at least 1
    ms = {"type": "MultiStepLR", "milestones": [30, 60, 90]}
    out = rescale({"scheduler": ms, "epochs": 100}, 2, 1)
    milestones = out.spec.scheduler.model_dump()["milestones"]
    assert milestones == sorted(set(milestones)) and milestones[0] >= 1  # still increasing
    step = rescale({"scheduler": {"type": "StepLR", "step_size": 3}, "epochs": 100}, 10, 1)
    assert step.spec.scheduler.model_dump()["step_size"] == 1


def test_a_default_length_is_scaled_and_written() -> None:
    out = rescale({**BASE, "scheduler": {"type": "LinearLR", "start_factor": 0.1}}, 80, 2)
    default = CATALOG.schedulers["LinearLR"].param("total_iters")
    assert default is not None
    assert out.spec.scheduler.model_dump()["total_iters"] == 2 * default.default


def test_loop_entries_scale_in_their_own_units() -> None:
    loop = {"type": "Loop", "schedulers": [
        {"scheduler": {"type": "LinearLR", "start_factor": 0.1, "total_iters": 20},
         "interval": "step", "end": 20},
        {"scheduler": {"type": "MultiStepLR", "milestones": [10, 20]}, "interval": "epoch",
         "begin": 2, "every": 2},
    ]}  # fmt: skip
    out = rescale({"scheduler": loop, "epochs": 40, "steps_per_epoch": 10}, 20, 5)  # steps /4
    entries = out.spec.scheduler.model_dump()["schedulers"]
    assert entries[0]["scheduler"]["total_iters"] == 5 and entries[0]["end"] == 5
    assert entries[1]["scheduler"]["milestones"] == [5, 10]  # epochs / 2
    assert entries[1]["begin"] == 1 and entries[1]["every"] == 1


def test_one_cycle_follows_its_own_epochs_and_batches() -> None:
    one = {"type": "OneCycleLR", "max_lr": 0.1, "epochs": 10, "steps_per_epoch": 100}
    out = rescale({"scheduler": one, "epochs": 10, "steps_per_epoch": 100}, 20, 3)
    new = out.spec.scheduler.model_dump()
    assert (new["epochs"], new["steps_per_epoch"]) == (20, 3)
    assert len(_points(out.spec)) == 60


def test_same_length_depends_on_what_the_schedule_counts() -> None:
    def resolved(scheduler: dict[str, Any], **run: Any) -> Any:
        spec = {"scheduler": scheduler, "epochs": 10, "steps_per_epoch": 100, **run}
        return resolve_run(RunSpec.model_validate(spec), CATALOG, Limits())

    per_epoch = resolved({"type": "StepLR", "step_size": 3})
    assert same_length(per_epoch, 10, 2) and not same_length(per_epoch, 20, 100)
    per_batch = resolved({"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1})
    assert same_length(per_batch, 20, 50) and not same_length(per_batch, 10, 2)
    fractional = resolved({"type": "CosineAnnealingWarmRestarts", "T_0": 2}, interval="fractional")
    assert not same_length(fractional, 20, 50) and same_length(fractional, 10, 100)
