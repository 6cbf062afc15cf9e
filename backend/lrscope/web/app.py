"""create_app(settings): the whole application, wired from the modules beside this one."""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import torch
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware

from lrscope.catalog import default_catalog
from lrscope.engine import self_check
from lrscope.logs import LogStore
from lrscope.settings import Settings
from lrscope.sharing import ShortLinkStore
from lrscope.training.jobs.factory import make_job_backend
from lrscope.version import __version__
from lrscope.web.admission import Admission
from lrscope.web.cache import ResponseCache
from lrscope.web.docs import mount_docs
from lrscope.web.encoding import GZIP_LEVEL, GZIP_MIN_SIZE
from lrscope.web.errors import add_error_handlers
from lrscope.web.identity import ClientIdentity
from lrscope.web.middleware.body_limit import BodySizeLimit
from lrscope.web.middleware.head_as_get import HeadAsGet
from lrscope.web.middleware.security_headers import SecurityHeaders
from lrscope.web.middleware.server_errors import ServerErrors
from lrscope.web.middleware.trusted_host import TrustedHost
from lrscope.web.routes import catalog, imports, job_stream, jobs, logs, schedules, sharing
from lrscope.web.static_files import mount_page

# How long a thread may hold the GIL while another waits for it (CPython's default: 5 ms).
# The event loop lets the GIL go at every poll and then waits behind other threads to take
# it back (sync routes, the job pumps; evaluation itself runs in worker processes now). A
# shorter turn brings the loop back sooner: with evaluation still in threads it gave health
# p50 under 50 heavy clients 12 ms against 15-24 ms (bench/load.py).
SWITCH_INTERVAL_S = 0.001


def _prepare_torch() -> None:
    """Pay torch's lazy imports of a first optimizer step (torch._dynamo: seconds, and it
    parses source with ast) once, before serving, then check the fast paths against torch."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    optimizer.step()
    self_check.self_check()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Ready before serving (torch warm, the evaluation workers and the job backend
    started), then everything stopped in turn."""
    # Warm torch and check the fast paths now (about 2 s cold) rather than on the first
    # request, and finish before serving: a thread left running would build ASTs
    # (torch's imports, formulas) while other threads do, which CPython 3.11.7 can fail
    # with a "recursion depth mismatch" (python/cpython#106905).
    await run_in_threadpool(_prepare_torch)
    await run_in_threadpool(app.state.admission.warm)  # the evaluation workers
    await app.state.jobs.start()
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(min(switch_interval, SWITCH_INTERVAL_S))
    # What start-up built (torch, the catalog: millions of objects) lives as long as the
    # app: out of the collector's reach, a full collection no longer walks it. Before,
    # one took 90-260 ms of a burst of 50 requests, with every request waiting.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        sys.setswitchinterval(switch_interval)
        await app.state.jobs.stop()


def create_app(settings: Settings | None = None, **state: Any) -> FastAPI:
    """The whole application. ``state`` lets tests inject a catalog or a job backend (``jobs``)."""
    settings = settings or Settings.from_env()

    app = FastAPI(
        lifespan=lifespan,
        title="lrscope",
        version=__version__,
        summary="Exact PyTorch learning-rate schedules, live training, shareable links.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.catalog = state.get("catalog") or default_catalog()
    app.state.schedule_cache = ResponseCache(settings.limits.cache_entries)
    app.state.jobs = state.get("jobs") or make_job_backend(settings)
    app.state.logs = LogStore(settings.data_dir / "logs.sqlite3", settings.limits.stored_logs)
    app.state.short_links = ShortLinkStore(
        settings.data_dir / "short_links.sqlite3", settings.limits.max_short_links
    )
    app.state.admission = state.get("admission") or Admission(
        settings.eval_workers,
        settings.eval_queue,
        settings.eval_memory_mb * 1_000_000,
        settings.eval_deadline_s,
    )
    for module in (catalog, schedules, imports, jobs, job_stream, logs, sharing):
        app.include_router(module.router)
    mount_docs(app)
    add_error_handlers(app)
    mount_page(app, settings.static_dir)
    # JSON (and any other body of 500 bytes or more) gzip-compressed when the client asks;
    # the page's files come compressed once (compressed_files.py) and /api/schedule's
    # answers in the evaluation pool (encoding.py): both pass through.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_SIZE, compresslevel=GZIP_LEVEL)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodySizeLimit, limit=settings.limits.max_body_bytes)
    app.add_middleware(ServerErrors)  # outside the body cap (its 413), inside the headers
    app.add_middleware(ClientIdentity)  # the client token (web/identity.py)
    app.add_middleware(TrustedHost, settings=settings)
    app.add_middleware(SecurityHeaders)
    return app
