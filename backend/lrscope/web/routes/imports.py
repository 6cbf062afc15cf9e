"""POST /api/import: pasted code or config -> a RunSpec (parsed, never executed)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from lrscope.errors import SpecError
from lrscope.importing import import_text
from lrscope.importing.problems import MAX_TEXT_CHARS, MAX_VALUES
from lrscope.web.deps import CatalogDep, SettingsDep
from lrscope.web.errors import as_validation_error
from lrscope.web.routes.schedules import BODY_ERRORS

router = APIRouter(prefix="/api", tags=["import"])


class ImportRequest(BaseModel):
    """The text to read and the values of the names it leaves open."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
                    "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30)\n"
                    "for epoch in range(num_epochs):\n    train()\n    scheduler.step()\n",
                    "values": {"num_epochs": 90},
                }
            ]
        },
    )
    # Sizes are checked by the importer, which words them (the body cap bounds them first).
    text: Annotated[str, Field(description=f"at most {MAX_TEXT_CHARS} characters")]
    values: Annotated[
        dict[str, Any], Field(description=f"at most {MAX_VALUES} names: number, text or bool")
    ] = Field(default_factory=dict)


class ImportResponse(BaseModel):
    spec: dict[str, Any]
    format: str
    warnings: list[str]
    warning_details: list[dict[str, Any]]


@router.post("/import", response_model=ImportResponse, responses=BODY_ERRORS)
def import_route(
    body: Annotated[ImportRequest, Body()], catalog: CatalogDep, settings: SettingsDep
) -> dict[str, Any]:
    """Read a PyTorch script, a Lightning module or config, a Hydra config or Hugging Face
    TrainingArguments; answer the RunSpec it builds (names it leaves open: 422 at
    ``values``)."""
    try:
        return import_text(body.text, body.values, catalog, settings.limits)
    except SpecError as exc:
        raise as_validation_error(exc) from exc
