"""The body of ``POST /api/compare``: a run spec, a log's text and how to read it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from lrscope.spec import RunSpec

LogFormat = Literal[
    "auto",
    "hf_trainer_state",
    "tensorboard_csv",
    "tensorboard_json",
    "tensorboard_events",
    "wandb_csv",
    "lightning_csv",
]


class LogInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(default="", description="the log file's text, as saved")
    base64: str | None = Field(
        default=None, description="the file's bytes in base64 instead (TensorBoard event files)"
    )
    format: LogFormat = Field(default="auto", description="auto: detected from the text")


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    spec: RunSpec
    log: LogInput
    group: Annotated[int, Field(strict=True, ge=0, le=63)] = Field(
        default=0, description="the param group whose rate the log holds"
    )
    rtol: Annotated[float, Field(gt=0, lt=1)] | None = Field(
        default=None, description="relative tolerance; default: the format's (see README)"
    )
