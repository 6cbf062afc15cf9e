"""Several schedulers stepped at different places of one loop, or under conditions on the
count (``importing/pytorch_loop.py``), read as a Loop whose curve is what the script itself
records when run with torch: each script here is also executed, with an optimizer pre-hook
recording the learning rate of every optimizer step."""

from __future__ import annotations

from typing import Any

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.importing import import_text
from lrscope.settings import Limits

STAND_INS = """
import torch
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = [(torch.ones(2), torch.ones(1))] * 3
loss_fn = torch.nn.functional.mse_loss
"""


def imported(text: str, **values: Any) -> dict[str, Any]:
    return import_text(text, values, default_catalog(), Limits())


def curve(spec: dict[str, Any]) -> list[float]:
    return list(evaluate({**spec, "max_points": 0})["groups"][0]["lr"])


def recorded(text: str) -> list[float]:
    """The lr of every optimizer step when ``text`` runs (after the stand-ins above)."""
    names: dict[str, Any] = {}
    exec(STAND_INS, names)  # the test's own script, to compare with torch
    history: list[float] = []
    names["optimizer"].register_step_pre_hook(
        lambda opt, args, kwargs: history.append(opt.param_groups[0]["lr"])
    )
    exec(text, names)
    return history


# torch.optim docs, "Stochastic Weight Averaging" > "Putting it all together" (the swa_start
# loop; `loader, optimizer, model, loss_fn = ...` there is STAND_INS here).
SWA_DOCS = """
from torch.optim.swa_utils import AveragedModel, SWALR
from torch.optim.lr_scheduler import CosineAnnealingLR

swa_model = torch.optim.swa_utils.AveragedModel(model)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=300)
swa_start = 160
swa_scheduler = SWALR(optimizer, swa_lr=0.05)

for epoch in range(300):
      for input, target in loader:
          optimizer.zero_grad()
          loss_fn(model(input), target).backward()
          optimizer.step()
      if epoch > swa_start:
          swa_model.update_parameters(model)
          swa_scheduler.step()
      else:
          scheduler.step()

# Update bn statistics for the swa_model at the end
torch.optim.swa_utils.update_bn(loader, swa_model)
"""


def test_torch_swa_docs_loop_is_a_loop_with_the_else_as_the_range_before() -> None:
    result = imported(STAND_INS + SWA_DOCS)
    spec = result["spec"]
    assert spec["scheduler"] == {
        "type": "Loop",
        "schedulers": [
            {"scheduler": {"type": "CosineAnnealingLR", "T_max": 300}, "interval": "epoch",
             "end": 161},
            {"scheduler": {"type": "SWALR", "swa_lr": 0.05}, "interval": "epoch", "begin": 161},
        ],
    }  # fmt: skip
    assert (spec["epochs"], spec["steps_per_epoch"]) == (300, 3)
    assert curve(spec) == recorded(SWA_DOCS)


# torch's SWALR docstring example: the counter is `i`, MultiplicativeLR before swa_start.
SWALR_DOCSTRING = """
lr_lambda = lambda epoch: 0.9
scheduler = torch.optim.lr_scheduler.MultiplicativeLR(optimizer,
       lr_lambda=lr_lambda)
swa_scheduler = torch.optim.swa_utils.SWALR(optimizer,
       anneal_strategy="linear", anneal_epochs=20, swa_lr=0.05)
swa_start = 160
for i in range(300):
     for input, target in loader:
         optimizer.zero_grad()
         loss_fn(model(input), target).backward()
         optimizer.step()
     if i > swa_start:
         swa_scheduler.step()
     else:
         scheduler.step()
"""


def test_swalr_docstring_loop() -> None:
    spec = imported(STAND_INS + SWALR_DOCSTRING)["spec"]
    assert [e.get("begin") for e in spec["scheduler"]["schedulers"]] == [None, 161]
    assert curve(spec) == recorded(SWALR_DOCSTRING)


# The warmup-per-step then plateau-per-epoch shape of many published scripts: a linear
# warmup stepped inside the batch loop for the first `warmup_steps` optimizer steps, then
# ReduceLROnPlateau stepped after each epoch with that epoch's validation loss.
WARMUP_THEN_PLATEAU = """
warmup_steps = 6
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=warmup_steps)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=1)
val_losses = [1.0, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7]
for epoch in range(10):
    for i, (x, y) in enumerate(loader):
        step = epoch * len(loader) + i
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
        if step < warmup_steps:
            warmup.step()
    if epoch >= 2:
        plateau.step(val_losses[epoch])
"""


def test_warmup_per_step_then_plateau_per_epoch() -> None:
    spec = imported(STAND_INS + WARMUP_THEN_PLATEAU)["spec"]
    entries = spec["scheduler"]["schedulers"]
    assert [(e["scheduler"]["type"], e["interval"]) for e in entries] == [
        ("LinearLR", "step"),
        ("ReduceLROnPlateau", "epoch"),
    ]
    assert (entries[0].get("end"), entries[1].get("begin")) == (6, 2)
    assert spec["metric"]["values"][:3] == [1.0, 0.8, 0.8]
    assert curve(spec) == recorded(WARMUP_THEN_PLATEAU)
