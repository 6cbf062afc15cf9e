"""The formula language's vocabulary: its operators, functions, constants and limits, and
the words it rejects things with. ``formula.py`` is the entry point."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any, NoReturn

Number = int | float  # bool (an int subclass) also flows through: `epoch < 5` is a bool
_Fn = Callable[[Number], Number]

MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 100  # a sum of 100 terms nests 100 deep; keeps our recursion well inside the stack
# Every int result must stay below 2**1024 (> largest float, ~1.8e308): bounded ints make
# every operation take microseconds, whatever the formula.
_INT_BITS = 1024
_INT_LIMIT = 2**_INT_BITS

_BUILTINS: dict[str, Callable[..., Number]] = {"min": min, "max": max, "abs": abs}


def _round(x: Number, ndigits: Any = None) -> Number:
    """round(), with ndigits bounded: round(1, -10**9) would compute 10**(10**9)."""
    if ndigits is None:
        return round(x)
    if ndigits.__class__ not in (int, bool) or not -400 <= ndigits <= 400:
        raise ValueError("ndigits must be a whole number from -400 to 400")
    return round(x, ndigits)


_BUILTINS.update({"float": float, "int": int, "round": _round, "pow": pow})
_MATH: dict[str, Callable[..., Number]] = {
    name: getattr(math, name)
    for name in "exp log sqrt cos sin tan tanh floor ceil log10 log2".split()  # noqa: SIM905
}
_FUNCTIONS = {**_BUILTINS, **_MATH}
_CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
ALLOWED_FUNCTIONS: tuple[str, ...] = tuple(_FUNCTIONS)
ALLOWED_CONSTANTS: tuple[str, ...] = tuple(_CONSTANTS)
# (min, max) positional arguments; None = unbounded.  min(x) would iterate x in Python.
_ARITY: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "log": (1, 2)}
_ARITY.update({"round": (1, 2), "pow": (2, 2)})
SYNTAX = (
    "One Python expression in the variable (epoch, or x for scale_fn): numbers, "
    "+ - * / // % **, comparisons, and/or/not, `a if condition else b`, the functions and "
    "constants listed (the math ones also as math.cos, math.pi). A whole lambda such as "
    "`lambda current_step: 0.95 ** current_step` is accepted too; its argument names the variable."
)

_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//"}
_SYMBOLS.update({ast.Mod: "%", ast.Pow: "**"})
_BINOPS: dict[str, Callable[[Any, Any], Any]] = {"+": operator.add, "-": operator.sub}
_BINOPS.update({"*": operator.mul, "/": operator.truediv, "//": operator.floordiv})
_BINOPS.update({"%": operator.mod, "**": operator.pow})
_CMPOPS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {ast.Eq: operator.eq}
_CMPOPS.update({ast.Lt: operator.lt, ast.LtE: operator.le, ast.NotEq: operator.ne})
_CMPOPS.update({ast.Gt: operator.gt, ast.GtE: operator.ge})
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {ast.USub: operator.neg}
_UNARY.update({ast.UAdd: operator.pos, ast.Not: operator.not_})
_FORBIDDEN = {  # messages for what people try; anything else gets "<NodeName> is not allowed"
    ast.Attribute: "attribute access (a.b) is not allowed, except math.NAME for math's "
    "functions and constants listed",
    ast.Subscript: "indexing (a[b]) is not allowed",
    ast.Lambda: "a lambda is allowed only as the whole formula (lambda step: ...)",
    ast.NamedExpr: "the walrus operator := is not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.BitXor: "operator ^ is not allowed (for powers use **)",
    ast.Invert: "operator ~ is not allowed",
}
_BAD_OPS = {ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.MatMult: "@"}
_FORBIDDEN.update({op: f"operator {sym} is not allowed" for op, sym in _BAD_OPS.items()})
_FORBIDDEN.update(dict.fromkeys((ast.List, ast.Tuple, ast.Set, ast.Dict), "lists are not allowed"))
_FORBIDDEN.update(dict.fromkeys((ast.ListComp, ast.GeneratorExp), "comprehensions are not allowed"))
_FORBIDDEN.update(dict.fromkeys((ast.SetComp, ast.DictComp), "comprehensions are not allowed"))


class ExpressionError(ValueError):
    """A formula was rejected or failed to evaluate; the message is meant for the user."""


def _show(x: object) -> str:
    s = repr(x)  # ints can have ~300 digits here; keep messages readable
    return s if len(s) <= 24 else f"{s[:12]}...({len(s)} digits)"


def _show_op(a: object, sym: str, b: object) -> str:
    sa, sb = _show(a), _show(b)  # (-8) ** 0.5, not -8 ** 0.5 which means -(8 ** 0.5)
    return f"{f'({sa})' if sa[0] == '-' else sa} {sym} {f'({sb})' if sb[0] == '-' else sb}"


def _too_large(what: str) -> NoReturn:
    raise ExpressionError(f"{what} is too large (the limit is about 1.8e308)")


def _not_allowed(node: ast.AST) -> NoReturn:
    raise ExpressionError(_FORBIDDEN.get(type(node), f"{type(node).__name__} is not allowed"))
