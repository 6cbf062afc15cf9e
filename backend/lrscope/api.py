"""HTTP routes for schedules: thin — validate, call the engine, serialise."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from lrscope import codegen
from lrscope.catalog import Catalog
from lrscope.expressions import ALLOWED_CONSTANTS, ALLOWED_FUNCTIONS, SYNTAX
from lrscope.schedules import evaluate_resolved
from lrscope.settings import Settings
from lrscope.specs import (
    CodeResponse,
    ErrorResponse,
    RunSpec,
    ScheduleResponse,
    default_optimizer,
)
from lrscope.training.spec import TASKS
from lrscope.validation import ResolvedRun, SpecError, resolve_run

router = APIRouter(prefix="/api", tags=["schedules"])

# Errors besides FastAPI's own 422, declared so clients (and schemathesis) know them.
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "The request body is over the size cap."},
    422: {"model": ErrorResponse, "description": "A field is invalid; `loc` names it."},
}


class ResponseCache:
    """A small LRU of encoded responses keyed by the canonical request."""

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        if len(value) > 8_000_000:  # exact million-point curves are not worth keeping
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._entries:
                self._data.popitem(last=False)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_catalog(request: Request) -> Catalog:
    return request.app.state.catalog


def get_cache(request: Request) -> ResponseCache:
    return request.app.state.schedule_cache


def resolve_or_422(run: RunSpec, catalog: Catalog, settings: Settings) -> ResolvedRun:
    """Resolve a spec; turn its problems into FastAPI's 422 with ``body``-rooted locs."""
    try:
        return resolve_run(run, catalog, settings.limits)
    except SpecError as exc:
        raise as_validation_error(exc) from exc


def as_validation_error(exc: SpecError) -> RequestValidationError:
    return RequestValidationError([{**e, "loc": ["body", *e["loc"]]} for e in exc.errors])


SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]
RunBody = Annotated[RunSpec, Body()]


@router.get("/health")
def health(catalog: CatalogDep) -> dict[str, str]:
    return {"status": "ok", "torch_version": catalog.torch_version}


@router.get("/schedulers")
def schedulers(catalog: CatalogDep, settings: SettingsDep) -> dict[str, Any]:
    """The catalog the UI builds its forms from, read from the installed torch."""
    limits = settings.limits
    return {
        **catalog.to_json(),
        "defaults": {
            "optimizer": default_optimizer().model_dump(exclude_none=True),
            "epochs": RunSpec.model_fields["epochs"].default,
            "steps_per_epoch": 1,
            "max_points": RunSpec.model_fields["max_points"].default,
        },
        # What a training job's task uses when its spec leaves a size out.
        "training": {
            "tasks": {
                name: {"kind": d.kind, "train_size": d.train_size, "val_size": d.val_size}
                | {"noise": d.noise, "width": d.width, "depth": d.depth}
                for name, d in TASKS.items()
            }
        },
        "expressions": {
            "syntax": SYNTAX,
            "functions": list(ALLOWED_FUNCTIONS),
            "constants": list(ALLOWED_CONSTANTS),
        },
        "limits": {
            "max_total_steps": limits.max_total_steps,
            "max_param_groups": limits.max_param_groups,
            "max_depth": limits.max_depth,
            "max_expression_length": limits.max_expression_length,
        },
    }


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
def code(run: RunBody, catalog: CatalogDep, settings: SettingsDep) -> CodeResponse:
    """A PyTorch snippet that reproduces the curve exactly."""
    resolved = resolve_or_422(run, catalog, settings)
    return CodeResponse(code=codegen.render(run, resolved))
