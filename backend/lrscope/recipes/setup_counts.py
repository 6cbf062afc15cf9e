"""Optimizer steps per epoch and in the run, from a training setup, as each framework counts.

Pure arithmetic on whole numbers; the tests hold each formula against the framework itself
(a real ``DataLoader`` + ``DistributedSampler`` loop, transformers' ``Trainer``, Lightning's
``Trainer``). Per device means per process: one rank's data loader.

- ``torch``: a plain loop. Each rank's ``DistributedSampler`` yields ``ceil(N / devices)``
  samples (``floor`` with ``drop_last``; padded by repeating samples otherwise), its
  ``DataLoader`` makes ``ceil(samples / batch_size)`` batches (``floor`` with
  ``drop_last``), and the loop steps the optimizer when ``(i + 1) % grad_accum == 0``:
  ``floor(batches / grad_accum)`` steps an epoch; leftover micro-batches do not step.
- ``hf``: transformers 5.24 ``Trainer``. Its one ``DataLoader`` makes
  ``ceil(N / batch_size)`` batches (``floor`` with ``dataloader_drop_last``) that
  accelerate's ``BatchSamplerShard`` deals round-robin (``split_batches=False``,
  ``even_batches=True``): ``ceil(batches / devices)`` per process (``floor`` with drop_last).
  ``Trainer.set_initial_training_values``: ``num_update_steps_per_epoch =
  max(ceil(len_dataloader / grad_accum), 1)`` (the last, shorter accumulation still steps);
  ``max_steps = epochs * that``, or ``num_train_epochs = ceil(max_steps / that)`` and the
  run stops mid-epoch at ``max_steps``.
- ``lightning``: Lightning 2.6 ``Trainer.estimated_stepping_batches``:
  ``ceil(num_training_batches / accumulate_grad_batches) * max_epochs``, capped by
  ``max_steps``; ``num_training_batches`` is the length of the rank's loader, whose injected
  ``DistributedSampler`` never drops (``ceil(N / devices)`` samples) while the loader's own
  ``drop_last`` applies to its batches. The fit loop steps at the end of each epoch too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Framework = Literal["torch", "hf", "lightning"]


@dataclass(frozen=True)
class Setup:
    dataset_size: int
    batch_size: int
    devices: int = 1
    grad_accum: int = 1
    drop_last: bool = False
    epochs: int | None = None
    max_steps: int | None = None
    framework: Framework = "torch"


@dataclass(frozen=True)
class SetupCounts:
    """What a setup resolves to; ``how`` says, per count, how it was computed."""

    framework: Framework
    samples_per_device: int  # per epoch, in one rank's sampler (hf: its batches' samples)
    micro_batches_per_epoch: int  # per device
    steps_per_epoch: int  # optimizer steps in a full epoch
    epochs: int  # epochs started (the last may stop part way with max_steps)
    total_steps: int  # optimizer steps in the run
    leftover_micro_batches: int  # per epoch, that no optimizer step follows (torch only)
    how: dict[str, str]

    @property
    def partial_last_epoch(self) -> bool:
        return self.total_steps < self.epochs * self.steps_per_epoch

    def as_dict(self) -> dict[str, object]:
        return {
            "framework": self.framework,
            "samples_per_device": self.samples_per_device,
            "micro_batches_per_epoch": self.micro_batches_per_epoch,
            "steps_per_epoch": self.steps_per_epoch,
            "epochs": self.epochs,
            "total_steps": self.total_steps,
            "last_epoch_steps": self.total_steps - (self.epochs - 1) * self.steps_per_epoch,
            "leftover_micro_batches": self.leftover_micro_batches,
            "how": dict(self.how),
        }


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _split(n: int, parts: int, drop: bool) -> tuple[int, str]:
    """``n`` things into ``parts``: ceil, or floor when ``drop``; and the formula."""
    if drop:
        return n // parts, f"floor({n} / {parts})"
    return ceil_div(n, parts), f"ceil({n} / {parts})"


def _torch_epoch(s: Setup) -> tuple[int, int, int, int, dict[str, str]]:
    samples, how_samples = _split(s.dataset_size, s.devices, s.drop_last)
    batches, how_batches = _split(samples, s.batch_size, s.drop_last)
    steps = batches // s.grad_accum
    how = {
        "samples_per_device": f"DistributedSampler: {how_samples} = {samples}",
        "micro_batches_per_epoch": f"DataLoader: {how_batches} = {batches}",
        "steps_per_epoch": f"floor({batches} / {s.grad_accum}) = {steps}"
        " (optimizer.step() when (i + 1) % grad_accum == 0)",
    }
    return samples, batches, steps, batches - steps * s.grad_accum, how


def _hf_epoch(s: Setup) -> tuple[int, int, int, int, dict[str, str]]:
    total_batches, how_total = _split(s.dataset_size, s.batch_size, s.drop_last)
    batches, how_batches = _split(total_batches, s.devices, s.drop_last)
    if total_batches % s.devices == 0:
        how_batches = f"{total_batches} / {s.devices}"
    steps = max(ceil_div(batches, s.grad_accum), 1) if batches else 0
    how = {
        "samples_per_device": f"{batches} batches of {s.batch_size} (last may be short)",
        "micro_batches_per_epoch": f"DataLoader {how_total} = {total_batches} batches; "
        f"BatchSamplerShard (even_batches): {how_batches} = {batches} per process",
        "steps_per_epoch": f"max(ceil({batches} / {s.grad_accum}), 1) = {steps}"
        " (num_update_steps_per_epoch)",
    }
    return min(batches * s.batch_size, s.dataset_size), batches, steps, 0, how


def _lightning_epoch(s: Setup) -> tuple[int, int, int, int, dict[str, str]]:
    samples, how_samples = _split(s.dataset_size, s.devices, False)
    batches, how_batches = _split(samples, s.batch_size, s.drop_last)
    steps = ceil_div(batches, s.grad_accum)
    how = {
        "samples_per_device": f"DistributedSampler (injected, no drop): {how_samples} = {samples}",
        "micro_batches_per_epoch": f"num_training_batches: {how_batches} = {batches}",
        "steps_per_epoch": f"ceil({batches} / {s.grad_accum}) = {steps}"
        " (estimated_stepping_batches per epoch)",
    }
    return samples, batches, steps, 0, how


_EPOCH = {"torch": _torch_epoch, "hf": _hf_epoch, "lightning": _lightning_epoch}


def resolve_setup(s: Setup) -> SetupCounts | None:
    """The counts; None when an epoch has no optimizer step at all (too little data)."""
    samples, batches, steps, leftover, how = _EPOCH[s.framework](s)
    if steps < 1:
        return None
    if s.max_steps is not None:
        epochs = ceil_div(s.max_steps, steps)
        total = s.max_steps
        how["epochs"] = f"ceil({total} / {steps}) = {epochs}"
        how["total_steps"] = f"max_steps = {total}"
        if total % steps:
            how["total_steps"] += f" (stops after {total - (epochs - 1) * steps} of epoch {epochs})"
    else:
        assert s.epochs is not None
        epochs, total = s.epochs, s.epochs * steps
        how["epochs"] = f"epochs = {epochs}"
        how["total_steps"] = f"{epochs} x {steps} = {total}"
    return SetupCounts(s.framework, samples, batches, steps, epochs, total, leftover, how)
