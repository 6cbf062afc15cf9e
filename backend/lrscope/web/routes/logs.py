"""HTTP routes for logged runs: compare a log with a spec's curve, and fetch a stored log
for a share link. Thin: the parsing, comparison and store live in ``lrscope.logs``."""

from __future__ import annotations

import base64
import binascii
import re
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Request

from lrscope.errors import SpecError, error
from lrscope.logs import LoggedRun, LogStore, compare_log
from lrscope.logs.request import CompareRequest
from lrscope.messages import message
from lrscope.web.deps import CatalogDep, SettingsDep
from lrscope.web.errors import as_validation_error
from lrscope.web.routes.schedules import BODY_ERRORS

router = APIRouter(prefix="/api", tags=["logs"])
_ID = re.compile(r"[0-9a-f]{20}")


def get_log_store(request: Request) -> LogStore:
    store: LogStore = request.app.state.logs
    return store


LogStoreDep = Annotated[LogStore, Depends(get_log_store)]


@router.post("/compare", responses=BODY_ERRORS)
def compare(
    body: Annotated[CompareRequest, Body()],
    catalog: CatalogDep,
    settings: SettingsDep,
    store: LogStoreDep,
) -> dict[str, Any]:
    """A logged run against the spec's curve: agreement, first divergence, diagnosis."""
    try:
        out = compare_log(
            body.spec,
            _log_content(body),
            body.log.format,
            catalog=catalog,
            limits=settings.limits,
            group=body.group,
            rtol=body.rtol,
        )
    except SpecError as exc:
        raise as_validation_error(exc) from exc
    warnings = []
    try:
        log_id: str | None = store.put(LoggedRun.from_json(out["logged"]))
    except sqlite3.Error as exc:
        log_id = None
        warnings.append(message("log_not_stored", detail=str(exc)[:200]))
    return {**out, "log_id": log_id, "warning_details": warnings}


def _log_content(body: CompareRequest) -> str | bytes:
    if body.log.base64 is None:
        return body.log.text
    try:
        return base64.b64decode(body.log.base64, validate=True)
    except (binascii.Error, ValueError) as exc:  # ValueError: a character beyond ASCII
        loc = ("body", "log", "base64")
        raise HTTPException(422, [error(loc, "log_base64_invalid", detail=str(exc))]) from exc


@router.get("/logs/{log_id}", responses={404: BODY_ERRORS[422]})
def stored_log(log_id: Annotated[str, Path(max_length=64)], store: LogStoreDep) -> dict[str, Any]:
    """A stored log's parsed series (what a share link overlays)."""
    run = store.get(log_id) if _ID.fullmatch(log_id) else None
    if run is None:
        item = error(("path", "log_id"), "log_not_found", "not_found", log_id=repr(log_id))
        raise HTTPException(404, [item])
    return {"log_id": log_id, **run.to_json()}
