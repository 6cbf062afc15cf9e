"""Reading one value out of a log, or refusing it with the line and field it sits at.

Every refusal is a ``SpecError`` at ``["log", "text"]`` (the web layer roots it at
``"body"``) whose params name the line and the field, so a user can find it in the file.
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

from lrscope.errors import Loc, SpecError, error, got

TEXT_LOC: Loc = ("log", "text")
MAX_STEP = 10**12


def refuse(code: str, loc: Loc = TEXT_LOC, /, **params: str) -> NoReturn:
    raise SpecError([error(loc, code, **params)])


def _parsed(raw: Any) -> Any:
    if isinstance(raw, str):
        text = raw.strip()
        if not text or len(text) > 64 or "_" in text:
            return raw
        try:
            return float(text)
        except ValueError:
            return raw
    return raw


def number(raw: Any, line: int, field: str) -> float:
    """A finite number (a JSON number or the text of one)."""
    v = _parsed(raw)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        refuse("log_value_not_number", line=str(line), field=field, **got(raw))
    v = float(v)
    if not math.isfinite(v):
        refuse("log_value_not_number", line=str(line), field=field, **got(raw))
    return v


def loss_value(raw: Any, line: int, field: str) -> float | None:
    """A loss may be NaN or infinite (a diverged run): kept as null, not refused."""
    v = _parsed(raw)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        refuse("log_value_not_number", line=str(line), field=field, **got(raw))
    return float(v) if math.isfinite(v) else None


def step(raw: Any, line: int, field: str) -> int:
    """An optimizer step: a whole number from 0 (``3`` or ``3.0``)."""
    v = _parsed(raw)
    ok = not isinstance(v, bool) and isinstance(v, (int, float))
    if ok and isinstance(v, float):
        ok = math.isfinite(v) and v.is_integer()
    if not ok or not 0 <= v <= MAX_STEP:
        refuse("log_step_invalid", line=str(line), field=field, **got(raw))
    return int(v)
