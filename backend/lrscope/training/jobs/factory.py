"""The job backend the settings ask for: ``LRSCOPE_JOB_BACKEND=local`` (worker processes on
this machine, the default) or ``ray`` (tasks on a Ray cluster).

Ray is an optional extra (``pip install 'lrscope[ray]'``), so ``ray_executor`` (the one
module that imports ``ray``) is imported by name, and only when asked for: a server that
runs local jobs never needs Ray installed, and one asked for Ray without it says how to get
it instead of failing to import.
"""

from __future__ import annotations

import importlib

from lrscope.settings import Settings
from lrscope.training.jobs.executor import Executor, ExecutorUnavailable
from lrscope.training.jobs.local import LocalJobBackend
from lrscope.training.jobs.process_executor import ProcessExecutor
from lrscope.training.jobs.store import RunStore

RAY_MODULE = "lrscope.training.jobs.ray_executor"
BACKENDS = ("local", "ray")


def make_executor(settings: Settings) -> Executor:
    """The executor ``settings.job_backend`` names; ExecutorUnavailable if it cannot be had."""
    name = settings.job_backend.strip().lower()
    if name == "local":
        return ProcessExecutor(settings)
    if name != "ray":
        raise ExecutorUnavailable(
            f"LRSCOPE_JOB_BACKEND must be one of {', '.join(BACKENDS)}, got {name!r}"
        )
    try:
        module = importlib.import_module(RAY_MODULE)
    except ImportError as exc:
        raise ExecutorUnavailable(
            f"LRSCOPE_JOB_BACKEND=ray needs Ray, which is not installed ({exc}); "
            "install it with: pip install 'lrscope[ray]'"
        ) from exc
    executor: Executor = module.make_executor(settings)
    return executor


def make_job_backend(settings: Settings, store: RunStore | None = None) -> LocalJobBackend:
    """The job manager on the executor the settings ask for."""
    return LocalJobBackend(settings, store, executor=make_executor(settings))
