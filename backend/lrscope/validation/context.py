"""What checking one run collects (errors, warnings) and what its checks may read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lrscope.catalog import Catalog
from lrscope.errors import Loc, error
from lrscope.settings import Limits
from lrscope.validation.resolved import ResolvedOptimizer


@dataclass
class Context:
    """The catalog and limits a check reads, and the problems it reports."""

    catalog: Catalog
    limits: Limits
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, loc: Loc, msg: str, kind: str = "value_error") -> None:
        self.errors.append(error(loc, msg, kind))

    def warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def failed_under(self, loc: Loc) -> bool:
        return any(tuple(e["loc"][: len(loc)]) == loc for e in self.errors)


@dataclass(frozen=True)
class RunFacts:
    """What the scheduler checks need to know of the run: made once the optimizer is
    resolved (``None`` when it could not be), so no check can read it too early."""

    optimizer: ResolvedOptimizer | None
    unit: str  # what one scheduler step stands for: "epoch" or "step"

    @property
    def num_groups(self) -> int:
        return len(self.optimizer.groups) if self.optimizer is not None else 1

    @property
    def group_lrs(self) -> list[float]:
        return self.optimizer.group_lrs if self.optimizer is not None else [0.1]
