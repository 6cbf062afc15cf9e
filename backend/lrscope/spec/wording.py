"""Pydantic's located errors in the spec's own words, in the one error shape.

"must be at least 1, got 0" rather than pydantic's "Input should be greater than or equal
to 1", so every 422 reads alike whichever layer found the problem; each with its code and
params (``lrscope.messages``).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lrscope.errors import SpecError, got, printable
from lrscope.messages import MESSAGES, message

# Pydantic's error type -> (our code, {param: the key of pydantic's ctx that fills it}).
PLAIN: dict[str, tuple[str, dict[str, str]]] = {
    "greater_than_equal": ("too_small", {"minimum": "ge"}),
    "greater_than": ("too_small_exclusive", {"minimum": "gt"}),
    "less_than_equal": ("too_large", {"maximum": "le"}),
    "less_than": ("too_large_exclusive", {"maximum": "lt"}),
    "int_type": ("not_integer", {}),
    "int_parsing": ("not_integer", {}),
    "int_from_float": ("not_integer", {}),
    "float_type": ("not_a_number", {}),
    "float_parsing": ("not_a_number", {}),
    "bool_type": ("not_boolean", {}),
    "bool_parsing": ("not_boolean", {}),
    "string_type": ("not_text", {}),
    "string_unicode": ("not_unicode", {}),
    "list_type": ("not_list", {}),
    "dict_type": ("not_object", {}),
    "model_type": ("not_object", {}),
    "model_attributes_type": ("not_object", {}),
    "literal_error": ("not_expected", {"expected": "expected"}),
    "enum": ("not_expected", {"expected": "expected"}),
    "missing": ("required", {}),
    "json_invalid": ("json_invalid", {"detail": "error"}),
    "extra_forbidden": ("not_a_field", {}),
    "too_short": ("too_few_items", {"minimum": "min_length"}),
    "too_long": ("list_too_long", {"maximum": "max_length"}),
    "too_deep": ("too_deep", {"maximum": "max"}),  # spec/models.py's own
    "setup_run_length": ("setup_run_length", {}),  # spec/models.py's own
}


def spec_error(exc: ValidationError) -> SpecError:
    """A SpecError holding every one of pydantic's errors."""
    return SpecError([plain_issue(e) for e in exc.errors()])


def plain_issue(e: Any) -> dict[str, Any]:
    """A pydantic error as ``{"loc", "msg", "type", "code", "params"}``, worded like the
    spec's own checks ("must be at least 1, got 0") rather than pydantic's ("Input should
    be ..."). A type not worded here keeps pydantic's English as the ``detail`` of
    ``invalid``."""
    ctx = e.get("ctx") or {}
    code, names = PLAIN.get(e["type"], ("invalid", {}))
    params = {name: str(ctx.get(key)) for name, key in names.items()}
    if "{got}" in MESSAGES[code]:
        if "input" in e:
            params |= got(e["input"])
        else:
            code = "invalid"
    if code == "invalid":
        params = {"detail": str(e["msg"])}
    loc = [printable(part) if isinstance(part, str) else part for part in e["loc"]]
    item = message(code, **params)
    return {"loc": loc, "msg": item["msg"], "type": e["type"], **item}
