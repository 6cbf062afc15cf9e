"""What the API answers, declared so that /docs and clients know the shapes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CurveGroup(BaseModel):
    lr: list[float]
    momentum: list[float] | None


class ScheduleResponse(BaseModel):
    torch_version: str
    num_steps: int
    interval: str = Field(description="when scheduler.step() was called: the resolved interval")
    x: list[int]
    epoch: list[float]
    groups: list[CurveGroup]
    warnings: list[str]
    decimated: bool
    metric: list[float | None] | None = Field(
        default=None,
        description=(
            "ReduceLROnPlateau: at each point of x, the metric value passed to "
            "scheduler.step() at the end of that epoch (interval 'epoch') or step "
            "(interval 'step'); null where none is passed (the last one)"
        ),
    )


class CodeResponse(BaseModel):
    code: str


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """The one error shape: FastAPI's, with ``loc`` pointing at the offending field."""

    detail: list[ErrorItem]
