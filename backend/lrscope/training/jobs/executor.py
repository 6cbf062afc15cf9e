"""How one training job runs, apart from everything else the job manager does.

The manager (``local.py``: queue, caps, numbering events, the store, watchers, timeouts) is
the same for every backend; an ``Executor`` only starts a job somewhere and hands its event
batches back. ``process_executor`` runs each job in a local worker process, ``ray_executor``
as a task on a Ray cluster. Both run ``worker.event_batches``, so the events are the same by
construction; the web process alone numbers them and writes the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Deliver = Callable[[list[dict[str, Any]]], None]


class Execution(Protocol):
    """One job's run on an executor: started by ``run``, stopped by ``stop`` or ``kill``."""

    def run(self, deliver: Deliver) -> str:
        """Start the job and ``deliver`` its event batches until it ends (blocking; the
        manager calls it on a thread of its own). Return what to say if the job ended
        without its ``done`` event (a killed worker, say)."""
        ...

    def stop(self, code: int) -> None:
        """Ask the job to stop at its next step (``worker.STOP_REASONS[code]``); may come
        before ``run`` starts the job, or after it ended."""
        ...

    def kill(self) -> None:
        """End the job now (it ignored ``stop`` for the grace period)."""
        ...


class Executor(Protocol):
    """Where jobs run: local worker processes, or a Ray cluster."""

    name: str

    def start(self) -> None:
        """Get ready to run jobs (blocking; the manager calls it on a thread); raise
        ``ExecutorUnavailable`` with a clear message when it cannot."""
        ...

    def close(self) -> None:
        """Release what ``start`` took, once every job has ended."""
        ...

    def problem(self) -> str | None:
        """Why jobs cannot run now, found after a good start (the Ray cluster stopped
        answering), or None. Cheap: health asks it on the event loop."""
        ...

    def launch(self, job_id: str, spec: dict[str, Any]) -> Execution:
        """A job ready to ``run`` (nothing is started yet)."""
        ...


class ExecutorUnavailable(RuntimeError):
    """The executor cannot run jobs (e.g. the Ray cluster is unreachable)."""
