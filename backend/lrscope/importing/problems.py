"""What an import reports: open names, unreadable constructs, warnings, and where each
value of the spec came from in the text (so a refusal can name the line)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from lrscope.errors import Loc, SpecError, error, got
from lrscope.messages import message

# Far beyond any real training script or config; bigger text is refused before parsing.
MAX_TEXT_CHARS = 200_000
MAX_LINES = 5_000
MAX_NESTING = 40  # brackets, blocks or YAML levels
MAX_VALUES = 100


@dataclass(frozen=True)
class Where:
    """A place in the text (1-based line and column)."""

    line: int
    column: int


@dataclass(frozen=True)
class Missing:
    """A value the text leaves open: the names it depends on, each with where it is read."""

    names: dict[str, Where]

    def __or__(self, other: Missing) -> Missing:
        if len(self.names) >= MAX_VALUES:  # enough to ask for; merging more costs time
            return self
        merged = dict(self.names)
        for name, where in other.names.items():
            merged.setdefault(name, where)
        return Missing(merged)


@dataclass(frozen=True)
class Unreadable:
    """A construct the importer cannot read; a refusal only if the spec needs its value."""

    where: Where
    detail: str


@dataclass(frozen=True)
class WrongKind:
    """A value given in ``values`` that is used as a number but is not one."""

    name: str
    value: Any
    where: Where


class ImportRefused(Exception):
    """Raised from deep inside a reader; carries one error item."""

    def __init__(self, item: dict[str, Any]) -> None:
        super().__init__(item["msg"])
        self.item = item


def unreadable(where: Where, detail: str) -> ImportRefused:
    return ImportRefused(
        error(
            ("text",),
            "import_unreadable",
            "import_unreadable",
            line=str(where.line),
            column=str(where.column),
            detail=detail,
        )
    )


def open_name_error(name: str, where: Where) -> dict[str, Any]:
    return error(
        ("values", name),
        "import_open_name",
        "missing",
        name=name,
        line=str(where.line),
        column=str(where.column),
    )


@dataclass
class Report:
    """Collects an import's problems and warnings, and the origin of each spec value."""

    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # spec loc -> (where in the text, the values name it came from, if any)
    origins: dict[Loc, tuple[Where, str | None]] = field(default_factory=dict)

    def warn(self, code: str, **params: str) -> None:
        item = message(code, **params)
        if item not in self.warnings:
            self.warnings.append(item)

    def need(self, value: Any) -> Any:
        """``value`` itself; open names and unreadable parts inside it are recorded."""
        if isinstance(value, Missing):
            named = {tuple(e["loc"]) for e in self.errors}
            for name, where in value.names.items():
                if ("values", name) not in named:
                    self.errors.append(open_name_error(name, where))
        elif isinstance(value, Unreadable):
            raise unreadable(value.where, value.detail)
        elif isinstance(value, WrongKind):
            item = error(
                ("values", value.name),
                "import_value_not_number",
                line=str(value.where.line),
                **got(value.value),
            )
            if item not in self.errors:
                self.errors.append(item)
        elif isinstance(value, ast.AST):
            at = Where(getattr(value, "lineno", 1), getattr(value, "col_offset", 0) + 1)
            raise unreadable(at, "a function cannot be a value here")
        elif isinstance(value, list | tuple):
            for v in value:
                self.need(v)
        elif isinstance(value, dict):
            for v in value.values():
                self.need(v)
        return value

    def raise_errors(self) -> None:
        if self.errors:
            raise SpecError(self.errors)


def place_error(
    item: dict[str, Any], origins: dict[Loc, tuple[Where, str | None]]
) -> dict[str, Any]:
    """A validation error of the imported spec, moved to where its value came from: the
    ``values`` name it was given by, or the text's line."""
    loc = tuple(item["loc"])
    for cut in range(len(loc), 0, -1):
        origin = origins.get(loc[:cut])
        if origin is None:
            continue
        where, name = origin
        field_name = ".".join(map(str, loc))
        if name is not None:
            return {**item, "loc": ["values", name]}
        placed = error(
            ("text",),
            "import_invalid_value",
            item.get("type", "value_error"),
            line=str(where.line),
            column=str(where.column),
            field=field_name,
            detail=item["msg"],
        )
        return {**placed, "params": {**placed["params"], "spec_loc": field_name}}
    return {**item, "loc": ["spec", *item["loc"]]}
