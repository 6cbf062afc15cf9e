"""Logged runs against the prediction: parsers for HF ``trainer_state.json``, TensorBoard
scalar downloads (CSV, JSON), W&B CSV exports and Lightning ``metrics.csv``; the comparison
and its diagnosis; the store that keeps parsed logs for share links. Pure: no web here."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lrscope.catalog import Catalog
from lrscope.errors import SpecError
from lrscope.logs.compare import compare_logged
from lrscope.logs.detect import detect_format, parse_log
from lrscope.logs.series import FORMATS, TOLERANCES, LoggedRun, Series
from lrscope.logs.store import LogStore, log_id
from lrscope.settings import Limits
from lrscope.spec import RunSpec, spec_error

__all__ = [
    "FORMATS",
    "TOLERANCES",
    "LogStore",
    "LoggedRun",
    "Series",
    "compare_log",
    "compare_logged",
    "detect_format",
    "log_id",
    "parse_log",
]


def compare_log(
    spec: RunSpec | dict[str, Any],
    text: str | bytes,
    log_format: str = "auto",
    *,
    catalog: Catalog | None = None,
    limits: Limits | None = None,
    group: int = 0,
    rtol: float | None = None,
) -> dict[str, Any]:
    """Hold a log's text against a run spec's curve (what ``lrscope compare`` and
    ``POST /api/compare`` do). Raises ``SpecError`` naming the field, line or column.

    The answer: ``agree``, ``first_divergence``, ``diagnosis``, ``alternatives``, ``fit``,
    ``tolerance``, ``predicted`` (at the logged steps) and ``logged`` (the parsed series).
    """
    try:
        run_spec = spec if isinstance(spec, RunSpec) else RunSpec.model_validate(spec)
    except ValidationError as exc:
        raise _under_spec(spec_error(exc)) from exc
    logged = parse_log(text, log_format, limits)
    try:
        out = compare_logged(
            run_spec, logged, catalog=catalog, limits=limits, group=group, rtol=rtol
        )
    except SpecError as exc:
        raise _under_spec(exc) from exc
    return {**out, "logged": logged.to_json()}


def _under_spec(exc: SpecError) -> SpecError:
    """The spec's own problems at ``["spec", ...]``; the log's and the group's stay put."""
    keep = ("log", "group")
    return SpecError(
        [e if e["loc"][:1] and e["loc"][0] in keep else {**e, "loc": ["spec", *e["loc"]]}
         for e in exc.errors]
    )  # fmt: skip
