"""HTTP routes for training jobs: thin — validate, hand to the job backend, serialise."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from lrscope.codegen.lr_finder import render_lr_finder
from lrscope.errors import SpecError, error
from lrscope.training.job_kinds import resolve_job
from lrscope.training.jobs.backend import JobRefused
from lrscope.training.range_test_plan import resolve_range_test
from lrscope.training.series import build_series, summary
from lrscope.training.spec import TrainSpec, fit_preview
from lrscope.web.deps import CallerDep, CatalogDep, JobsDep, SettingsDep, check_origin
from lrscope.web.errors import as_validation_error
from lrscope.web.identity import owner_tag

router = APIRouter(prefix="/api", tags=["jobs"])


def _not_found(job_id: str) -> HTTPException:
    return HTTPException(
        404, [error(("path", "job_id"), "job_not_found", "not_found", job=repr(job_id))]
    )


_KINDS = {429: "too_many_jobs", 503: "unavailable"}


class JobCreated(BaseModel):
    id: str
    status: str


class JobStatus(BaseModel):
    id: str
    status: str


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobCreated,
    dependencies=[Depends(check_origin)],
    responses={
        429: {
            "description": "queue full, or too many jobs of this client or address; see "
            "Retry-After (estimated from the running jobs' progress)"
        },
        503: {"description": "runs cannot be saved now (the store cannot write)"},
    },
)
async def submit_job(
    spec: Annotated[TrainSpec, Body()],
    caller: CallerDep,
    jobs: JobsDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Any:
    """Start a training job; stream it from ``/ws/jobs/{id}``."""
    try:  # in a thread: the first optimizer torch builds imports torch._dynamo (seconds)
        await asyncio.to_thread(resolve_job, spec, catalog, settings.limits)
    except SpecError as exc:
        raise as_validation_error(exc) from exc
    try:
        job_id, status = await jobs.submit(spec.model_dump(mode="json"), caller.key, caller.address)
    except JobRefused as exc:
        return JSONResponse(
            {
                "detail": [
                    {"loc": [], "msg": exc.item["msg"], "type": _KINDS[exc.status], **exc.item}
                ]
            },
            status_code=exc.status,
            headers={"Retry-After": str(exc.retry_after)},
        )
    return JobCreated(id=job_id, status=status)


@router.post("/range_test_code")
async def range_test_code(
    spec: Annotated[TrainSpec, Body()], catalog: CatalogDep, settings: SettingsDep
) -> dict[str, str]:
    """An LR range test's spec (``kind`` ``lr_range_test``) -> ``{"code"}``: a plain-torch
    script running the same sweep on your own model and data loader."""
    try:
        if spec.kind != "lr_range_test":
            raise SpecError([error(("kind",), "range_test_code_kind")])
        plan = await asyncio.to_thread(resolve_range_test, spec, catalog, settings.limits)
    except SpecError as exc:
        raise as_validation_error(exc) from exc
    return {"code": render_lr_finder(plan)}


@router.post("/fit")
async def fit_job(
    spec: Annotated[TrainSpec, Body()], catalog: CatalogDep, settings: SettingsDep
) -> Any:
    """For a schedule written for another run length (``fit``: its epochs and
    steps_per_epoch): whether the job's length agrees, the schedule's own length (and
    whether a job may train it, else the nearest that fits, rescaled) and the schedule
    rescaled to the job's length, each as the ``schedule_request`` the job would run."""
    try:
        return await asyncio.to_thread(fit_preview, spec, catalog, settings.limits)
    except SpecError as exc:
        raise as_validation_error(exc) from exc


@router.get("/jobs")
async def list_jobs(
    jobs: JobsDep,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    mine: Annotated[bool, Query(description="only the runs this client started")] = False,
) -> dict[str, Any]:
    """Recent runs, newest first; each says whether this client started it (``mine``);
    the admin also sees ``owner``, a short tag of the client that started each run."""
    client = caller.key if mine else None
    records = await asyncio.to_thread(jobs.store.recent, limit, client)
    runs = []
    for r in records:
        spec = r.spec
        run = {
            "id": r.id,
            "status": jobs.status(r.id) or r.status,
            "created": r.created,
            "updated": r.updated,
            "kind": spec.get("kind", "train"),
            "task": (spec.get("task") or {}).get("name"),
            "scheduler": (spec.get("scheduler") or {}).get("type"),
            "optimizer": (spec.get("optimizer") or {}).get("type"),
            "epochs": spec.get("epochs"),
            # What names a run apart in the page's list (train/run-name.js).
            "lr": spec.get("optimizer", {}).get("lr"),
            "regularization": spec.get("regularization"),
            "seed": spec.get("seed"),
            "mine": r.client == caller.key,
        }
        if caller.admin:
            run["owner"] = owner_tag(r.client)
        runs.append(run)
    return {"runs": runs, "admin": caller.admin}


@router.get("/jobs/{job_id}")
async def get_job(job_id: str, jobs: JobsDep, caller: CallerDep) -> dict[str, Any]:
    """A run's status, spec and full series (also after a server restart); ``mine``: this
    client started it; ``position`` (while queued): 1 when it starts next."""
    found = await jobs.snapshot(job_id)
    if found is None:
        raise _not_found(job_id)
    record, events = found
    return {
        **record,
        "mine": await jobs.owner(job_id) == caller.key,
        **summary(events),
        "last_seq": events[-1]["seq"] if events else -1,
        "series": build_series(events),
    }


@router.delete(
    "/jobs/{job_id}",
    response_model=JobStatus,
    dependencies=[Depends(check_origin)],
    responses={403: {"description": "another client started this job (and you are no admin)"}},
)
async def cancel_job(job_id: str, jobs: JobsDep, caller: CallerDep) -> JobStatus:
    """Stop a queued or running job (status ``cancelled``); a finished one is left as is.
    Only the client that started it, or the admin, may."""
    owner = await jobs.owner(job_id)
    if owner is None:
        raise _not_found(job_id)
    if not caller.may_stop(owner):
        item = error(("path", "job_id"), "job_not_yours", "forbidden", job=repr(job_id))
        raise HTTPException(403, [item])
    status = await jobs.cancel(job_id, "stopped")
    if status is None:
        raise _not_found(job_id)
    return JobStatus(id=job_id, status=status)
