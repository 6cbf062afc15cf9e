"""Checking a run spec the way the service does, and reading what came back: the errors
(each must have a ``loc`` and a plain message), the rates, the warnings."""

from __future__ import annotations

from typing import Any

import pytest

from lrscope.catalog import Catalog, default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import ResolvedRun, resolve_run


def run(scheduler: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A 10-epoch run of ``scheduler``, with ``extra`` run fields."""
    return {"scheduler": scheduler, "epochs": 10, **extra}


def resolve(
    spec: dict[str, Any], catalog: Catalog | None = None, limits: Limits | None = None
) -> ResolvedRun:
    return resolve_run(
        RunSpec.model_validate(spec), catalog or default_catalog(), limits or Limits()
    )


def errors_of(spec: dict[str, Any], limits: Limits | None = None) -> list[dict[str, Any]]:
    """The problems validation reports for ``spec`` (it must report some)."""
    with pytest.raises(SpecError) as raised:
        resolve(spec, limits=limits)
    for e in raised.value.errors:
        assert set(e) == {"loc", "msg", "type", "code", "params"}
        assert isinstance(e["msg"], str) and len(e["msg"]) > 10
    return raised.value.errors


def only_error(spec: dict[str, Any], limits: Limits | None = None) -> dict[str, Any]:
    errors = errors_of(spec, limits)
    assert len(errors) == 1, errors
    return errors[0]


def assert_refused_at(spec: dict[str, Any], loc: list[Any], words: str) -> None:
    """The spec gets exactly one error, at ``loc``, whose message contains ``words``."""
    e = only_error(spec)
    assert e["loc"] == loc
    assert words in e["msg"]


def lrs(spec: dict[str, Any]) -> list[float]:
    """Every rate of the first param group, undecimated."""
    return evaluate({**spec, "max_points": 0})["groups"][0]["lr"]  # type: ignore[no-any-return]


def quirk(spec: dict[str, Any], words: str) -> list[float]:
    """The rates of a run whose warnings must include ``words``."""
    out = evaluate({**spec, "max_points": 0})
    assert any(words in w for w in out["warnings"]), out["warnings"]
    return out["groups"][0]["lr"]  # type: ignore[no-any-return]


# Shorthands the validation tests write their cases with.
S, CYC, ONE = "scheduler", "CyclicLR", "OneCycleLR"
SEQ: dict[str, Any] = {"type": "SequentialLR", "milestones": [2]}
STEP: dict[str, Any] = {"type": "StepLR", "step_size": 2}
ADAGRAD: dict[str, Any] = {"type": "Adagrad", "lr": 0.1}
CYCLIC: dict[str, Any] = {"type": CYC, "base_lr": 0.01, "max_lr": 0.1}
TWO_GROUPS: dict[str, Any] = {"type": "SGD", "lr": 0.1, "momentum": 0.9, "param_groups": [{}, {}]}
ONE_LR: dict[str, Any] = {"type": "SGD", "lr": 1.0}
