"""What a training job needs of a Loop: its ReduceLROnPlateau entries are stepped on the
validation loss, which a job has once per epoch (so a per-step one is refused at that
entry's ``interval``), and never on lrscope's synthetic metric (so that warning goes)."""

from __future__ import annotations

from typing import Any

from lrscope.catalog import LOOP_NAME, Catalog
from lrscope.errors import error
from lrscope.spec import SchedulerSpec
from lrscope.validation import ResolvedRun


def loop_fit_errors(scheduler: SchedulerSpec, catalog: Catalog) -> list[dict[str, Any]]:
    if scheduler.type != LOOP_NAME:
        return []
    entries = scheduler.arguments().get("schedulers")
    errors = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        inner = entry.get("scheduler") if isinstance(entry, dict) else None
        info = catalog.schedulers.get(inner.get("type", "")) if isinstance(inner, dict) else None
        if info is not None and info.needs_metric and entry.get("interval") == "step":
            loc = ("scheduler", "schedulers", i, "interval")
            errors.append(error(loc, "metric_scheduler_per_step", scheduler=info.name))
    return errors


def without_synthetic_metric(run: ResolvedRun) -> None:
    """A job steps its plateau entries on the validation loss: no synthetic-metric warning."""
    run.warning_details[:] = [
        w for w in run.warning_details if w["code"] != "loop_synthetic_metric"
    ]
