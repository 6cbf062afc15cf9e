"""What the API answers, declared so that /docs and clients know the shapes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CurveGroup(BaseModel):
    lr: list[float]
    momentum: list[float] | None


Params = dict[str, str | list[str]]


class WarningDetail(BaseModel):
    """A warning with its stable code and params: ``msg`` is the code's template (in
    ``GET /api/schedulers``'s ``messages``) filled with the params."""

    code: str
    params: Params
    msg: str


class PitfallGroup(BaseModel):
    lr: list[float]


class Pitfall(BaseModel):
    """A classic stepping mistake drawn over the curve: the scheduler stepped ``factor``
    times per optimizer step (point i: the rate after i x factor scheduler steps)."""

    name: str = Field(description="per_process | per_micro_batch | per_epoch_horizon")
    factor: int
    code: str
    params: Params
    msg: str
    groups: list[PitfallGroup] | None = Field(description="null when not drawn: see skipped")
    skipped: WarningDetail | None = None


class SetupAnswer(BaseModel):
    """The counts a ``setup`` resolved to, each with ``how`` it was computed."""

    framework: str
    samples_per_device: int
    micro_batches_per_epoch: int
    steps_per_epoch: int
    epochs: int
    total_steps: int
    last_epoch_steps: int
    leftover_micro_batches: int
    how: dict[str, str]
    pitfalls: list[Pitfall]


class ScheduleResponse(BaseModel):
    torch_version: str
    num_steps: int
    interval: str = Field(description="when scheduler.step() was called: the resolved interval")
    x: list[int]
    epoch: list[float]
    groups: list[CurveGroup]
    warnings: list[str]
    warning_details: list[WarningDetail] = Field(
        description="the warnings with their codes and params, one per warning, same order"
    )
    decimated: bool
    metric: list[float | None] | None = Field(
        default=None,
        description=(
            "ReduceLROnPlateau: at each point of x, the metric value passed to "
            "scheduler.step() at the end of that epoch (interval 'epoch') or step "
            "(interval 'step'); null where none is passed (the last one)"
        ),
    )
    setup: SetupAnswer | None = Field(
        default=None, description="with a setup in the spec: the counts it resolved to"
    )


class CodeResponse(BaseModel):
    code: str


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str
    code: str = Field(description="stable: a key of GET /api/schedulers' messages")
    params: Params = Field(description="fill the code's template: it then reads as msg")


class ErrorResponse(BaseModel):
    """The one error shape: FastAPI's, with ``loc`` pointing at the offending field."""

    detail: list[ErrorItem]
