"""One optimizer step on one batch, with the run's remedies (input noise, L1): the same
step for a training job and an LR range test, so a range test measures the run it tunes."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.nn import functional

from lrscope.training.spec import RegularizationSpec


def task_loss(classification: bool, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy for a classification task, mean squared error for a regression one."""
    if classification:
        return functional.cross_entropy(out, y)
    return functional.mse_loss(out, y)


def batch_step(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    weights: Sequence[torch.Tensor],
    reg: RegularizationSpec,
    generator: torch.Generator,
    classification: bool,
    batch: tuple[torch.Tensor, torch.Tensor],
) -> float:
    """Forward, backward and ``optimizer.step()``; returns the batch's loss (without the L1
    term), as ``loss.item()``."""
    x, y = batch
    if reg.input_noise > 0:
        x = x + reg.input_noise * torch.randn(x.shape, generator=generator)
    loss = task_loss(classification, model(x), y)
    total = loss
    if reg.l1 > 0:
        total = total + reg.l1 * sum(w.abs().sum() for w in weights)
    optimizer.zero_grad(set_to_none=True)
    total.backward()
    optimizer.step()
    return float(loss.item())
