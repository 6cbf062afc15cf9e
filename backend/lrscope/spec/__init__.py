"""What a client sends: the request models (RunSpec, ...) and the formula language."""

from lrscope.spec.models import (
    MetricSpec,
    OptimizerSpec,
    ResumeSpec,
    RunSpec,
    SchedulerSpec,
    SetupSpec,
    SyntheticMetric,
    default_optimizer,
)
from lrscope.spec.wording import plain_issue, spec_error

__all__ = [
    "MetricSpec",
    "OptimizerSpec",
    "ResumeSpec",
    "RunSpec",
    "SchedulerSpec",
    "SetupSpec",
    "SyntheticMetric",
    "default_optimizer",
    "plain_issue",
    "spec_error",
]
