"""Pydantic's located errors in the spec's own words, in the one error shape.

"must be at least 1, got 0" rather than pydantic's "Input should be greater than or equal
to 1", so every 422 reads alike whichever layer found the problem.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from lrscope.errors import SpecError, describe, printable


def spec_error(exc: ValidationError) -> SpecError:
    """A SpecError holding every one of pydantic's errors."""
    return SpecError([plain_issue(e) for e in exc.errors()])


def plain_issue(e: Any) -> dict[str, Any]:
    """A pydantic error as ``{"loc", "msg", "type"}``, worded like the spec's own checks
    ("must be at least 1, got 0") rather than pydantic's ("Input should be ...")."""
    ctx = e.get("ctx") or {}
    got = f", got {describe(e['input'])}" if "input" in e else ""
    plain = {
        "greater_than_equal": lambda: f"must be at least {ctx.get('ge')}{got}",
        "greater_than": lambda: f"must be greater than {ctx.get('gt')}{got}",
        "less_than_equal": lambda: f"must be at most {ctx.get('le')}{got}",
        "less_than": lambda: f"must be less than {ctx.get('lt')}{got}",
        "int_type": lambda: f"must be a whole number{got}",
        "int_parsing": lambda: f"must be a whole number{got}",
        "int_from_float": lambda: f"must be a whole number{got}",
        "float_type": lambda: f"must be a number{got}",
        "float_parsing": lambda: f"must be a number{got}",
        "finite_number": lambda: f"must be a finite number{got}",
        "bool_type": lambda: f"must be true or false{got}",
        "bool_parsing": lambda: f"must be true or false{got}",
        "string_type": lambda: f"must be text{got}",
        "string_unicode": lambda: "must be valid Unicode text (it holds a lone surrogate)",
        "list_type": lambda: f"must be a list{got}",
        "dict_type": lambda: f"must be an object{got}",
        "model_type": lambda: f"must be an object{got}",
        "model_attributes_type": lambda: f"must be an object{got}",
        "literal_error": lambda: f"must be {ctx.get('expected')}{got}",
        "enum": lambda: f"must be {ctx.get('expected')}{got}",
        "missing": lambda: "required",
        "json_invalid": lambda: f"the body is not valid JSON: {ctx.get('error')}",
        "extra_forbidden": lambda: "is not a field here; check the spelling",
        "too_short": lambda: f"must have at least {ctx.get('min_length')} items",
        "too_long": lambda: f"must have at most {ctx.get('max_length')} items",
    }.get(e["type"])
    loc = [printable(part) if isinstance(part, str) else part for part in e["loc"]]
    return {"loc": loc, "msg": printable(plain() if plain else e["msg"]), "type": e["type"]}
