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
import threading
from typing import Any

from lrscope.spec.formula_compiler import _Compiler
from lrscope.spec.formula_vocabulary import (
    _CONSTANTS,
    _FUNCTIONS,
    _INT_LIMIT,
    ALLOWED_CONSTANTS,
    ALLOWED_FUNCTIONS,
    MAX_LENGTH,
    MAX_NODES,
    SYNTAX,
    ExpressionError,
    Number,
    _Fn,
    _show,
    _too_large,
)

__all__ = [
    "ALLOWED_CONSTANTS",
    "ALLOWED_FUNCTIONS",
    "SYNTAX",
    "Expression",
    "ExpressionError",
    "compile_expression",
    "parse",
    "parse_module",
    "used_math_names",
    "uses_math_module",
]


class Expression:
    """A validated formula in one variable; call it with the variable's value."""

    # "__dict__" (left empty) because torch's LambdaLR, MultiplicativeLR and CyclicLR
    # state_dict() copy a callable object's __dict__ and load_state_dict() updates it: a
    # resumed run's scheduler state would otherwise be a 500.
    __slots__ = ("__dict__", "_fn", "_limits", "_math_module", "_math_names", "source", "variable")

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


def parse_module(source: str) -> ast.Module:
    """``ast.parse(source)`` (a whole module, e.g. pasted code), one thread at a time."""
    with _PARSE_LOCK:
        for attempt in range(_PARSE_ATTEMPTS):
            try:
                return ast.parse(source)
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
