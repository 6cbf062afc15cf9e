"""Step counts from a training setup equal what each framework really does.

Oracles, none written here: a plain torch loop over a real ``DataLoader`` with torch's own
``DistributedSampler`` (``num_replicas``/``rank`` given, as each process builds it);
transformers 5.24's ``Trainer`` (its ``set_initial_training_values`` arithmetic and its
training loop, counted by ``state.global_step`` and the scheduler's ``last_epoch``) fed the
per-process loader accelerate's ``BatchSamplerShard`` makes; Lightning 2.6's ``Trainer``
(``estimated_stepping_batches`` and ``global_step`` after ``fit``) with the
``DistributedSampler`` it would inject (``lightning/pytorch/trainer/connectors/
data_connector.py``, ``_get_distributed_sampler``: no ``drop_last``).
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path
from typing import Any

import pytest
import torch
from torch.utils.data import BatchSampler, DataLoader, DistributedSampler, SequentialSampler

from lrscope.recipes.setup_counts import Setup, resolve_setup

GRID = list(
    itertools.product(
        (1, 7, 20, 101),  # dataset_size
        (1, 3, 8),  # batch_size
        (1, 2, 3, 4),  # devices
        (1, 2, 3),  # grad_accum
        (False, True),  # drop_last
    )
)


def counts(framework: str, size: int, bs: int, d: int, a: int, drop: bool, **run: int) -> Any:
    setup = Setup(size, bs, d, a, drop, framework=framework, **run)  # type: ignore[arg-type]
    return resolve_setup(setup)


# --- torch: a real DataLoader + DistributedSampler loop ------------------------------------
def torch_loop(size: int, bs: int, d: int, a: int, drop: bool, epochs: int) -> list[int]:
    """Optimizer steps per epoch on every rank: ``optimizer.step()`` when
    ``(i + 1) % grad_accum == 0``, the loop of the torch docs' accumulation recipes."""
    data = list(range(size))
    per_rank = []
    for rank in range(d):
        sampler = DistributedSampler(data, num_replicas=d, rank=rank, shuffle=False, drop_last=drop)
        loader = DataLoader(data, batch_size=bs, sampler=sampler, drop_last=drop)
        steps = []
        for epoch in range(epochs):
            sampler.set_epoch(epoch)
            steps.append(sum((i + 1) % a == 0 for i, _ in enumerate(loader)))
        per_rank.append(steps)
    assert all(r == per_rank[0] for r in per_rank)  # ranks stay in step
    return per_rank[0]


@pytest.mark.parametrize(("size", "bs", "d", "a", "drop"), GRID)
def test_torch_counts_equal_a_real_distributed_loop(
    size: int, bs: int, d: int, a: int, drop: bool
) -> None:
    got = counts("torch", size, bs, d, a, drop, epochs=2)
    steps = torch_loop(size, bs, d, a, drop, 2)
    if steps[0] == 0:
        assert got is None
        return
    assert got is not None
    assert [got.steps_per_epoch] * 2 == steps
    assert got.total_steps == sum(steps)
    sampler = DistributedSampler(list(range(size)), num_replicas=d, rank=0, drop_last=drop)
    assert got.samples_per_device == len(sampler)
    assert got.micro_batches_per_epoch == len(DataLoader(range(len(sampler)), bs, drop_last=drop))


# --- HF: transformers' Trainer on a tiny model ----------------------------------------------
transformers = pytest.importorskip("transformers")
pytest.importorskip("accelerate")
from accelerate.data_loader import BatchSamplerShard  # noqa: E402
from transformers import Trainer, TrainerCallback, TrainingArguments  # noqa: E402


class Tiny(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.w = torch.nn.Linear(1, 1)

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"loss": ((self.w(x) - labels) ** 2).mean()}


