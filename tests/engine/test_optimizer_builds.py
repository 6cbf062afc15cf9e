"""One request builds torch's optimizer once (validation's trial build, whose param groups
the replicas start from); stepping torch builds one more, the one it steps."""

from __future__ import annotations

import functools
from typing import Any

import pytest
import torch

from lrscope.catalog import build_catalog, default_catalog
from lrscope.engine import evaluate, self_check


@pytest.fixture
def sgd_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    default_catalog()  # read torch's signatures before the patch
    self_check.self_check()  # the boot-time check builds its own (once per process)
    calls: list[int] = []
    original = torch.optim.SGD.__init__

    @functools.wraps(original)
    def counting(self: torch.optim.SGD, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(torch.optim.SGD, "__init__", counting)
    return calls


def test_the_fast_path_builds_the_optimizer_once(sgd_builds: list[int]) -> None:
    out = evaluate({"scheduler": {"type": "StepLR", "step_size": 3}, "epochs": 10})
    assert out["groups"][0]["lr"][3] == pytest.approx(0.01)
    assert len(sgd_builds) == 1


class HalvedStepLR(torch.optim.lr_scheduler.StepLR):
    """Not torch's own class: no replica can know it, so torch itself is stepped."""


def test_stepping_torch_builds_one_more(sgd_builds: list[int]) -> None:
    catalog = build_catalog(extra_schedulers={"HalvedStepLR": HalvedStepLR})
    spec = {"scheduler": {"type": "HalvedStepLR", "step_size": 2, "gamma": 0.5}, "epochs": 4}
    out = evaluate(spec, catalog=catalog)
    assert out["groups"][0]["lr"] == [0.1, 0.1, 0.05, 0.05]
    assert len(sgd_builds) == 2
