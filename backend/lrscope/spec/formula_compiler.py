"""The formula compiler: checks each node of a parsed formula against the vocabulary and
turns the tree into closures that compute with Python's own operators (so the result is
bit for bit what ``eval`` of the same source gives)."""

from __future__ import annotations

import ast
from typing import Any, NoReturn

from lrscope.spec.formula_vocabulary import (
    _ARITY,
    _BINOPS,
    _CMPOPS,
    _CONSTANTS,
    _FUNCTIONS,
    _INT_BITS,
    _INT_LIMIT,
    _MATH,
    _SYMBOLS,
    _UNARY,
    ALLOWED_FUNCTIONS,
    MAX_DEPTH,
    ExpressionError,
    Number,
    _Fn,
    _not_allowed,
    _show,
    _show_op,
    _too_large,
)


class _Compiler:
    """Turns a validated AST into nested closures, built once so each call is cheap."""

    def __init__(self, variable: str, max_nodes: int) -> None:
        self.variable, self.max_nodes = variable, max_nodes
        self.nodes = 0
        self.math_names: set[str] = set()
        self.math_module = False  # math.cos or math.pi: the exported code imports math

    def _math_attribute(self, node: ast.expr, names: dict[str, Any]) -> str | None:
        """`math.NAME` for a NAME we allow: that NAME; else None."""
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "math"
            and node.attr in names
            and node.attr in _MATH.keys() | _CONSTANTS.keys()
        ):
            self.math_module = True
            return node.attr
        return None

    def _Attribute(self, node: ast.Attribute, depth: int) -> tuple[_Fn, bool]:
        name = self._math_attribute(node, _CONSTANTS)
        if name is None:
            _not_allowed(node)
        value = _CONSTANTS[name]
        return (lambda _v: value), True

    def compile(self, node: ast.expr, depth: int) -> tuple[_Fn, bool]:
        """Return (closure, is_constant)."""
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise ExpressionError(f"expression is too complex (more than {self.max_nodes} parts)")
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression is nested too deeply (limit {MAX_DEPTH} levels)")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            _not_allowed(node)
        fn, constant = method(node, depth + 1)
        if not constant:
            return fn, False
        try:  # fold constant parts such as `2 * pi` once, here, instead of on every call
            value = fn(0)
        except ExpressionError:  # e.g. `1/0` in a branch that may never run: fail at runtime
            return fn, False
        return (lambda _v: value), True

    def _Constant(self, node: ast.Constant, depth: int) -> tuple[_Fn, bool]:
        value: Any = node.value
        if type(value) not in (int, float):  # also bool: True/False are not numbers to users
            kind = {str: "strings", bytes: "bytes", complex: "complex numbers"}
            what = kind.get(type(value), repr(value))
            raise ExpressionError(f"{what} not allowed here; only numbers (like 0.5 or 10)")
        if not -_INT_LIMIT < value < _INT_LIMIT:  # also rejects 1e999 == inf
            _too_large(f"the number {_show(value)}")
        return (lambda _v: value), True

    def _Name(self, node: ast.Name, depth: int) -> tuple[_Fn, bool]:
        name = node.id
        if name == self.variable:
            return (lambda v: v), False
        if name in _CONSTANTS:
            self.math_names.add(name)
            value = _CONSTANTS[name]
            return (lambda _v: value), True
        if name in _FUNCTIONS:
            raise ExpressionError(f"'{name}' is a function; call it like {name}({self.variable})")
        raise ExpressionError(f"name '{name}' is not allowed; use the variable '{self.variable}'")

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> tuple[_Fn, bool]:
        op = _UNARY.get(type(node.op))
        if op is None:
            _not_allowed(node.op)
        arg, constant = self.compile(node.operand, depth)  # -x of a bounded int stays bounded
        return (lambda v: op(arg(v))), constant

    def _BinOp(self, node: ast.BinOp, depth: int) -> tuple[_Fn, bool]:
        sym = _SYMBOLS.get(type(node.op))
        if sym is None:  # << >> | & ^ @
            _not_allowed(node.op)
        op, is_pow = _BINOPS[sym], sym == "**"
        (left, lc), (right, rc) = self.compile(node.left, depth), self.compile(node.right, depth)

        def binop(v: Number) -> Number:
            a, b = left(v), right(v)
            # |a| >= 2**(bits-1), so a**b has at least b*(bits-1) bits: refuse before computing
            # (9**9**9 would run for hours); if we go ahead, a**b has under 2*1024 bits.
            if is_pow and isinstance(a, int) and isinstance(b, int) and b > 0:  # noqa: SIM102
                if b * (abs(a).bit_length() - 1) > _INT_BITS:
                    _too_large(_show_op(a, sym, b))
            try:
                r = op(a, b)
            except ZeroDivisionError as exc:  # 0 ** -1 says "cannot be raised to a negative power"
                why = exc if is_pow else "division by zero"
                raise ExpressionError(f"{why} ({_show_op(a, sym, b)})") from None
            except OverflowError:
                _too_large(_show_op(a, sym, b))
            if r.__class__ is int and not -_INT_LIMIT < r < _INT_LIMIT:
                _too_large(_show_op(a, sym, b))
            if r.__class__ is complex:  # (-8) ** (1/3) is a complex number in Python
                raise ExpressionError(
                    f"{_show_op(a, sym, b)} is not a real number (negative to a fractional power)"
                )
            return r

        return binop, lc and rc

    def _Compare(self, node: ast.Compare, depth: int) -> tuple[_Fn, bool]:
        left, constant = self.compile(node.left, depth)
        parts = []
        for cmp, comparator in zip(node.ops, node.comparators, strict=True):
            if type(cmp) not in _CMPOPS:
                raise ExpressionError("only the comparisons < <= > >= == != are allowed")
            fn, c = self.compile(comparator, depth)
            parts.append((_CMPOPS[type(cmp)], fn))
            constant = constant and c
        if len(parts) == 1:
            ((op, right),) = parts
            return (lambda v: op(left(v), right(v))), constant

        def chain(v: Number) -> Number:  # like Python: each operand once, stop at first False
            a = left(v)
            for op, fn in parts:
                b = fn(v)
                if not op(a, b):
                    return False
                a = b
            return True

        return chain, constant

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> tuple[_Fn, bool]:
        compiled = [self.compile(value, depth) for value in node.values]
        *firsts, last = [fn for fn, _ in compiled]
        stop_on_true = isinstance(node.op, ast.Or)

        def boolop(v: Number) -> Number:  # returns an operand, as Python's and/or do
            for fn in firsts:
                r = fn(v)
                if bool(r) is stop_on_true:
                    return r
            return last(v)

        return boolop, all(c for _, c in compiled)

    def _IfExp(self, node: ast.IfExp, depth: int) -> tuple[_Fn, bool]:
        (test, tc), (body, bc), (orelse, oc) = (
            self.compile(n, depth) for n in (node.test, node.body, node.orelse)
        )
        return (lambda v: body(v) if test(v) else orelse(v)), tc and bc and oc

    def _Call(self, node: ast.Call, depth: int) -> tuple[_Fn, bool]:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else self._math_attribute(func, _MATH)
        if name is None:
            _not_allowed(func)
        n = len(node.args)
        if name not in _FUNCTIONS:
            if name in _CONSTANTS or name == self.variable:
                raise ExpressionError(f"'{name}' is not a function (missing * before '('?)")
            allowed = ", ".join(ALLOWED_FUNCTIONS)
            raise ExpressionError(f"function '{name}' is not allowed; allowed: {allowed}")
        if node.keywords:
            raise ExpressionError(f"keyword arguments are not allowed in {name}()")
        low, high = _ARITY.get(name, (1, 1))
        if n < low or (high is not None and n > high):
            count = f"{low}" if low == high else f"{low} or more" if high is None else "1 or 2"
            raise ExpressionError(f"{name}() takes {count} arguments, got {n}")
        if name == "pow":  # pow(a, b) is a ** b, with the same guards on huge results
            return self._BinOp(ast.BinOp(node.args[0], ast.Pow(), node.args[1]), depth)
        compiled = [self.compile(arg, depth) for arg in node.args]
        if name in _MATH and isinstance(func, ast.Name):
            self.math_names.add(name)
        f, fns, constant = _FUNCTIONS[name], [fn for fn, _ in compiled], all(c for _, c in compiled)
        # Arguments are evaluated outside `try`: an inner ExpressionError is also a ValueError.
        if n == 1:  # specialised: building an argument list costs more than the call itself
            (fa,) = fns

            def call(v: Number) -> Number:
                a = fa(v)
                try:
                    return f(a)
                except (ValueError, ZeroDivisionError, OverflowError) as exc:
                    _call_error(name, [a], exc)

        elif n == 2:
            fa, fb = fns

            def call(v: Number) -> Number:
                a, b = fa(v), fb(v)
                try:
                    return f(a, b)
                except (ValueError, ZeroDivisionError, OverflowError) as exc:
                    _call_error(name, [a, b], exc)

        else:  # min/max of 3+, which cannot fail

            def call(v: Number) -> Number:
                return f(*[fn(v) for fn in fns])

        return call, constant


def _call_error(name: str, args: list[Number], exc: Exception) -> NoReturn:
    shown = f"{name}({', '.join(map(_show, args))})"
    if isinstance(exc, OverflowError):
        _too_large(shown)
    raise ExpressionError(f"{shown} is undefined ({exc})") from None  # log(0), sqrt(-1), ...
