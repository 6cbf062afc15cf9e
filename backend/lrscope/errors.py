"""The one error shape: ``SpecError`` and its items ``{"loc", "msg", "type", "code",
"params"}``.

``loc`` points at the field (inside nested schedulers too), ``msg`` is in words a student
understands, ``type`` says what kind of problem it is, ``code`` and ``params`` let a page
word it in another language (``messages.py``: ``msg`` is always the code's template filled
with the params). Every layer reports user-fixable problems this way; the web layer roots
``loc`` at ``"body"`` and answers 422.
"""

from __future__ import annotations

from typing import Any

from lrscope.messages import message, printable

__all__ = ["Loc", "SpecError", "describe", "error", "fmt", "got", "printable", "token"]

Loc = tuple[str | int, ...]


class SpecError(ValueError):
    """One or more user-fixable problems with a spec."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors

    def __reduce__(self) -> tuple[type[SpecError], tuple[list[dict[str, Any]]]]:
        # Rebuilt from its items when it crosses a process boundary (evaluation_pool.py).
        return SpecError, (self.errors,)


def error(loc: Loc, code: str, kind: str = "value_error", **params: str) -> dict[str, Any]:
    """One error item: its message is ``code``'s template filled with ``params``."""
    item = message(code, **params)
    return {"loc": list(loc), "msg": item["msg"], "type": kind, **item}


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


def token(v: Any) -> str:
    """A value as any language can quote it back: 3, 'abc', null, true, […], {…}."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return repr(v[:40])
    if isinstance(v, list):
        return "[…]"
    if isinstance(v, dict):
        return "{…}"
    text = fmt(v)
    return text if len(text) <= 40 else f"{text[:12]}...({len(text)} digits)"


def got(v: Any) -> dict[str, str]:
    """The params of a message that quotes ``v`` back: ``got`` (English, "the text 'abc'")
    and ``value`` (a language-neutral token, ``'abc'``)."""
    return {"got": describe(v), "value": token(v)}
