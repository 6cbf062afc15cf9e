"""An import checked as a spec: the RunSpec read from the text is validated like any other,
and each problem is moved to where its value came from (a line of the text, or the
``values`` name that gave it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from lrscope.catalog import Catalog
from lrscope.errors import SpecError
from lrscope.importing.problems import place_error
from lrscope.importing.read import read_text
from lrscope.settings import Limits
from lrscope.spec import RunSpec, plain_issue
from lrscope.validation import resolve_run


def import_text(
    text: str, values: Mapping[str, Any], catalog: Catalog, limits: Limits
) -> dict[str, Any]:
    """``{"spec", "format", "warnings", "warning_details"}`` for ``text``, or a SpecError."""
    imported = read_text(text, values, catalog)
    try:
        run = RunSpec.model_validate(imported.spec)
    except ValidationError as exc:
        issues = [plain_issue(dict(e)) for e in exc.errors()]
        raise SpecError([place_error(i, imported.origins) for i in issues]) from None
    try:
        resolve_run(run, catalog, limits)
    except SpecError as exc:
        raise SpecError([place_error(e, imported.origins) for e in exc.errors]) from None
    spec = run.model_dump(mode="json", exclude_unset=True)
    return {
        "spec": spec,
        "format": imported.format,
        "warnings": [w["msg"] for w in imported.warnings],
        "warning_details": imported.warnings,
    }
