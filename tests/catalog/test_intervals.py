"""Which schedulers take ``"fractional"``: found from torch's signatures, not by name."""

from __future__ import annotations

from lrscope.catalog import default_catalog
from lrscope.catalog.intervals import takes_fractional_epoch


def test_only_warm_restarts_takes_a_fractional_epoch_in_torch_2_13() -> None:
    takes = [s.name for s in default_catalog().schedulers.values() if "fractional" in s.intervals]
    assert takes == ["CosineAnnealingWarmRestarts"]


def test_a_scheduler_with_its_own_step_epoch_is_found() -> None:
    class Own:
        def step(self, epoch: float | None = None) -> None: ...

    class NoEpoch:
        def step(self) -> None: ...

    assert takes_fractional_epoch(Own, needs_metric=False, composite=False)
    assert not takes_fractional_epoch(Own, needs_metric=False, composite=True)
    assert not takes_fractional_epoch(NoEpoch, needs_metric=False, composite=False)


def test_the_catalog_json_lists_intervals() -> None:
    schedulers = {s["name"]: s for s in default_catalog().to_json()["schedulers"]}
    assert list(schedulers["StepLR"]["intervals"]) == ["epoch", "step"]
    assert list(schedulers["CosineAnnealingWarmRestarts"]["intervals"]) == [
        "epoch",
        "step",
        "fractional",
    ]
