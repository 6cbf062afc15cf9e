"""RunSpec -> resolved run: every argument checked and converted for torch, rules across
fields applied, defaults filled, before torch runs. ``resolve_run`` is the entry point."""

from lrscope.validation.resolved import ResolvedOptimizer, ResolvedRun, ResolvedScheduler
from lrscope.validation.run import resolve_run, synthetic_metric

__all__ = [
    "ResolvedOptimizer",
    "ResolvedRun",
    "ResolvedScheduler",
    "resolve_run",
    "synthetic_metric",
]
