"""Defaults that depend on the run: filled in as their own step, after the step counts are
known and before the run rules read them (rules never change a spec)."""

from __future__ import annotations

from lrscope.validation.resolved import ResolvedScheduler
from lrscope.validation.step_counts import Counter


def fill_run_defaults(r: ResolvedScheduler, c: Counter) -> None:
    """OneCycleLR without ``total_steps`` or ``epochs`` spans the run: as many steps as the
    scheduler states this run computes (at least 2, torch's minimum)."""
    kw = r.kwargs
    if r.info.name == "OneCycleLR" and kw.get("total_steps") is None and kw.get("epochs") is None:
        kw["total_steps"] = max(c.max_epoch + 1, 2)
        r.filled = r.filled | {"total_steps"}
