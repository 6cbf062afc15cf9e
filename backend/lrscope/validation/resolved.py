"""A run once checked: every value converted for torch, defaults filled, ready to evaluate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lrscope.catalog import OptimizerInfo, SchedulerInfo
from lrscope.errors import Loc
from lrscope.recipes.setup_counts import SetupCounts
from lrscope.spec import ResumeSpec, SetupSpec


@dataclass
class ResolvedOptimizer:
    info: OptimizerInfo
    kwargs: dict[str, Any]
    groups: list[dict[str, Any]]
    # The param groups (without "params") exactly as torch set them up when validation
    # built the optimizer once and stepped it: the replicas start from these.
    built_groups: list[dict[str, Any]] = field(default_factory=list)
    built_defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def default_lr(self) -> float:
        lr = self.info.param("lr")
        default: Any = lr.default if lr is not None else None
        return float(default) if _is_number(default) else 0.001

    @property
    def group_lrs(self) -> list[float]:
        """Each group's initial learning rate (a value that failed its check: the default)."""
        top = self.kwargs.get("lr", self.default_lr)
        lrs = [g.get("lr", top) for g in self.groups]
        return [float(v) if _is_number(v) else self.default_lr for v in lrs]


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass
class ResolvedScheduler:
    info: SchedulerInfo
    kwargs: dict[str, Any]
    children: list[ResolvedScheduler] = field(default_factory=list)
    loc: Loc = ()
    filled: frozenset[str] = frozenset()  # arguments lrscope filled in (defaults.py)

    def walk(self) -> list[ResolvedScheduler]:
        return [self, *(n for c in self.children for n in c.walk())]


@dataclass
class ResolvedEntry:
    """One entry of a Loop: its scheduler and when the training loop steps it."""

    scheduler: ResolvedScheduler
    interval: str  # "epoch" or "step"
    every: int
    begin: int
    end: int | None
    loc: Loc = ()

    def steps_at(self, count: int) -> bool:
        """Whether the loop steps this entry at ``count`` (its epoch or step index)."""
        in_range = self.begin <= count and (self.end is None or count < self.end)
        return in_range and (count - self.begin + 1) % self.every == 0

    def times(self, counts: int) -> int:
        """How often it is stepped for counts 0..counts-1."""
        stop = counts if self.end is None else min(self.end, counts)
        return max(0, stop - self.begin) // self.every

    @property
    def needs_metric(self) -> bool:
        return self.scheduler.info.needs_metric


@dataclass
class ResolvedRun:
    scheduler: ResolvedScheduler
    optimizer: ResolvedOptimizer
    epochs: int
    steps_per_epoch: int
    interval: str
    metric: list[float] | None
    max_points: int
    warning_details: list[dict[str, Any]]  # {"code", "params", "msg"}, one per warning
    # A Loop composite: its entries (``scheduler`` is then the Loop's node, entries' trees
    # as its children) and ``interval`` is "step" if any entry is, else "epoch".
    loop: list[ResolvedEntry] | None = None
    # With a ``setup``: the optimizer steps of the run (the last epoch may stop part way,
    # as HF's max_steps does), the counts and the pitfall overlays.
    total_steps: int | None = None
    setup: SetupCounts | None = None
    setup_spec: SetupSpec | None = None
    pitfalls: list[Pitfall] = field(default_factory=list)
    resume: ResumeSpec | None = None  # validation/resume.py, engine/resume.py
    # The steps asked for (``range``: start, stop exclusive); None = the whole run.
    window: tuple[int, int] | None = None

    @property
    def warnings(self) -> list[str]:
        """The warnings in English."""
        return [w["msg"] for w in self.warning_details]

    @property
    def num_steps(self) -> int:
        """Optimizer steps, and so points, in the run."""
        full = self.epochs * self.steps_per_epoch
        return full if self.total_steps is None else min(full, self.total_steps)

    @property
    def scheduler_values(self) -> int:
        """Distinct scheduler states the run uses (one per epoch or one per step)."""
        return self.epochs if self.interval == "epoch" else self.num_steps


@dataclass
class Pitfall:
    """A stepping mistake: the run stepped ``factor`` times per optimizer step (``run``, to
    evaluate and take every ``factor``-th point of), or why it is not drawn (``skipped``)."""

    name: str
    factor: int
    code: str
    params: dict[str, str]
    run: ResolvedRun | None
    skipped: dict[str, str] | None  # params of pitfall_too_long
    hold: bool = False  # the scheduler stops being stepped at its last state (accelerate's
    # OneCycleLR guard), rather than being stepped past it
