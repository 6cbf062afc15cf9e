"""The entry point of validation: a run whose scheduler is the Loop composite goes to
``loop.py``, any other to ``run.py``."""

from __future__ import annotations

from lrscope.catalog import LOOP_NAME, Catalog
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation.loop import resolve_loop_run
from lrscope.validation.resolved import ResolvedRun
from lrscope.validation.resume import resolve_resumed_run
from lrscope.validation.run import resolve_run as resolve_tree_run


def resolve_run(run: RunSpec, catalog: Catalog, limits: Limits) -> ResolvedRun:
    """Validate ``run`` completely; raise SpecError listing every problem found."""
    if run.resume is not None:
        return resolve_resumed_run(run, catalog, limits)
    if run.scheduler.type == LOOP_NAME:
        return resolve_loop_run(run, catalog, limits)
    return resolve_tree_run(run, catalog, limits)
