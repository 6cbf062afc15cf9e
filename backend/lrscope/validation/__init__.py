"""RunSpec -> resolved run: every argument checked and converted for torch, rules across
fields applied, defaults filled, before torch runs. ``resolve_run`` is the entry point."""

from lrscope.validation.dispatch import resolve_run
from lrscope.validation.resolved import (
    ResolvedEntry,
    ResolvedOptimizer,
    ResolvedRun,
    ResolvedScheduler,
)
from lrscope.validation.run import synthetic_metric

__all__ = [
    "ResolvedEntry",
    "ResolvedOptimizer",
    "ResolvedRun",
    "ResolvedScheduler",
    "resolve_run",
    "synthetic_metric",
]
