"""One argument value against its catalog entry: type, bounds, per-group lists, formulas.

Each check returns the value converted for torch (``None`` when it failed) and reports
problems to the context with the argument's ``loc``.
"""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from typing import Any

from lrscope.catalog import SERVICE_ARGS, OptimizerInfo, Param, SchedulerInfo
from lrscope.errors import Loc, describe, fmt
from lrscope.spec.formula import Expression, ExpressionError, compile_expression
from lrscope.validation.context import Context


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _bounds_message(p: Param, v: float) -> str | None:
    if p.minimum is not None and v < p.minimum:
        return f"must be at least {fmt(p.minimum)}, got {fmt(v)}"
    if p.exclusive_minimum is not None and v <= p.exclusive_minimum:
        return f"must be greater than {fmt(p.exclusive_minimum)}, got {fmt(v)}"
    if p.maximum is not None and v > p.maximum:
        return f"must be at most {fmt(p.maximum)}, got {fmt(v)}"
    if p.exclusive_maximum is not None and v >= p.exclusive_maximum:
        return f"must be less than {fmt(p.exclusive_maximum)}, got {fmt(v)}"
    return None


def _number(ctx: Context, p: Param, v: Any, loc: Loc, integer: bool) -> Any:
    if not is_number(v):
        ctx.fail(loc, f"must be {'a whole number' if integer else 'a number'}, got {describe(v)}")
        return None
    if isinstance(v, int) and abs(v) > sys.float_info.max:  # a JSON integer of 310+ digits
        ctx.fail(loc, f"is too large for a number ({len(str(abs(v)))} digits)")
        return None
    if not math.isfinite(v):
        ctx.fail(loc, "must be a finite number")
        return None
    if integer:
        if isinstance(v, float) and not v.is_integer():
            ctx.fail(loc, f"must be a whole number, got {v!r}")
            return None
        v = int(v)
        if abs(v) > 10**12:
            ctx.fail(loc, f"is too large ({v:.3g}); at most 10**12")
            return None
    else:
        v = float(v)  # torch checks isinstance(x, float) in places; JSON 1 arrives as int
    msg = _bounds_message(p, v)
    if msg:
        ctx.fail(loc, msg)
        return None
    return v


def _value(ctx: Context, p: Param, v: Any, loc: Loc, num_groups: int) -> Any:
    """Check one argument value; return it converted for torch (None when it failed)."""
    if v is None:
        if p.nullable:
            return None
        ctx.fail(loc, "must not be null")
        return None
    if p.per_group and isinstance(v, list) and p.type != "schedulers":
        if len(v) != num_groups:
            ctx.fail(
                loc,
                f"has {len(v)} values but the optimizer has {num_groups} param "
                "group(s); give one value per group, or a single value for all",
            )
            return None
        single = replace(p, per_group=False, nullable=False)
        items = [_value(ctx, single, item, (*loc, i), num_groups) for i, item in enumerate(v)]
        return None if any(i is None for i in items) else items
    if p.type in ("number", "integer"):
        return _number(ctx, p, v, loc, integer=p.type == "integer")
    if p.type == "boolean":
        if not isinstance(v, bool):
            ctx.fail(loc, f"must be true or false, got {describe(v)}")
            return None
        return v
    if p.type == "enum":
        if isinstance(v, (dict, list)) or v not in (p.enum or []):
            choices = ", ".join(repr(c) for c in p.enum or [])
            ctx.fail(loc, f"must be one of {choices}; got {describe(v)}", "enum")
            return None
        return v
    if p.type == "string":
        if not isinstance(v, str) or len(v) > 200:
            ctx.fail(loc, f"must be a short text, got {describe(v)}")
            return None
        return v
    if p.type == "expression":
        return _expression(ctx, p, v, loc)
    if p.type in ("integer_list", "number_list", "number_pair"):
        return _number_list(ctx, p, v, loc)
    if p.type == "json":
        return _json(ctx, p, v, loc)
    ctx.fail(loc, f"has a type ({p.type}) this service cannot take")
    return None


