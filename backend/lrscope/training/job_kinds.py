"""The two kinds of job a TrainSpec names: ``train`` (``loop.train``) and ``lr_range_test``
(``range_test.range_test``), checked and run through one door each."""

from __future__ import annotations

from collections.abc import Iterator

from lrscope.catalog import Catalog
from lrscope.settings import Limits
from lrscope.training.events import Event
from lrscope.training.loop import StopCheck, never, train
from lrscope.training.range_test import range_test
from lrscope.training.range_test_plan import RangeTestPlan, resolve_range_test
from lrscope.training.spec import TrainingPlan, TrainSpec, resolve_train

JobPlan = TrainingPlan | RangeTestPlan


def resolve_job(spec: TrainSpec, catalog: Catalog, limits: Limits) -> JobPlan:
    """Check a job of either kind completely; raise SpecError (locs relative to the body)."""
    if spec.kind == "lr_range_test":
        return resolve_range_test(spec, catalog, limits)
    return resolve_train(spec, catalog, limits)


def job_events(plan: JobPlan, should_stop: StopCheck = never) -> Iterator[Event]:
    """The job's events, oldest first, ending with its ``done`` event."""
    if isinstance(plan, RangeTestPlan):
        return range_test(plan, should_stop)
    return train(plan, should_stop)
