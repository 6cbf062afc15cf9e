"""Safe evaluation of user-typed schedule formulas such as ``0.95 ** epoch``.

Formulas arrive over HTTP, so they are parsed with :mod:`ast` and checked against an
allow-list (``eval``-based sandboxes such as simpleeval have had escapes and cannot bound
work).  Accepted formulas are evaluated with Python's own operators and :mod:`math`
functions, so the result is bit-for-bit what ``eval`` gives on the same source: the code
exporter pastes the source verbatim into ``lambda epoch: ...`` and must match us exactly.
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import threading
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


class Expression:
    """A validated formula in one variable; call it with the variable's value."""

    __slots__ = ("_fn", "_limits", "_math_module", "_math_names", "source", "variable")

    def __init__(
        self,
        source: str,
        variable: str,
        fn: _Fn,
        names: frozenset[str],
        limits: tuple[int, int],
        math_module: bool = False,
    ) -> None:
        self.source, self.variable = source, variable
        self._fn, self._math_names, self._limits = fn, names, limits
        self._math_module = math_module

    def __call__(self, value: Number) -> Number:
        if value.__class__ is not int and value.__class__ is not float:
            value = int(value) if hasattr(value, "__index__") else float(value)  # bool, numpy...
        if value.__class__ is int and not -_INT_LIMIT < value < _INT_LIMIT:
            _too_large(f"{self.variable}={_show(value)}")
        try:
            r = self._fn(value)
        except ExpressionError:
            raise
        except (ArithmeticError, TypeError, ValueError, RecursionError) as exc:  # safety net
            raise ExpressionError(f"could not evaluate: {exc}") from None
        if r.__class__ is float and not math.isfinite(r):
            raise ExpressionError(f"result is {'not a number (nan)' if r != r else 'infinite'}")
        return r

    def __reduce__(self) -> tuple[Any, ...]:
        # Closures don't pickle; the source re-parses in microseconds in the worker.
        return (_unpickle, (self.source, self.variable, *self._limits))

    def __repr__(self) -> str:
        return f"Expression({self.source!r}, {self.variable!r})"


def _unpickle(source: str, variable: str, max_length: int, max_nodes: int) -> Expression:
    return compile_expression(source, variable, max_length=max_length, max_nodes=max_nodes)


# CPython 3.11 before 3.11.8 keeps the AST constructor's recursion depth in per-interpreter
# state (python/cpython#106905): two threads building ASTs at once can trip its "recursion
# depth mismatch" SystemError. Our own parses take one lock (microseconds); a parse that
# another thread's AST (a traceback being formatted, say) spoiled is simply done again.
_PARSE_LOCK = threading.Lock()
_PARSE_ATTEMPTS = 3


def parse(source: str) -> ast.Expression:
    """``ast.parse(source, mode="eval")``, one thread at a time."""
    with _PARSE_LOCK:
        for attempt in range(_PARSE_ATTEMPTS):
            try:
                return ast.parse(source, mode="eval")
            except SystemError as exc:
                if "recursion depth mismatch" not in str(exc) or attempt == _PARSE_ATTEMPTS - 1:
                    raise
    raise AssertionError("unreachable")


def compile_expression(
    source: str, variable: str, *, max_length: int = MAX_LENGTH, max_nodes: int = MAX_NODES
) -> Expression:
    """Parse and validate ``source`` as a formula in ``variable``; raise ExpressionError."""
    reserved = variable in _FUNCTIONS or variable in _CONSTANTS or keyword.iskeyword(variable)
    if not (variable.isidentifier() and variable.isascii()) or reserved or "__" in variable:
        raise ValueError(f"bad variable name {variable!r}")  # the caller's bug, not the user's
    if not isinstance(source, str):
        raise ExpressionError("the expression must be text")
    if len(source) > max_length:  # checked first: nothing below ever sees huge input
        raise ExpressionError(f"expression is too long ({len(source)} > {max_length} characters)")
    source = source.strip(" ")  # a leading space is an IndentationError for ast.parse
    if not source:
        raise ExpressionError("expression is empty")
    for i, ch in enumerate(source, 1):
        # Printable ASCII only: no look-alike Unicode (ｅｘｅｃ is NFKC-normalised to exec),
        # and no newline, '#' or '\' that would break the exported `lambda epoch: <source>`.
        if not " " <= ch <= "~" or ch in "#\\":
            what = "comments (#)" if ch == "#" else f"the character {ch!r}"
            raise ExpressionError(f"{what} at position {i} not allowed; use plain ASCII math")
    try:
        tree = parse(source)
    except SyntaxError as exc:  # column == position: the source is one line
        if not exc.offset or exc.offset > len(source):  # Python's way to say "ran out"
            raise ExpressionError("the formula ends too early (is something missing?)") from None
        raise ExpressionError(f"syntax error at position {exc.offset}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError):  # the parser's own nesting limits
        raise ExpressionError("expression is nested too deeply") from None
    body, written = tree.body, source
    if isinstance(body, ast.Lambda):  # `lambda current_step: ...`, pasted from a recipe
        variable = _lambda_variable(body)
        body = body.body
        source = ast.get_source_segment(written, body) or ""
    compiler = _Compiler(variable, max_nodes)
    fn, _ = compiler.compile(body, 0)
    nodes = list(ast.walk(body))  # small: compile() accepted at most max_nodes expressions
    for node in nodes:
        # `1if epoch else 2` parses with just a warning (an error in newer Pythons, or under
        # -W error); require a space so acceptance never depends on the warning filters.
        if isinstance(node, ast.Constant) and written[node.end_col_offset or 0 :][:1].isalnum():
            raise ExpressionError(f"put a space after the number at position {node.col_offset + 1}")
    expr = Expression(
        source,
        variable,
        fn,
        frozenset(compiler.math_names),
        (max_length, max_nodes),
        compiler.math_module,
    )
    if not any(isinstance(node, ast.Name) and node.id == variable for node in nodes):
        expr(0)  # a constant: if it fails (9**9**9, 1/0) it always fails, so say so now
    return expr


def _lambda_variable(node: ast.Lambda) -> str:
    """The one argument of a pasted lambda, which then names the variable."""
    args = node.args
    if args.posonlyargs or args.vararg or args.kwonlyargs or args.kwarg or args.defaults:
        raise ExpressionError("the lambda must take one plain argument, like lambda step: ...")
    if len(args.args) != 1:
        raise ExpressionError(f"the lambda must take one argument, not {len(args.args)}")
    name = args.args[0].arg
    if name in _FUNCTIONS or name == "math" or "__" in name:  # `e` may shadow the constant
        raise ExpressionError(f"'{name}' cannot name the lambda's argument")
    return name


def used_math_names(expr: Expression) -> set[str]:
    """The :mod:`math` functions and constants ``expr`` uses (min/max/abs are builtins)."""
    return set(expr._math_names)


def uses_math_module(expr: Expression) -> bool:
    """Whether ``expr`` writes ``math.NAME``: its exported code needs ``import math``."""
    return bool(expr._math_module)
