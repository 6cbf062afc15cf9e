"""The catalog's records: what one scheduler, optimizer or argument is, as the API shows it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ParamType = Literal[
    "number",
    "integer",
    "boolean",
    "string",
    "enum",
    "expression",
    "integer_list",
    "number_list",
    "number_pair",
    "schedulers",
    "json",
]

# What a length argument counts (``Param.length``): the scheduler's own steps (epochs when
# it is stepped per epoch, optimizer steps when per batch), epochs, or batches per epoch.
LengthUnit = Literal["scheduler_steps", "epochs", "batches"]

# Arguments every scheduler has that the service sets itself.
SERVICE_ARGS = {"self", "optimizer", "last_epoch"}


@dataclass(frozen=True)
class Param:
    name: str
    type: ParamType
    default: Any = None
    required: bool = False
    nullable: bool = False
    enum: list[Any] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    per_group: bool = False
    variable: str | None = None
    description: str = ""
    # A length of the schedule (a period, a milestone, a warmup): what a rescale to another
    # run length scales (validation/rescale.py). None: not a length.
    length: LengthUnit | None = None


@dataclass(frozen=True)
class SchedulerInfo:
    name: str
    summary: str
    doc: str
    step_unit: Literal["epoch", "step"]
    needs_metric: bool
    composite: bool
    params: list[Param]
    cls: type = field(repr=False, compare=False)
    # run-level ``interval`` values it accepts ("fractional": catalog/intervals.py)
    intervals: tuple[str, ...] = ("epoch", "step")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class OptimizerInfo:
    name: str
    summary: str
    momentum: Literal["momentum", "betas"] | None
    params: list[Param]
    cls: type = field(repr=False, compare=False)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class Catalog:
    torch_version: str
    schedulers: dict[str, SchedulerInfo]
    optimizers: dict[str, OptimizerInfo]
    # Names torch offers that the catalog leaves out, with the reason why.
    excluded: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        def strip(info: Any) -> dict[str, Any]:
            data = asdict(info)
            data.pop("cls", None)
            return data

        return {
            "torch_version": self.torch_version,
            "schedulers": [strip(s) for s in self.schedulers.values()],
            "optimizers": [strip(o) for o in self.optimizers.values()],
            "excluded": [{"name": n, "reason": r} for n, r in self.excluded.items()],
        }
