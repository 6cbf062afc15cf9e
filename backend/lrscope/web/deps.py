"""What routes depend on, each with its ``Annotated`` alias: settings, catalog, cache, the
job backend, the client's key, and the origin check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from lrscope.catalog import Catalog
from lrscope.settings import Settings
from lrscope.training.jobs.backend import JobBackend
from lrscope.web.cache import ResponseCache
from lrscope.web.security import origin_allowed


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


def get_cache(request: Request) -> ResponseCache:
    cache: ResponseCache = request.app.state.schedule_cache
    return cache


def get_jobs(request: Request) -> JobBackend:
    jobs: JobBackend = request.app.state.jobs
    return jobs


def client_key(request: Request) -> str:
    """Whom per-client job limits count: the peer's address."""
    return request.client.host if request.client else ""


SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]
JobsDep = Annotated[JobBackend, Depends(get_jobs)]
ClientKeyDep = Annotated[str, Depends(client_key)]


def check_origin(request: Request, settings: SettingsDep) -> None:
    """Refuse other sites' pages (cross-site requests); scripts send no Origin."""
    if not origin_allowed(request.headers, settings):
        raise HTTPException(
            403,
            [
                {
                    "loc": ["header", "origin"],
                    "type": "origin",
                    "msg": "requests from this origin are not allowed; "
                    "add it to LRSCOPE_ALLOWED_ORIGINS",
                }
            ],
        )
