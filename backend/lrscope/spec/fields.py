"""A request model's fields as a flat table the page builds its forms from, so it never
copies a default or a bound: ``{"regularization.dropout": {"type": "number", "default": 0.0,
"minimum": 0, "exclusive_maximum": 1}, ...}``."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

_BOUNDS = {
    annotated_types.Ge: ("ge", "minimum"),
    annotated_types.Gt: ("gt", "exclusive_minimum"),
    annotated_types.Le: ("le", "maximum"),
    annotated_types.Lt: ("lt", "exclusive_maximum"),
}


def field_table(model: type[BaseModel], prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every leaf field of ``model`` (nested models flattened with dots), with its JSON type,
    default, bounds, choices and description. Open objects (scheduler, optimizer) and lists
    are left out: the catalog describes those."""
    table: dict[str, dict[str, Any]] = {}
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = _model_of(info.annotation)
        if nested is not None:
            table.update(field_table(nested, f"{path}."))
            continue
        kind = _json_type(info.annotation)
        if kind is None:
            continue
        entry: dict[str, Any] = {"type": kind[0], "nullable": _nullable(info.annotation)}
        if kind[1] is not None:
            entry["enum"] = kind[1]
        default = info.get_default(call_default_factory=False)
        if default is not PydanticUndefined and not callable(default):
            entry["default"] = default
        entry.update(_bounds(info))
        if info.description:
            entry["description"] = info.description
        table[path] = entry
    return table


def _args(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return tuple(a for a in typing.get_args(annotation) if a is not type(None))
    return (annotation,)


def _nullable(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    (first, *rest) = _args(annotation)
    if not rest and isinstance(first, type) and issubclass(first, BaseModel):
        # Open objects (extra keys allowed) are described by the catalog, not here.
        return first if first.model_config.get("extra") == "forbid" else None
    return None


def _json_type(annotation: Any) -> tuple[str, list[Any] | None] | None:
    (first, *rest) = _args(annotation)
    if rest:
        return None
    if typing.get_origin(first) is Literal:
        return "enum", list(typing.get_args(first))
    if typing.get_origin(first) is typing.Annotated:
        return _json_type(typing.get_args(first)[0])
    simple = {bool: "boolean", int: "integer", float: "number", str: "string"}
    return (simple[first], None) if first in simple else None


def _bounds(info: FieldInfo) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for meta in info.metadata:
        for cls, (attr, key) in _BOUNDS.items():
            if isinstance(meta, cls):
                out[key] = getattr(meta, attr)
    return out
