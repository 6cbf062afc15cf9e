"""The one error shape: ``SpecError`` and its items ``{"loc", "msg", "type"}``.

``loc`` points at the field (inside nested schedulers too), ``msg`` is in words a student
understands, ``type`` says what kind of problem it is. Every layer reports user-fixable
problems this way; the web layer roots ``loc`` at ``"body"`` and answers 422.
"""

from __future__ import annotations

from typing import Any

Loc = tuple[str | int, ...]


class SpecError(ValueError):
    """One or more user-fixable problems with a spec."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors


def error(loc: Loc, msg: str, kind: str = "value_error") -> dict[str, Any]:
    return {"loc": list(loc), "msg": msg, "type": kind}


def fmt(v: float) -> str:
    """A number as a student would write it: 3, not 3.0."""
    return repr(int(v)) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else repr(v)


def describe(v: Any) -> str:
    """A value as an error message quotes it back."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f"the text {v[:40]!r}"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    text = repr(v)
    return text if len(text) <= 40 else f"{text[:12]}...({len(text)} digits)"


def printable(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate sent in the JSON ("\\ud800") is echoed
    escaped, where it would otherwise break the error response itself."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
