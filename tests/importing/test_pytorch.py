"""PyTorch and Lightning code (``importing/pytorch.py``, ``importing/lightning.py``): what a
script steps, and how, read into a spec whose curve is what that script would record."""

from __future__ import annotations

from typing import Any

import pytest
import torch
import transformers

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.importing import import_text
from lrscope.settings import Limits


def imported(text: str, **values: Any) -> dict[str, Any]:
    return import_text(text, values, default_catalog(), Limits())


def curve(spec: dict[str, Any]) -> list[float]:
    return list(evaluate({**spec, "max_points": 0})["groups"][0]["lr"])


TWO_STEPPED = """
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
warm = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=4)
decay = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)
for epoch in range(12):
    train()
    warm.step()
    decay.step()
"""


def test_two_schedulers_stepped_together_are_what_the_script_records() -> None:
    result = imported(TWO_STEPPED)
    assert result["spec"]["scheduler"]["type"] == "ChainedScheduler"
    assert result["warning_details"][0]["code"] == "import_chained"
    # the script itself, stepped by hand
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    warm = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=4)
    decay = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.8)
    lrs = []
    for _ in range(12):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        warm.step()
        decay.step()
    assert curve(result["spec"]) == lrs


def test_hf_warmup_function_in_a_loop_equals_transformers() -> None:
    text = """
optimizer = AdamW(model.parameters(), lr=1e-4)
scheduler = get_cosine_schedule_with_warmup(optimizer, 10, len(loader) * 3, num_cycles=0.4)
for epoch in range(3):
    for batch in loader:
        optimizer.step()
        scheduler.step()
"""
    result = imported(text, **{"len(loader)": 30})
    assert result["format"] == "hf_code"
    optimizer = torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=1e-4)
    scheduler = transformers.get_cosine_schedule_with_warmup(optimizer, 10, 90, num_cycles=0.4)
    lrs = []
    for _ in range(90):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert curve(result["spec"]) == lrs


def test_training_arguments_in_code() -> None:
    text = """
args = TrainingArguments(output_dir="out", learning_rate=2e-5, lr_scheduler_type="cosine",
                         warmup_steps=0.05, max_steps=400, weight_decay=0.01)
trainer = Trainer(model=model, args=args, train_dataset=ds)
trainer.train()
"""
    result = imported(text)
    assert result["format"] == "hf_code"
    spec = result["spec"]
    assert spec["optimizer"]["lr"] == 2e-5 and spec["optimizer"]["weight_decay"] == 0.01
    assert (spec["epochs"], spec["steps_per_epoch"]) == (1, 400)


def test_lightning_lists_return() -> None:
    text = """
class M(L.LightningModule):
    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=0.05)
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[3, 6], gamma=0.5)
        return [opt], [sched]
"""
    spec = imported(text, max_epochs=8)["spec"]
    assert spec["scheduler"] == {"type": "MultiStepLR", "milestones": [3, 6], "gamma": 0.5}
    assert (spec["epochs"], spec["interval"]) == (8, "epoch")


@pytest.mark.parametrize(
    "text",
    [
        "class M:\n    def configure_optimizers(self):\n"
        "        return torch.optim.Adam(self.parameters())",
        "model = Net()\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n",
    ],
)
def test_no_scheduler_is_a_clear_refusal(text: str) -> None:
    with pytest.raises(SpecError) as raised:
        imported(text)
    assert [e["code"] for e in raised.value.errors] == ["import_no_scheduler"]


def test_a_lightning_frequency_is_a_loop_stepped_every_k() -> None:
    text = """
def configure_optimizers(self):
    opt = torch.optim.SGD(self.parameters(), lr=0.05)
    s = torch.optim.lr_scheduler.StepLR(opt, 2)
    return {"optimizer": opt, "lr_scheduler": {"scheduler": s, "frequency": 2}}
"""
    (entry,) = imported(text, max_epochs=8)["spec"]["scheduler"]["schedulers"]
    assert entry == {"scheduler": {"type": "StepLR", "step_size": 2}, "interval": "epoch",
                     "every": 2}  # fmt: skip


def test_param_groups_and_positional_arguments() -> None:
    text = """
optimizer = torch.optim.SGD(
    [{"params": model.base.parameters()}, {"params": model.head.parameters(), "lr": 1e-2}],
    lr=1e-3, momentum=0.9,
)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 30, 0.1)
"""
    spec = imported(text)["spec"]
    assert spec["optimizer"]["param_groups"] == [{}, {"lr": 1e-2}]
    assert spec["scheduler"] == {"type": "StepLR", "step_size": 30, "gamma": 0.1}


LIGHTNING_PER_STEP = """
class M(L.LightningModule):
    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=1e-3)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=300)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}

trainer = L.Trainer(max_epochs=4, devices=2, accumulate_grad_batches=2)
"""


def test_lightning_per_step_counts_from_batches_or_from_the_data() -> None:
    with pytest.raises(SpecError) as raised:
        imported(LIGHTNING_PER_STEP)
    assert [e["loc"] for e in raised.value.errors] == [["values", "len(train_dataloader)"]]
    spec = imported(LIGHTNING_PER_STEP, **{"len(train_dataloader)": 75})["spec"]
    assert (spec["epochs"], spec["steps_per_epoch"]) == (4, 75)
    spec = imported(LIGHTNING_PER_STEP, dataset_size=1000, batch_size=8)["spec"]
    assert spec["setup"] == {"dataset_size": 1000, "batch_size": 8, "devices": 2,
                             "grad_accum": 2, "epochs": 4, "framework": "lightning"}  # fmt: skip
    # Lightning: ceil(ceil(1000 / 2) / 8) = 63 batches per rank, ceil(63 / 2) = 32 steps
    assert evaluate(spec)["num_steps"] == 4 * 32
