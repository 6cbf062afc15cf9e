"""Jobs in local worker processes: each forked from a ``forkserver`` that has torch
preloaded (``preload.py``), one torch thread, its event batches sent back through a pipe,
stopped through a shared flag it reads every step, killed with SIGKILL."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from lrscope.settings import Settings
from lrscope.training.jobs import worker
from lrscope.training.jobs.executor import Deliver

PRELOAD_MODULE = "lrscope.training.jobs.preload"


class ProcessExecution:
    """One job in one worker process (``worker.run_job``)."""

    def __init__(self, ctx: Any, name: str, spec: dict[str, Any], settings: Settings) -> None:
        self.stop_flag = ctx.RawValue("i", 0)
        self._receiver, self._sender = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=worker.run_job,
            name=name,
            daemon=True,
            args=(spec, settings.limits, self._sender, self.stop_flag, settings.job_timeout_s),
        )

    def run(self, deliver: Deliver) -> str:
        """Start the worker, then deliver its batches until the pipe closes."""
        receiver: Connection = self._receiver
        try:
            self.process.start()
        except Exception as exc:
            receiver.close()
            self._sender.close()
            return f"could not start a worker: {exc}"
        self._sender.close()  # the worker holds its own copy; EOF then means it exited
        with receiver:
            while True:
                try:
                    batch = receiver.recv()
                except (EOFError, OSError):
                    break
                deliver(batch)
        self.process.join()
        code = self.process.exitcode
        self.process.close()
        return f"the worker process ended unexpectedly (exit code {code})"

    def stop(self, code: int) -> None:
        self.stop_flag.value = code

    def kill(self) -> None:
        with contextlib.suppress(ValueError, AttributeError, ProcessLookupError):
            self.process.kill()


class ProcessExecutor:
    """Local worker processes (the default backend)."""

    name = "local"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload([PRELOAD_MODULE])
        self._warm: threading.Thread | None = None

    def start(self) -> None:
        if self.settings.prewarm_workers:
            self._warm = threading.Thread(target=self._warm_up, name="lrscope-warm", daemon=True)
            self._warm.start()

    def _warm_up(self) -> None:
        # Only starts processes: importing here (torch._dynamo parses source with ast)
        # would race with other threads' ASTs on CPython 3.11.7; the app's self-check
        # already pays the first optimizer's imports.
        proc = self._ctx.Process(target=worker.noop, name="lrscope-warm-up")
        proc.start()
        proc.join()
        proc.close()

    def close(self) -> None:
        # The warm-up thread is not joined: it may still wait for the fork server's first
        # torch import, and it holds nothing that needs closing (a daemon thread).
        return None

    def problem(self) -> str | None:
        return None  # a worker that cannot start fails its own job, and says why

    def launch(self, job_id: str, spec: dict[str, Any]) -> ProcessExecution:
        return ProcessExecution(self._ctx, f"lrscope-job-{job_id}", spec, self.settings)
