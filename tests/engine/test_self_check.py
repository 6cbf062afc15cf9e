"""The self-check (``engine/self_check.py``): at boot every replica is compared with real
torch; one that disagrees, or any replica on a torch it was not written against, is
switched off and the service steps torch instead."""

from __future__ import annotations

import pytest
import torch

from lrscope.engine import replay, self_check
from lrscope.engine.curves import Curves
from lrscope.engine.replicas import REPLICAS
from lrscope.validation import ResolvedRun
from tests.helpers.runs import resolve
from tests.helpers.specs import SCHEDULERS

pytestmark = pytest.mark.usefixtures("fresh_self_check")


def fast_curves(run: ResolvedRun) -> Curves | None:
    """The replicas' curves, or None where the service would step torch."""
    return replay.fast_curves(run, self_check.disabled_replicas())


def test_a_replica_that_disagrees_is_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(REPLICAS["ExponentialLR"], "get_lr", lambda self: [0.5])
    disabled = self_check.self_check()
    assert "ExponentialLR" in disabled
    assert "StepLR" not in disabled
    run = resolve({"scheduler": {"type": "ExponentialLR", "gamma": 0.5}, "epochs": 5})
    assert fast_curves(run) is None
    assert fast_curves(resolve({"scheduler": SCHEDULERS["StepLR"]})) is not None


def test_another_torch_version_switches_every_replica_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(torch, "__version__", "2.99.0")
    assert self_check.self_check() == set(REPLICAS)
    assert fast_curves(resolve({"scheduler": SCHEDULERS["StepLR"]})) is None


def test_the_self_check_passes_on_the_installed_torch() -> None:
    assert self_check.self_check() == set()