def _expression(ctx: Context, p: Param, v: Any, loc: Loc) -> Expression | None:
    variable = p.variable or "epoch"
    if not isinstance(v, str):
        ctx.fail(
            loc,
            f"must be a formula in '{variable}' written as text, e.g. "
            f'"0.95 ** {variable}"; got {describe(v)}',
        )
        return None
    try:
        return compile_expression(v, variable, max_length=ctx.limits.max_expression_length)
    except ExpressionError as exc:
        ctx.fail(loc, f"{exc} (in the formula {v[:60]!r})", "expression")
        return None


def _number_list(ctx: Context, p: Param, v: Any, loc: Loc) -> Any:
    if not isinstance(v, list):
        ctx.fail(loc, f"must be a list of numbers, got {describe(v)}")
        return None
    if p.type == "number_pair" and len(v) != 2:
        ctx.fail(loc, f"must be a list of two numbers, got {len(v)}")
        return None
    if len(v) > ctx.limits.max_list_length:
        ctx.fail(loc, f"has {len(v)} items; at most {ctx.limits.max_list_length} are allowed")
        return None
    integer = p.type == "integer_list"
    item = replace(p, type="integer" if integer else "number")
    items = [_number(ctx, item, x, (*loc, i), integer) for i, x in enumerate(v)]
    if any(i is None for i in items):
        return None
    return tuple(items) if p.type == "number_pair" else items


def _json(ctx: Context, p: Param, v: Any, loc: Loc) -> Any:
    """An argument the signature types loosely: shaped like its default, or plain values."""
    if isinstance(p.default, list):  # a fixed-length tuple such as Adafactor's eps=(None, 1e-3)
        shape = ", ".join("null" if d is None else "a number" for d in p.default)
        if not isinstance(v, list) or len(v) != len(p.default):
            ctx.fail(loc, f"must be a list of {len(p.default)} values ({shape}), got {describe(v)}")
            return None
        items: list[Any] = []
        for i, (x, d) in enumerate(zip(v, p.default, strict=True)):
            if x is None and d is None:
                items.append(None)
                continue
            items.append(_number(ctx, Param(name=p.name, type="number"), x, (*loc, i), False))
            if items[-1] is None:
                return None
        return tuple(items)
    flat = v if isinstance(v, list) else [v]
    if len(flat) > ctx.limits.max_list_length or not all(
        x is None or isinstance(x, (bool, str)) or (is_number(x) and math.isfinite(x)) for x in flat
    ):
        ctx.fail(
            loc, f"must be a number, a text, true/false or a flat list of them, got {describe(v)}"
        )
        return None
    return tuple(v) if isinstance(v, list) else v


def check_args(
    ctx: Context,
    info: OptimizerInfo | SchedulerInfo,
    args: dict[str, Any],
    loc: Loc,
    num_groups: int = 1,
) -> dict[str, Any]:
    """The arguments converted for torch; each problem reported at its own ``loc``.
    ``num_groups`` is how many values a per-group list must hold."""
    known = {p.name: p for p in info.params}
    out: dict[str, Any] = {}
    for name, v in args.items():
        if name not in known:
            if name in SERVICE_ARGS or name == "params":
                msg = "is set by lrscope itself, not by the spec"
            else:
                msg = (
                    f"is not an argument of {info.name} (its arguments: "
                    + (", ".join(known) or "none")
                    + ")"
                )
            ctx.fail((*loc, name), msg, "extra_forbidden")
            continue
        if known[name].type == "schedulers":
            continue  # resolved by the caller, recursively
        checked = _value(ctx, known[name], v, (*loc, name), num_groups)
        if checked is not None or v is None:
            out[name] = checked
    for p in info.params:
        if p.required and p.name not in args:
            ctx.fail((*loc, p.name), f"is required by {info.name}", "missing")
    return out
