"""What routes depend on, each with its ``Annotated`` alias: settings, catalog, cache, the
job backend, who asks (client key, address, admin), and the origin check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from lrscope.catalog import Catalog
from lrscope.errors import error
from lrscope.settings import Settings
from lrscope.training.jobs.backend import JobBackend
from lrscope.web.admission import Admission
from lrscope.web.cache import ResponseCache
from lrscope.web.identity import ADMIN_HEADER, AdminTokenInvalid, Caller, caller_of
from lrscope.web.security import origin_allowed


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


async def get_cache(request: Request) -> ResponseCache:
    cache: ResponseCache = request.app.state.schedule_cache
    return cache


async def get_jobs(request: Request) -> JobBackend:
    jobs: JobBackend = request.app.state.jobs
    return jobs


async def get_admission(request: Request) -> Admission:
    admission: Admission = request.app.state.admission
    return admission


# Dependencies are async: a sync one runs in the thread pool, where it would queue behind
# heavy work and make even /api/health wait.
async def get_caller(request: Request) -> Caller:
    """Who asks (web/identity.py): their client key and address, and whether they are the
    admin; a wrong admin token is a 403 naming the header."""
    settings: Settings = request.app.state.settings
    try:
        return caller_of(request.scope, settings.admin_token)
    except AdminTokenInvalid:
        loc = ("header", ADMIN_HEADER)
        raise HTTPException(403, [error(loc, "admin_token_invalid", "forbidden")]) from None


SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]
JobsDep = Annotated[JobBackend, Depends(get_jobs)]
AdmissionDep = Annotated[Admission, Depends(get_admission)]
CallerDep = Annotated[Caller, Depends(get_caller)]


async def check_origin(request: Request, settings: SettingsDep) -> None:
    """Refuse other sites' pages (cross-site requests); scripts send no Origin."""
    if not origin_allowed(request.headers, settings):
        raise HTTPException(403, [error(("header", "origin"), "origin_not_allowed", "origin")])
