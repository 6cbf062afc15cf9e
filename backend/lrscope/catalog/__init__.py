"""What torch offers: every scheduler and optimizer of the installed torch, and their
arguments (type, default, bounds, per-group), read from torch plus a curated overlay."""

from lrscope.catalog.introspect import build_catalog, constructor_params, default_catalog
from lrscope.catalog.loop import LOOP_INFO, LOOP_NAME, loop_json
from lrscope.catalog.model import SERVICE_ARGS, Catalog, OptimizerInfo, Param, SchedulerInfo

__all__ = [
    "LOOP_INFO",
    "LOOP_NAME",
    "SERVICE_ARGS",
    "Catalog",
    "OptimizerInfo",
    "Param",
    "SchedulerInfo",
    "build_catalog",
    "constructor_params",
    "default_catalog",
    "loop_json",
]
