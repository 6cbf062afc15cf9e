"""A pasted ``lambda`` (or a one-line ``def``) -> an lrscope formula: names the text bound
earlier become their numbers, names it leaves open become ``values`` names, and the result
must pass the formula language (never evaluated as Python)."""

from __future__ import annotations

import ast
import copy
from typing import Any

from lrscope.importing.problems import Missing, Unreadable
from lrscope.importing.python_values import Values, is_number, where
from lrscope.spec.formula import (
    ALLOWED_CONSTANTS,
    ALLOWED_FUNCTIONS,
    ExpressionError,
    compile_expression,
)

FORMULA_NAMES = set(ALLOWED_FUNCTIONS) | set(ALLOWED_CONSTANTS) | {"math"}


def callable_node(
    node: ast.AST, functions: dict[str, ast.FunctionDef], env: dict[str, Any]
) -> ast.Lambda | None:
    """The lambda ``node`` is (or names), or the one-``return`` function it names."""
    if isinstance(node, ast.Lambda):
        return node
    if isinstance(node, ast.Name) and isinstance(env.get(node.id), ast.Lambda):
        return env[node.id]
    if isinstance(node, ast.Name) and node.id in functions:
        fn = functions[node.id]
        body = [s for s in fn.body if not _is_docstring(s)]
        if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
            lam = ast.Lambda(args=fn.args, body=body[0].value)
            return ast.copy_location(lam, fn)
    return None


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


class _Fill(ast.NodeTransformer):
    def __init__(self, bound: set[str], values: Values) -> None:
        self.bound, self.values = bound, values
        self.open: Missing | None = None
        self.bad: Unreadable | None = None
        self.changed = False

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        known = isinstance(func, ast.Name) and func.id in FORMULA_NAMES
        known |= isinstance(func, ast.Attribute) and ast.unparse(func.value) == "math"
        if not known:
            detail = f"calls {ast.unparse(func)[:40]}, which is not a function formulas have"
            self.bad = self.bad or Unreadable(where(node), detail)
            return node
        return self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.bound or (node.id in FORMULA_NAMES and node.id not in self.values.env):
            return node
        value = self.values.of(node)
        return self._constant(node, value)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "math":
            return node
        root = node.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if "__" in node.attr or (isinstance(root, ast.Name) and root.id in self.bound):
            detail = f"{ast.unparse(node)[:40]} is not something a formula can read"
            self.bad = self.bad or Unreadable(where(node), detail)
            return node
        return self._constant(node, self.values.of(node))

    def _constant(self, node: ast.expr, value: Any) -> ast.AST:
        if isinstance(value, Missing):
            self.open = value if self.open is None else self.open | value
            return node
        if not is_number(value):
            detail = f"{ast.unparse(node)} is not a number the formula can use"
            self.bad = self.bad or Unreadable(where(node), detail)
            return node
        self.changed = True
        literal = ast.Constant(abs(value))
        new: ast.expr = ast.UnaryOp(ast.USub(), literal) if value < 0 else literal
        return ast.copy_location(new, node)


def formula(lam: ast.Lambda, variable: str, values: Values, text: str) -> Any:
    """The formula string of ``lam`` in the catalog's ``variable`` (kept as ``lambda x: ...``
    when the lambda names its argument otherwise), or the Missing/Unreadable it depends on."""
    args = lam.args
    if len(args.args) != 1 or args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
        return Unreadable(where(lam), "the function must take exactly one argument")
    arg = args.args[0].arg
    fill = _Fill({arg}, values)
    body = fill.visit(copy.deepcopy(lam.body))
    if fill.bad is not None:
        return fill.bad
    if fill.open is not None:
        return fill.open
    segment = None if fill.changed else ast.get_source_segment(text, lam.body)
    source = segment if segment is not None and "\n" not in segment else ast.unparse(body)
    result = source if arg == variable else f"lambda {arg}: {source}"
    try:
        compile_expression(result, variable)
    except ExpressionError as exc:
        return Unreadable(where(lam), f"the function is not an lrscope formula: {exc}")
    return result
