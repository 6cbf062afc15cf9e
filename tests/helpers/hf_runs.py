"""Real HF-style training loops that write a ``trainer_state.json`` with transformers' own
scheduler and ``TrainerState.save_to_json``, the way ``Trainer`` logs: after each optimizer
step and ``scheduler.step()``, ``global_step += 1``, and every ``logging_steps`` steps an
entry ``{"loss", "grad_norm", "learning_rate": scheduler.get_last_lr()[0], "epoch", "step"}``
(transformers 5.24 ``Trainer._maybe_log_save_evaluate``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from transformers import TrainerState, get_scheduler

from lrscope.recipes.hf import hf_scheduler

LR = 5e-4


def hf_spec(name: str, warmup: int, total: int) -> dict[str, Any]:
    """The run spec lrscope builds for ``get_scheduler(name, AdamW(lr=LR), warmup, total)``."""
    recipe = hf_scheduler(name, num_warmup_steps=warmup, num_training_steps=total, lr_init=LR)
    return {
        "scheduler": recipe.scheduler,
        "optimizer": {"type": "AdamW", "lr": LR},
        "epochs": 1,
        "steps_per_epoch": total,
        "interval": "step",
    }


def train_and_save(
    path: Path,
    name: str = "linear",
    warmup: int = 10,
    total: int = 60,
    logging_steps: int = 5,
    scheduler_steps_per_step: int = 1,
    log_before_scheduler_step: bool = False,
    grad_accum_stepping_per_micro_batch: int = 1,
) -> Path:
    """Train a tiny regression model on CPU for ``total`` optimizer steps and save its state.

    ``scheduler_steps_per_step`` > 1 steps the scheduler that many times per optimizer step
    (accelerate on k processes); ``grad_accum_stepping_per_micro_batch`` = k accumulates
    gradients over k micro-batches per optimizer step but calls ``scheduler.step()`` after
    every micro-batch (diffusers #4387); ``log_before_scheduler_step`` reads the rate
    before stepping (an off-by-one)."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    x = torch.randn(64, 4)
    y = x.sum(dim=1, keepdim=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR)
    scheduler = get_scheduler(name, optimizer, num_warmup_steps=warmup, num_training_steps=total)
    state = TrainerState(logging_steps=logging_steps, max_steps=total, num_train_epochs=1)
    accum = grad_accum_stepping_per_micro_batch
    for _ in range(total):
        before = scheduler.get_last_lr()[0]
        for micro in range(accum):
            part = slice(micro * len(x) // accum, (micro + 1) * len(x) // accum)
            loss = torch.nn.functional.mse_loss(model(x[part]), y[part]) / accum
            loss.backward()
            if micro < accum - 1:
                scheduler.step()  # the bug: stepped per micro-batch
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        for _ in range(scheduler_steps_per_step):
            scheduler.step()
        optimizer.zero_grad()
        state.global_step += 1
        state.epoch = state.global_step / total
        if state.global_step % logging_steps == 0:
            lr = before if log_before_scheduler_step else scheduler.get_last_lr()[0]
            state.log_history.append({"loss": round(loss.item(), 4), "grad_norm":
                                      grad_norm.item(), "learning_rate": lr,
                                      "epoch": state.epoch, "step": state.global_step})  # fmt: skip
    state.log_history.append({"train_runtime": 0.1, "train_loss": 0.5, "epoch": 1.0,
                              "step": state.global_step})  # fmt: skip
    out = path / "trainer_state.json"
    state.save_to_json(str(out))
    return out
