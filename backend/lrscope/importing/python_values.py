"""The value of a Python expression in pasted code, by reading it: literals, arithmetic on
numbers, names bound earlier, a few pure builtins. Nothing is executed; whatever the text
leaves open (``len(train_loader)``, ``args.lr``) becomes a ``Missing`` named by its source,
unless ``values`` gives it."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

from lrscope.importing.problems import Missing, Unreadable, Where, WrongKind

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "int": int,
    "float": float,
    "round": round,
    "abs": abs,
    "min": min,
    "max": max,
    "bool": bool,
    "math.ceil": math.ceil,
    "math.floor": math.floor,
    "math.sqrt": math.sqrt,
    "math.log": math.log,
    "math.exp": math.exp,
    "math.cos": math.cos,
    "math.sin": math.sin,
}
_CONSTANTS = {"math.pi": math.pi, "math.e": math.e, "math.inf": math.inf, "True": True}
_NODE_NAMES = {
    ast.JoinedStr: "an f-string",
    ast.ListComp: "a list comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.DictComp: "a dict comprehension",
    ast.Lambda: "a lambda",
    ast.Starred: "a starred expression",
    ast.BoolOp: "and/or",
    ast.NamedExpr: "an assignment expression",
}
_INT_LIMIT = 10**18
_LIST_LIMIT = 10_000  # items in one value, nested ones counted (shared lists too)


def where(node: ast.AST) -> Where:
    return Where(getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1)


def source_of(node: ast.AST) -> str:
    return ast.unparse(node)


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def open_parts(value: Any) -> Missing | Unreadable | None:
    """The first unknown part inside ``value`` (all open names merged), else None."""
    if isinstance(value, Unreadable):
        return value
    found: Missing | None = value if isinstance(value, Missing) else None
    if isinstance(value, list | tuple | dict):
        for item in value.values() if isinstance(value, dict) else value:
            part = open_parts(item)
            if isinstance(part, Unreadable):
                return part
            if part is not None:
                found = part if found is None else found | part
    return found


class Values:
    """Reads expressions against the names bound so far (``env``) and the user's ``values``
    (which win: a user may fix any name the text reads)."""

    def __init__(
        self,
        env: dict[str, Any],
        given: Mapping[str, Any],
        calls: Callable[[ast.Call], Any] | None = None,
    ) -> None:
        self.env = env
        self.given = given
        self.calls = calls  # reads constructor calls (optimizers, schedulers) first
        self._sizes: dict[int, tuple[Any, int]] = {}  # id -> (container, items inside)

    def of(self, node: ast.AST | None) -> Any:
        if node is None:
            return None
        try:
            return self._of(node)
        except RecursionError:
            return Unreadable(where(node), "the expression is nested too deeply")

    def _given(self, node: ast.AST) -> tuple[bool, Any]:
        text = source_of(node)
        if text in self.given:
            return True, self.given[text]
        return False, None

    def _of(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, int | float | str | bool) or node.value is None:
                return node.value
            return Unreadable(where(node), f"the constant {source_of(node)[:40]} is not a value")
        if isinstance(node, ast.Name | ast.Attribute | ast.Subscript | ast.Call):
            found, value = self._given(node)
            if found:
                return value
        if isinstance(node, ast.Name):
            if node.id in self.env:
                return self.env[node.id]
            if node.id in ("True", "False", "None"):
                return {"True": True, "False": False, "None": None}[node.id]
            return Missing({node.id: where(node)})
        if isinstance(node, ast.Attribute):
            text = source_of(node)
            if text in self.env:  # self.optimizer = ... in a class
                return self.env[text]
            if text in _CONSTANTS:
                return _CONSTANTS[text]
            return Missing({text: where(node)})
        if isinstance(node, ast.List | ast.Tuple):
            items = [self._of(e) for e in node.elts]
            return self._sized(node, items if isinstance(node, ast.List) else tuple(items))
        if isinstance(node, ast.Dict):
            return self._sized(node, self._dict(node))
        if isinstance(node, ast.UnaryOp):
            return self._unary(node)
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self._compare(node)
        if isinstance(node, ast.IfExp):
            test = self._of(node.test)
            if isinstance(test, Missing | Unreadable):
                return test
            return self._of(node.body if test else node.orelse)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.Lambda):
            return node  # a function: only a scheduler's lr_lambda or scale_fn may take it
        if isinstance(node, ast.Call):
            return self._call(node)
        what = _NODE_NAMES.get(type(node), type(node).__name__)
        return Unreadable(where(node), f"cannot read {what} here; write the value out")

    def size(self, value: Any) -> int:
        known = self._sizes.get(id(value))
        return known[1] if known is not None and known[0] is value else 1

    def _sized(self, node: ast.AST, value: Any) -> Any:
        """``value``, unless it holds too many items (lists of lists of a list...)."""
        if not isinstance(value, list | tuple | dict):
            return value
        items = list(value.values()) if isinstance(value, dict) else value
        bad = next((v for v in items if isinstance(v, Unreadable)), None)
        if bad is not None:
            return bad
        size = 1 + sum(self.size(v) for v in items)
        if size > _LIST_LIMIT:
            return Unreadable(where(node), "the value is too large")
        self._sizes[id(value)] = (value, size)
        return value

    def _dict(self, node: ast.Dict) -> Any:
        out: dict[Any, Any] = {}
        for k, v in zip(node.keys, node.values, strict=True):
            key = self._of(k) if k is not None else None
            if not isinstance(key, str | int):
                return Unreadable(where(v), "a dictionary key must be plain text")
            out[key] = self._of(v)
        return out

    def _unary(self, node: ast.UnaryOp) -> Any:
        v = self._of(node.operand)
        if isinstance(v, Missing | Unreadable):
            return v
        if isinstance(node.op, ast.Not):
            return not v
        if not is_number(v) and not isinstance(v, bool):
            return Unreadable(where(node), "a sign goes before a number")
        return -v if isinstance(node.op, ast.USub) else +v if isinstance(node.op, ast.UAdd) else ~v

    def _wrong_kind(self, node: ast.expr, value: Any) -> WrongKind | None:
        """A text or bool from ``values`` where arithmetic needs a number."""
        text = source_of(node)
        if text in self.given and not is_number(value):
            return WrongKind(text, value, where(node))
        return None

    def _binary(self, node: ast.BinOp) -> Any:
        left, right = self._of(node.left), self._of(node.right)
        for side, v in ((node.left, left), (node.right, right)):
            wrong = self._wrong_kind(side, v)
            if wrong is not None and not (isinstance(node.op, ast.Mult) and isinstance(v, list)):
                return wrong
            if isinstance(v, WrongKind):
                return v
        unknown = [v for v in (left, right) if isinstance(v, Missing | Unreadable)]
        if unknown:
            bad = [v for v in unknown if isinstance(v, Unreadable)]
            if bad:
                return bad[0]
            missing = [v for v in unknown if isinstance(v, Missing)]
            return missing[0] if len(missing) == 1 else missing[0] | missing[1]
        fn = _BINARY.get(type(node.op))
        repeat = isinstance(left, list) and isinstance(node.op, ast.Mult) and isinstance(right, int)
        if repeat and 0 <= right <= _LIST_LIMIT and self.size(left) * right <= _LIST_LIMIT:
            return self._sized(node, left * right)
        if fn is None or not (is_number(left) or isinstance(left, bool)):
            return Unreadable(where(node), f"cannot compute {source_of(node)[:60]}")
        if not (is_number(right) or isinstance(right, bool)):
            return Unreadable(where(node), f"cannot compute {source_of(node)[:60]}")
        ints = isinstance(left, int) and isinstance(right, int)
        if isinstance(node.op, ast.Pow) and ints and abs(right) > 256 and abs(left) > 1:
            return Unreadable(where(node), "the power is too large")
        try:
            result = fn(left, right)
        except (ArithmeticError, ValueError, TypeError) as exc:
            return Unreadable(where(node), f"cannot compute {source_of(node)[:60]}: {exc}")
        if isinstance(result, complex) or (isinstance(result, int) and abs(result) > _INT_LIMIT):
            return Unreadable(where(node), f"{source_of(node)[:60]} is out of range")
        return result

    def _compare(self, node: ast.Compare) -> Any:
        left, right = self._of(node.left), self._of(node.comparators[0])
        for v in (left, right):
            if isinstance(v, Missing | Unreadable):
                return v
        fn = _COMPARE.get(type(node.ops[0]))
        if fn is None:
            return Unreadable(where(node), "cannot read this comparison")
        try:
            return fn(left, right)
        except TypeError:
            return Unreadable(where(node), "cannot compare these values")

    def _subscript(self, node: ast.Subscript) -> Any:
        base, index = self._of(node.value), self._of(node.slice)
        if isinstance(base, list | tuple | dict) and isinstance(index, int | str):
            try:
                return base[index]  # type: ignore[index]
            except (IndexError, KeyError, TypeError):
                pass
        return Missing({source_of(node): where(node)})

    def _call(self, node: ast.Call) -> Any:
        if self.calls is not None:
            built = self.calls(node)
            if built is not None:
                return built
        name = source_of(node.func)
        fn = _FUNCTIONS.get(name)
        if fn is None and name == "len" and len(node.args) == 1:
            v = self._of(node.args[0])
            if isinstance(v, list | tuple | dict):
                return len(v)
        if fn is None or node.keywords:
            return Missing({source_of(node): where(node)})
        args = [self._of(a) for a in node.args]
        for a in args:
            if isinstance(a, Missing | Unreadable):
                return a
        if not all(is_number(a) or isinstance(a, bool) for a in args):
            return Unreadable(where(node), f"cannot compute {source_of(node)[:60]}")
        try:
            result = fn(*args)
        except (ArithmeticError, ValueError, TypeError) as exc:
            return Unreadable(where(node), f"cannot compute {source_of(node)[:60]}: {exc}")
        if isinstance(result, int) and abs(result) > _INT_LIMIT:
            return Unreadable(where(node), f"{source_of(node)[:60]} is out of range")
        return result
