"""GET /api/health and GET /api/schedulers: what this server is and what it offers."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from lrscope.catalog import Catalog, loop_json
from lrscope.errors import SpecError, error
from lrscope.messages import MESSAGES
from lrscope.recipes.hf import RecipeError
from lrscope.recipes.presets import hf_presets, hf_recipe
from lrscope.settings import Settings
from lrscope.spec import RunSpec, SyntheticMetric, default_optimizer
from lrscope.spec.fields import field_table
from lrscope.spec.formula import ALLOWED_CONSTANTS, ALLOWED_FUNCTIONS, SYNTAX
from lrscope.spec.models import HFRecipe
from lrscope.training.spec import MAX_TRAIN_STEPS, TASKS, TrainSpec
from lrscope.web.deps import CatalogDep, JobsDep, SettingsDep
from lrscope.web.encoding import Encoded, with_gzip
from lrscope.web.errors import as_validation_error
from lrscope.web.sliced_response import encoded_json

router = APIRouter(prefix="/api", tags=["schedules"])


@router.get("/health")
async def health(catalog: CatalogDep, jobs: JobsDep) -> dict[str, str]:
    """``ok``, or ``degraded`` with the ``reason`` (runs cannot be saved now, or jobs
    cannot run: the Ray cluster was unreachable at start)."""
    problem = jobs.store_problem() or jobs.backend_problem()
    if problem is not None:
        return {"status": "degraded", "reason": problem, "torch_version": catalog.torch_version}
    return {"status": "ok", "torch_version": catalog.torch_version}


@router.get("/schedulers", response_model=dict[str, Any])
async def schedulers(request: Request, catalog: CatalogDep, settings: SettingsDep) -> Response:
    """The catalog the UI builds its forms from, read from the installed torch."""
    # The same for the life of the app: encoded and gzipped once, so the event loop (which
    # serves this) spends microseconds on it instead of ~20 ms a request; with an ETag, so a
    # reload is a bodiless 304.
    cached: tuple[Encoded, str] | None = getattr(request.app.state, "catalog_answer", None)
    if cached is None:
        content = jsonable_encoder(catalog_json(catalog, settings))
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        body = text.encode()
        # Weak: the plain and the gzip bytes are one representation's two encodings.
        cached = with_gzip(body, True), f'W/"{hashlib.sha256(body).hexdigest()[:20]}"'
        request.app.state.catalog_answer = cached
    answer, etag = cached
    headers = {"etag": etag, "cache-control": "no-cache", "vary": "Accept-Encoding"}
    asked = {
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("if-none-match", "").split(",")
    }
    if "*" in asked or etag.removeprefix("W/") in asked:
        return Response(status_code=304, headers=headers)
    return encoded_json(answer, request.headers, headers)


def catalog_json(catalog: Catalog, settings: Settings) -> dict[str, Any]:
    """What ``GET /api/schedulers`` answers."""
    limits = settings.limits
    return {
        **catalog.to_json(),
        # lrscope's own composite: schedulers stepped by hand in one loop (catalog/loop.py)
        "loop": loop_json(),
        # Hugging Face's schedules as presets, exact (recipes/presets.py).
        "hf_presets": hf_presets(),
        "defaults": {
            "optimizer": default_optimizer().model_dump(exclude_none=True),
            "epochs": RunSpec.model_fields["epochs"].default,
            "steps_per_epoch": 1,
            "max_points": RunSpec.model_fields["max_points"].default,
        },
        # The synthetic ReduceLROnPlateau metric's fields ("synthetic.decay_steps": ...).
        "metric_fields": field_table(SyntheticMetric, "synthetic."),
        "training": {
            # What a training job's task uses when its spec leaves a size out.
            "tasks": {
                name: {"kind": d.kind, "train_size": d.train_size, "val_size": d.val_size}
                | {"noise": d.noise, "width": d.width, "depth": d.depth}
                for name, d in TASKS.items()
            },
            # Every knob of a training spec: type, default, bounds ("regularization.dropout").
            "fields": field_table(TrainSpec),
            "limits": {"max_train_steps": MAX_TRAIN_STEPS},
        },
        "expressions": {
            "syntax": SYNTAX,
            "functions": list(ALLOWED_FUNCTIONS),
            "constants": list(ALLOWED_CONSTANTS),
        },
        # Every message the server sends, by code: its English template (messages.py).
        "messages": MESSAGES,
        "limits": {
            "max_total_steps": limits.max_total_steps,
            "max_param_groups": limits.max_param_groups,
            "max_depth": limits.max_depth,
            "max_expression_length": limits.max_expression_length,
        },
    }


class HFRecipeRequest(BaseModel):
    """An HF ``get_scheduler`` call and the optimizer's lr (HF's ``optimizer.defaults``)."""

    model_config = ConfigDict(extra="forbid")
    recipe: HFRecipe
    lr: float = Field(gt=0, le=1e6)


@router.post("/hf_recipe")
def hf_recipe_route(body: HFRecipeRequest) -> dict[str, Any]:
    """The exact spec scheduler of an HF call (an HF preset on another run length)."""
    call = body.recipe.model_dump(exclude={"framework"})
    try:
        return hf_recipe(call, body.lr)
    except RecipeError as exc:
        loc = ("recipe", exc.field)
        refused = SpecError([error(loc, "recipe_refused", detail=str(exc))])
        raise as_validation_error(refused) from exc
