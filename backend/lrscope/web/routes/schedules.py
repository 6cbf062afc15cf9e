"""HTTP routes for schedules: thin — validate, call the engine, serialise."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response

from lrscope import codegen
from lrscope.catalog import Catalog
from lrscope.codegen import render_hf
from lrscope.errors import SpecError
from lrscope.settings import Settings
from lrscope.spec import RunSpec
from lrscope.spec.responses import CodeResponse, ErrorResponse, ScheduleResponse
from lrscope.validation import ResolvedRun, resolve_run
from lrscope.web.admission import Admission, Held, estimate_response_bytes
from lrscope.web.cache import MAX_ENTRY_BYTES, ResponseCache
from lrscope.web.compressed_files import accepts_gzip
from lrscope.web.deps import AdmissionDep, CacheDep, CatalogDep, SettingsDep
from lrscope.web.encoding import Encoded
from lrscope.web.errors import as_validation_error
from lrscope.web.schedule_answer import evaluate_and_encode
from lrscope.web.sliced_response import encoded_json

router = APIRouter(prefix="/api", tags=["schedules"])

# Errors besides FastAPI's own 422, declared so clients (and schemathesis) know them.
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "The request body is over the size cap."},
    503: {"model": ErrorResponse, "description": "Evaluation is full or ran out of time."},
    422: {"model": ErrorResponse, "description": "A field is invalid; `loc` names it."},
}
RunBody = Annotated[RunSpec, Body()]


def resolve_or_422(run: RunSpec, catalog: Catalog, settings: Settings) -> ResolvedRun:
    """Resolve a spec; turn its problems into FastAPI's 422 with ``body``-rooted locs."""
    try:
        return resolve_run(run, catalog, settings.limits)
    except SpecError as exc:
        raise as_validation_error(exc) from exc


async def evaluated_body(
    run: RunSpec,
    request: Request,
    catalog: Catalog,
    settings: Settings,
    cache: ResponseCache,
    admission: Admission,
) -> tuple[Encoded, ResolvedRun | None, Held | None]:
    """The encoded ``/api/schedule`` answer: from the cache (on the event loop, never
    queued), else resolved here, then evaluated and encoded (gzipped too, when the client
    asks or the answer is to be cached) in a worker process (admission.py), and the memory
    the answer holds until it is sent (None for a cache hit)."""
    # json.dumps, not model_dump_json: it escapes a lone surrogate instead of failing.
    key = json.dumps(run.model_dump(), sort_keys=True, default=repr)
    cached = cache.get(key)
    if cached is not None:
        return cached, None, None
    resolved = resolve_or_422(run, catalog, settings)
    num_values = resolved.num_steps * len(resolved.optimizer.groups)
    # Compressed in the worker if the client asks or the cache is to keep it (a later hit
    # then never compresses).
    gzip = accepts_gzip(request.headers)
    work = (evaluate_and_encode, resolved, catalog.torch_version, gzip, MAX_ENTRY_BYTES)
    try:
        body, held = await admission.run(request, estimate_response_bytes(num_values), *work)
    except SpecError as exc:
        raise as_validation_error(exc) from exc
    cache.put(key, body)
    return body, resolved, held


@router.post("/schedule", response_model=ScheduleResponse, responses=BODY_ERRORS)
async def schedule(
    run: RunBody,
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    cache: CacheDep,
    admission: AdmissionDep,
) -> Response:
    """The learning rate (and momentum or beta1) torch uses at every optimizer step."""
    encoded, _, held = await evaluated_body(run, request, catalog, settings, cache, admission)
    return json_response(encoded, request, held)


def json_response(encoded: Encoded, request: Request, held: Held | None) -> Response:
    """The answer, sent in slices; the memory it ``held`` is given back once it is out."""
    return encoded_json(encoded, request.headers, on_sent=held.release if held else None)


@router.post("/code", responses=BODY_ERRORS)
async def code(
    run: RunBody,
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    cache: CacheDep,
    admission: AdmissionDep,
    style: Annotated[Literal["torch", "hf"], Query()] = "torch",
) -> CodeResponse:
    """A script that reproduces the curve exactly: plain PyTorch, or (``style=hf``, for a
    spec with an HF ``recipe``) the ``transformers.get_scheduler`` call. The run is
    evaluated first (or found in the cache), so a formula that fails at run time is refused
    here as there."""
    _, resolved, held = await evaluated_body(run, request, catalog, settings, cache, admission)
    if held is not None:
        held.release()
    if resolved is None:
        resolved = resolve_or_422(run, catalog, settings)
    if style == "torch":
        return CodeResponse(code=codegen.render(run, resolved))
    try:
        return CodeResponse(code=render_hf(run, resolved))
    except SpecError as exc:
        raise as_validation_error(exc) from exc