def _collate(rows: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    return {k: torch.stack([r[k] for r in rows]) for k in rows[0]}


class ShardTrainer(Trainer):
    """The Trainer of process 0 of ``devices``: accelerate's ``prepare`` gives each process
    a ``BatchSamplerShard`` over the one loader's batches (split_batches=False,
    even_batches=True, its defaults); built here directly, as prepare would build it."""

    devices = 1

    def get_train_dataloader(self) -> DataLoader:
        assert self.train_dataset is not None
        args = self.args
        batches = BatchSampler(
            SequentialSampler(self.train_dataset),  # type: ignore[arg-type]
            args.per_device_train_batch_size,
            args.dataloader_drop_last,
        )
        shard = BatchSamplerShard(batches, self.devices, 0, split_batches=False, even_batches=True)
        return DataLoader(self.train_dataset, batch_sampler=shard, collate_fn=_collate)  # type: ignore[arg-type]


class Count(TrainerCallback):
    def __init__(self) -> None:
        self.steps = 0
        self.epochs = 0

    def on_step_end(self, *_: Any, **__: Any) -> None:
        self.steps += 1

    def on_epoch_begin(self, *_: Any, **__: Any) -> None:
        self.epochs += 1


def hf_run(tmp_path: Path, s: Setup) -> tuple[int, int, int, int]:
    """(state.max_steps, global_step, scheduler steps, epochs begun) of a real Trainer."""
    data = [
        {"x": torch.tensor([float(i)]), "labels": torch.tensor([0.0])}
        for i in range(s.dataset_size)
    ]
    args = TrainingArguments(
        output_dir=str(tmp_path),
        per_device_train_batch_size=s.batch_size,
        gradient_accumulation_steps=s.grad_accum,
        num_train_epochs=s.epochs or 1,
        max_steps=s.max_steps or -1,
        dataloader_drop_last=s.drop_last,
        report_to="none",
        save_strategy="no",
        logging_strategy="no",
        eval_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
        remove_unused_columns=False,
    )
    trainer_class = type("T", (ShardTrainer,), {"devices": s.devices}) if s.devices > 1 else Trainer
    count = Count()
    trainer = trainer_class(
        model=Tiny(), args=args, train_dataset=data, data_collator=_collate, callbacks=[count]
    )  # type: ignore[arg-type]
    trainer.train()
    assert trainer.lr_scheduler is not None
    return (
        trainer.state.max_steps,
        trainer.state.global_step,
        trainer.lr_scheduler.last_epoch,
        count.epochs,
    )


HF_CASES = [
    # size, batch, devices, accum, drop_last, epochs, max_steps
    (20, 3, 1, 1, False, 2, None),  # 7 batches, the last short
    (20, 3, 1, 3, False, 2, None),  # 7 batches in accumulations of 3: 3 updates, the last of 1
    (20, 3, 1, 2, True, 3, None),  # 6 full batches
    (20, 3, 3, 2, False, 2, None),  # 7 batches over 3 processes: even_batches gives each 3
    (20, 3, 4, 1, True, 1, None),  # 6 batches over 4: 1 each, the rest dropped
    (21, 2, 2, 4, False, 1, None),  # 11 batches over 2: 6 each, 2 updates
    (20, 3, 1, 3, False, None, 7),  # max_steps 7 at 3 a epoch: stops 1 step into epoch 3
    (20, 3, 2, 1, False, None, 9),  # 4 a epoch: stops 1 step into epoch 3
    (5, 8, 1, 4, False, None, 3),  # one short batch an epoch: still 1 update
    (20, 3, 1, 20, False, 2, None),  # accumulation longer than the epoch: still 1 update
]


@pytest.mark.parametrize(("size", "bs", "d", "a", "drop", "epochs", "max_steps"), HF_CASES)
def test_hf_counts_equal_transformers_trainer(
    tmp_path: Path,
    size: int,
    bs: int,
    d: int,
    a: int,
    drop: bool,
    epochs: int | None,
    max_steps: int | None,
) -> None:
    logging.getLogger("transformers").setLevel(logging.ERROR)
    s = Setup(size, bs, d, a, drop, epochs, max_steps, "hf")
    got = resolve_setup(s)
    assert got is not None
    max_steps_hf, global_step, scheduler_steps, epochs_begun = hf_run(tmp_path, s)
    assert (got.total_steps, got.total_steps, got.total_steps) == (
        max_steps_hf,
        global_step,
        scheduler_steps,
    )
    assert got.epochs == epochs_begun


@pytest.mark.parametrize(("size", "bs", "d", "a", "drop"), GRID)
def test_hf_per_process_batches_are_accelerates(
    size: int, bs: int, d: int, a: int, drop: bool
) -> None:
    batches = BatchSampler(range(size), bs, drop)
    shards = [
        len(BatchSamplerShard(batches, d, r, split_batches=False, even_batches=True))
        for r in range(d)
    ]
    got = counts("hf", size, bs, d, a, drop, epochs=1)
    if shards[0] == 0:
        assert got is None
    else:
        assert got is not None and [got.micro_batches_per_epoch] * d == shards


# --- Lightning: its Trainer on a tiny module ------------------------------------------------
lightning = pytest.importorskip("lightning")


class TinyModule(lightning.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.w = torch.nn.Linear(1, 1)
        self.estimated: int | float = -1

    def training_step(self, batch: torch.Tensor, _: int) -> torch.Tensor:
        return (self.w(batch.float().unsqueeze(1)) ** 2).mean()

    def configure_optimizers(self) -> torch.optim.Optimizer:
        self.estimated = self.trainer.estimated_stepping_batches
        return torch.optim.SGD(self.parameters(), lr=0.1)


def lightning_run(s: Setup) -> tuple[int | float, int]:
    data = list(range(s.dataset_size))
    # The sampler Lightning injects on rank 0 of ``devices`` (no drop_last of its own).
    sampler = DistributedSampler(data, num_replicas=s.devices, rank=0, shuffle=False)
    loader = DataLoader(data, batch_size=s.batch_size, sampler=sampler, drop_last=s.drop_last)
    trainer = lightning.Trainer(
        accelerator="cpu",
        devices=1,
        max_epochs=s.epochs if s.epochs is not None else -1,
        max_steps=s.max_steps if s.max_steps is not None else -1,
        accumulate_grad_batches=s.grad_accum,
        use_distributed_sampler=False,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
    )
    module = TinyModule()
    trainer.fit(module, loader)
    return module.estimated, trainer.global_step


LIGHTNING_CASES = [
    (20, 3, 1, 1, False, 2, None),
    (20, 3, 1, 3, False, 2, None),  # 7 batches: 3 steps an epoch, the last after 1 batch
    (20, 3, 1, 2, True, 2, None),
    (20, 3, 3, 2, False, 2, None),  # 7 samples a rank: 3 batches, 2 steps
    (21, 4, 2, 1, True, 3, None),  # 11 samples a rank (padded): 2 full batches
    (20, 3, 1, 3, False, None, 7),  # stops 1 step into epoch 3
    (5, 8, 1, 4, False, None, 3),
]


# Lightning's own notes (few dataloader workers, torch's pytree deprecation): not ours.
@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
@pytest.mark.parametrize(("size", "bs", "d", "a", "drop", "epochs", "max_steps"), LIGHTNING_CASES)
def test_lightning_counts_equal_lightnings_trainer(
    size: int, bs: int, d: int, a: int, drop: bool, epochs: int | None, max_steps: int | None
) -> None:
    logging.getLogger("lightning").setLevel(logging.ERROR)
    s = Setup(size, bs, d, a, drop, epochs, max_steps, "lightning")
    got = resolve_setup(s)
    assert got is not None
    estimated, global_step = lightning_run(s)
    assert got.total_steps == estimated == global_step


def test_the_frameworks_differ_where_they_really_do() -> None:
    """7 micro-batches in accumulations of 3: HF and Lightning step after the short last
    accumulation (3 steps), a plain ``(i + 1) % 3`` loop does not (2 steps, 1 left over)."""
    by = {f: counts(f, 20, 3, 1, 3, False, epochs=1) for f in ("torch", "hf", "lightning")}
    assert {f: c.steps_per_epoch for f, c in by.items()} == {"torch": 2, "hf": 3, "lightning": 3}
    assert by["torch"].leftover_micro_batches == 1
    # 11 samples, batch 3, 2 devices, drop_last: HF drops the short batch of the one loader
    # (3 batches, 1 per process), torch's sampler drops a sample (5 a rank: 1 batch), while
    # Lightning's injected sampler pads (6 a rank: 2 batches).
    got = {f: counts(f, 11, 3, 2, 1, True, epochs=1) for f in ("torch", "hf", "lightning")}
    assert {f: c.micro_batches_per_epoch for f, c in got.items()} == {
        "torch": 1,
        "hf": 1,
        "lightning": 2,
    }
