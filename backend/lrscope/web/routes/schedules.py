"""HTTP routes for schedules: thin — validate, call the engine, serialise."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from lrscope import codegen
from lrscope.catalog import Catalog
from lrscope.codegen_hf import render_hf
from lrscope.engine import evaluate_resolved
from lrscope.errors import SpecError
from lrscope.settings import Settings
from lrscope.spec import RunSpec
from lrscope.spec.responses import CodeResponse, ErrorResponse, ScheduleResponse
from lrscope.validation import ResolvedRun, resolve_run
from lrscope.web.deps import CacheDep, CatalogDep, SettingsDep
from lrscope.web.errors import as_validation_error

router = APIRouter(prefix="/api", tags=["schedules"])

# Errors besides FastAPI's own 422, declared so clients (and schemathesis) know them.
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "The request body is over the size cap."},
    422: {"model": ErrorResponse, "description": "A field is invalid; `loc` names it."},
}
RunBody = Annotated[RunSpec, Body()]


def resolve_or_422(run: RunSpec, catalog: Catalog, settings: Settings) -> ResolvedRun:
    """Resolve a spec; turn its problems into FastAPI's 422 with ``body``-rooted locs."""
    try:
        return resolve_run(run, catalog, settings.limits)
    except SpecError as exc:
        raise as_validation_error(exc) from exc


@router.post("/schedule", response_model=ScheduleResponse, responses=BODY_ERRORS)
def schedule(run: RunBody, catalog: CatalogDep, settings: SettingsDep, cache: CacheDep) -> Response:
    """The learning rate (and momentum or beta1) torch uses at every optimizer step."""
    # json.dumps, not model_dump_json: it escapes a lone surrogate instead of failing.
    key = json.dumps(run.model_dump(), sort_keys=True, default=repr)
    body = cache.get(key)
    if body is None:
        resolved = resolve_or_422(run, catalog, settings)
        try:
            result = evaluate_resolved(resolved, catalog.torch_version)
        except SpecError as exc:
            raise as_validation_error(exc) from exc
        body = json.dumps(result, separators=(",", ":"), allow_nan=False).encode()
        cache.put(key, body)
    return Response(body, media_type="application/json")


@router.post("/code", responses=BODY_ERRORS)
def code(
    run: RunBody,
    catalog: CatalogDep,
    settings: SettingsDep,
    style: Annotated[Literal["torch", "hf"], Query()] = "torch",
) -> CodeResponse:
    """A script that reproduces the curve exactly: plain PyTorch, or (``style=hf``, for a
    spec with an HF ``recipe``) the ``transformers.get_scheduler`` call."""
    resolved = resolve_or_422(run, catalog, settings)
    if style == "torch":
        return CodeResponse(code=codegen.render(run, resolved))
    try:
        return CodeResponse(code=render_hf(run, resolved))
    except SpecError as exc:
        raise as_validation_error(exc) from exc
