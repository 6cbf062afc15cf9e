"""What a parsed log holds: a learning-rate series (and maybe a loss series) by optimizer
step, the format it came from, and how exactly that format writes numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# How many significant digits a format keeps, as the relative tolerance a comparison allows.
# HF's trainer_state.json and Lightning's CSVLogger write Python floats with repr (float64,
# exact): only the last bits of a recomputed value may differ. TensorBoard stores scalars as
# float32 (2**-24 ~ 6e-8 relative) and W&B's export may go through float32 too, so 1e-6.
TOLERANCES = {
    "hf_trainer_state": 1e-12,
    "lightning_csv": 1e-12,
    "wandb_csv": 1e-6,
    "tensorboard_csv": 1e-6,
    "tensorboard_json": 1e-6,
    "tensorboard_events": 1e-6,
}
FORMATS = tuple(TOLERANCES)


@dataclass(frozen=True)
class Series:
    """One logged scalar: ``name`` is the key or column it came from; ``step[i]`` is the
    optimizer step ``value[i]`` was logged at (increasing, no repeats: a later row wins)."""

    name: str
    step: list[int]
    value: list[float | None]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "step": self.step, "value": self.value}

    @classmethod
    def build(cls, name: str, pairs: list[tuple[int, float | None]]) -> Series:
        by_step = dict(pairs)
        steps = sorted(by_step)
        return cls(name, steps, [by_step[s] for s in steps])


@dataclass(frozen=True)
class LoggedRun:
    format: str
    lr: Series
    loss: Series | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "lr": self.lr.to_json(),
            "loss": self.loss.to_json() if self.loss is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoggedRun:
        loss = data.get("loss")
        return cls(
            data["format"],
            Series(**data["lr"]),
            Series(**loss) if loss is not None else None,
        )
