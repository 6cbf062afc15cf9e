"""Lightning lr_scheduler configs read as a Loop (``importing/lightning_loop.py``): a
``frequency`` k and a list of configs with their own intervals. Each curve is compared with
the learning rates Lightning 2.6's own ``Trainer`` uses when it fits the same module."""

from __future__ import annotations

from typing import Any

import pytest
import torch
from torch.utils.data import DataLoader

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.importing import import_text
from lrscope.settings import Limits

lightning = pytest.importorskip("lightning")


def imported(text: str, **values: Any) -> dict[str, Any]:
    return import_text(text, values, default_catalog(), Limits())


def curve(spec: dict[str, Any]) -> list[float]:
    return list(evaluate({**spec, "max_points": 0})["groups"][0]["lr"])


class Record(lightning.Callback):
    def __init__(self) -> None:
        self.lrs: list[float] = []

    def on_train_batch_start(self, trainer: Any, *_: Any) -> None:
        self.lrs.append(trainer.optimizers[0].param_groups[0]["lr"])


def lightning_lrs(text: str, epochs: int, batches: int) -> list[float]:
    """The lr of each optimizer step when Lightning fits ``text``'s ``LitModel``."""
    names: dict[str, Any] = {"torch": torch, "L": lightning}
    exec(text, names)  # the test's own module, run by Lightning

    class Run(names["LitModel"]):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.w = torch.nn.Linear(1, 1)

        def training_step(self, batch: torch.Tensor, _: int) -> torch.Tensor:
            return (self.w(batch.float().unsqueeze(1)) ** 2).mean()

    record = Record()
    trainer = lightning.Trainer(
        accelerator="cpu", devices=1, max_epochs=epochs, logger=False, callbacks=[record],
        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
    )  # fmt: skip
    trainer.fit(Run(), DataLoader(list(range(2 * batches)), batch_size=2))
    return record.lrs


# Lightning's documented lr_scheduler_config ("How many epochs/steps should pass between
# calls to scheduler.step()"), with a frequency of 2 epochs.
FREQUENCY = """
class LitModel(L.LightningModule):
    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
        return {
            "optimizer": optimizer,
            "lr_scheduler": {"scheduler": scheduler, "interval": "epoch", "frequency": 2},
        }
"""

# Lightning's docs show several lr_scheduler configs returned as a list; here a per-step
# warmup every 2 steps and a per-epoch decay on one optimizer.
TWO_CONFIGS = """
class LitModel(L.LightningModule):
    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
        warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=3)
        decay = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2, 4], gamma=0.5)
        return [optimizer], [
            {"scheduler": warmup, "interval": "step", "frequency": 2},
            {"scheduler": decay, "interval": "epoch"},
        ]
"""


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
def test_lightning_frequency_is_every() -> None:
    spec = imported(FREQUENCY, max_epochs=7)["spec"]
    assert spec["scheduler"] == {
        "type": "Loop",
        "schedulers": [
            {"scheduler": {"type": "ExponentialLR", "gamma": 0.5}, "interval": "epoch", "every": 2}
        ],
    }
    assert curve(spec) == lightning_lrs(FREQUENCY, 7, 1)


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
def test_lightning_configs_with_different_intervals() -> None:
    spec = imported(TWO_CONFIGS, max_epochs=6, **{"len(train_dataloader)": 4})["spec"]
    entries = spec["scheduler"]["schedulers"]
    assert [(e["interval"], e.get("every", 1)) for e in entries] == [("step", 2), ("epoch", 1)]
    assert (spec["epochs"], spec["steps_per_epoch"]) == (6, 4)
    assert curve(spec) == lightning_lrs(TWO_CONFIGS, 6, 4)


def test_a_step_frequency_that_does_not_divide_the_epoch_is_refused_at_its_line() -> None:
    # Lightning counts a step config's frequency by the batch index within the epoch.
    with pytest.raises(SpecError) as raised:
        imported(TWO_CONFIGS, max_epochs=6, **{"len(train_dataloader)": 5})
    (error,) = raised.value.errors
    assert error["code"] == "import_unreadable" and error["params"]["line"] == "7"
    assert "not a multiple of 2" in error["msg"]


def test_configs_stepped_in_the_other_order_than_built_are_refused() -> None:
    swapped = FREQUENCY.replace(
        '"lr_scheduler": {"scheduler": scheduler, "interval": "epoch", "frequency": 2},',
        '"lr_scheduler": [{"scheduler": other}, {"scheduler": scheduler}],',
    ).replace(
        "        return {",
        "        other = torch.optim.lr_scheduler.StepLR(optimizer, 2)\n        return {",
    )
    with pytest.raises(SpecError) as raised:
        imported(swapped, max_epochs=4)
    assert "builds and steps them in one order" in raised.value.errors[0]["msg"]
