"""HTTP routes for training jobs: thin — validate, hand to the job backend, serialise."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from lrscope.errors import SpecError, error
from lrscope.training.jobs.backend import JobRefused
from lrscope.training.series import build_series, summary
from lrscope.training.spec import TrainSpec, fit_preview, resolve_train
from lrscope.web.deps import CatalogDep, ClientKeyDep, JobsDep, SettingsDep, check_origin
from lrscope.web.errors import as_validation_error

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
        429: {"description": "queue full or too many jobs; see Retry-After"},
        503: {"description": "runs cannot be saved now (the store cannot write)"},
    },
)
async def submit_job(
    spec: Annotated[TrainSpec, Body()],
    client: ClientKeyDep,
    jobs: JobsDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Any:
    """Start a training job; stream it from ``/ws/jobs/{id}``."""
    try:  # in a thread: the first optimizer torch builds imports torch._dynamo (seconds)
        await asyncio.to_thread(resolve_train, spec, catalog, settings.limits)
    except SpecError as exc:
        raise as_validation_error(exc) from exc
    try:
        job_id, status = jobs.submit(spec.model_dump(mode="json"), client)
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
    jobs: JobsDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> dict[str, Any]:
    """Recent runs, newest first."""
    records = await asyncio.to_thread(jobs.store.recent, limit)
    runs = []
    for r in records:
        spec = r.spec
        runs.append(
            {
                "id": r.id,
                "status": jobs.status(r.id) or r.status,
                "created": r.created,
                "updated": r.updated,
                "task": spec.get("task", {}).get("name"),
                "scheduler": spec.get("scheduler", {}).get("type"),
                "optimizer": spec.get("optimizer", {}).get("type"),
                "epochs": spec.get("epochs"),
            }
        )
    return {"runs": runs}


@router.get("/jobs/{job_id}")
async def get_job(job_id: str, jobs: JobsDep) -> dict[str, Any]:
    """A run's status, spec and full series (also after a server restart)."""
    found = await jobs.snapshot(job_id)
    if found is None:
        raise _not_found(job_id)
    record, events = found
    return {
        **record,
        **summary(events),
        "last_seq": events[-1]["seq"] if events else -1,
        "series": build_series(events),
    }


@router.delete("/jobs/{job_id}", response_model=JobStatus, dependencies=[Depends(check_origin)])
async def cancel_job(job_id: str, jobs: JobsDep) -> JobStatus:
    """Stop a queued or running job (status ``cancelled``); a finished one is left as is."""
    status = await jobs.cancel(job_id, "stopped")
    if status is None:
        raise _not_found(job_id)
    return JobStatus(id=job_id, status=status)
