"""Walks pasted Python code in order, binding names, reading constructor calls and noting
where ``scheduler.step()`` and ``optimizer.step()`` sit among the loops. Both branches of an
``if`` and every function body are read in place, as straight-line code; nothing runs."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lrscope.catalog import Catalog
from lrscope.importing.problems import Missing, Report, Unreadable, Where
from lrscope.importing.python_values import Values, source_of, where
from lrscope.importing.torch_calls import Builder, Built


@dataclass(frozen=True)
class Loop:
    """A ``for``/``while`` loop: how many times it runs (a number, Missing, or None)."""

    count: Any
    where: Where
    name: str | None  # the values name its count came from, if any
    node: ast.AST = field(compare=False)


@dataclass(frozen=True)
class Guard:
    """An ``if`` around a statement: its test, and whether the statement is in the ``else``."""

    test: ast.expr
    negated: bool
    where: Where


@dataclass(frozen=True)
class Increment:
    """``name += ...`` inside loops: the value bound before it, and whether an ``if``
    is around it."""

    name: str
    node: ast.AugAssign
    loops: tuple[Loop, ...]
    before: Any
    guarded: bool


@dataclass
class StepCall:
    target: Built
    loops: tuple[Loop, ...]
    where: Where
    argument: Any  # the value passed to step(), if any (a metric)
    function: str = ""  # the function of the text it sits in
    guards: tuple[Guard, ...] = ()  # the ifs around it, outermost first


@dataclass
class Returned:
    function: str
    value: Any
    where: Where


class CodeReader:
    """Reads a module: ``built`` (in construction order), ``steps``, ``optimizer_steps``,
    ``returns`` (of every function), and ``calls`` of other names by keyword (``Trainer``)."""

    def __init__(self, text: str, catalog: Catalog, given: Mapping[str, Any], report: Report):
        self.text, self.report = text, report
        self.env: dict[str, Any] = {}
        self.values = Values(self.env, given, self._construct)
        self.builder = Builder(catalog, self.values, report, text)
        self.built: list[Built] = []
        self.steps: list[StepCall] = []
        self.optimizer_steps: list[tuple[str, tuple[Loop, ...]]] = []
        self.returns: list[Returned] = []
        self.keyword_calls: list[ast.Call] = []
        # names assigned inside loops (``step = epoch * N + batch``; an ``x += 1`` is there
        # with the statement itself), with those loops
        self.assignments: list[tuple[str, ast.AST, tuple[Loop, ...]]] = []
        self.increments: list[Increment] = []
        self._loops: list[Loop] = []
        self._guards: list[Guard] = []
        self._cache: dict[int, Built] = {}
        self._function = ""
        # functions not read yet: each is read where it is first called (inside the loops
        # around that call, with the names bound by then), the rest at the end
        self._pending: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}

    def _construct(self, node: ast.Call) -> Built | None:
        if isinstance(node.func, ast.Name) and node.func.id in self._pending:
            self._read_function(node.func.id)
        if id(node) in self._cache:
            return self._cache[id(node)]
        built = self.builder.build(node)
        if built is not None:
            self._cache[id(node)] = built
            self.built.append(built)
        elif node.keywords and node not in self.keyword_calls:
            self.keyword_calls.append(node)
        return built

    def read(self, module: ast.Module) -> None:
        """Read the module, then the functions it never calls (``configure_optimizers``)."""
        self.run(module.body)
        while self._pending:
            self._read_function(next(iter(self._pending)))

    def run(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self._stmt(stmt)

    def _stmt(self, s: ast.stmt) -> None:
        if isinstance(s, ast.Assign):
            value = self.values.of(s.value)
            for target in s.targets:
                self._bind(target, value, s.value)
                if isinstance(target, ast.Name) and self._loops:
                    self.assignments.append((target.id, s.value, tuple(self._loops)))
        elif isinstance(s, ast.AnnAssign) and s.value is not None:
            self._bind(s.target, self.values.of(s.value), s.value)
        elif isinstance(s, ast.AugAssign):
            before = self.env.pop(source_of(s.target), None)
            if isinstance(s.target, ast.Name) and self._loops:
                self.assignments.append((s.target.id, s, tuple(self._loops)))
                self.increments.append(
                    Increment(s.target.id, s, tuple(self._loops), before, bool(self._guards))
                )
        elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Call):
            self._call_statement(s.value)
        elif isinstance(s, ast.For | ast.AsyncFor):
            self._for(s)
        elif isinstance(s, ast.While):
            self._loop(Loop(None, where(s), None, s), s.body)
            self.run(s.orelse)
        elif isinstance(s, ast.If):
            self._if(s)
        elif isinstance(s, ast.With | ast.AsyncWith):
            self.run(s.body)
        elif isinstance(s, ast.Try):
            for part in (s.body, *(h.body for h in s.handlers), s.orelse, s.finalbody):
                self.run(part)
        elif isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function_def(s)
        elif isinstance(s, ast.ClassDef):
            self.run(s.body)
        elif isinstance(s, ast.Return) and s.value is not None:
            self.returns.append(Returned(self._function, self.values.of(s.value), where(s)))

    def _if(self, s: ast.If) -> None:
        for negated, body in ((False, s.body), (True, s.orelse)):
            self._guards.append(Guard(s.test, negated, where(s)))
            self.run(body)
            self._guards.pop()

    def _function_def(self, s: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if isinstance(s, ast.FunctionDef):
            self.builder.functions[s.name] = s
        self._pending[s.name] = s

    def _read_function(self, name: str) -> None:
        s = self._pending.pop(name)
        outer, self._function = self._function, name
        self.run(s.body)
        self._function = outer

    def _bind(self, target: ast.expr, value: Any, node: ast.expr) -> None:
        if isinstance(target, ast.Tuple | ast.List):
            items = value if isinstance(value, tuple | list) else None
            if items is not None and len(items) == len(target.elts):
                for t, v in zip(target.elts, items, strict=True):
                    self._bind(t, v, node)
            else:
                for t in target.elts:
                    self._bind(t, Missing({source_of(t): where(t)}), node)
        elif isinstance(target, ast.Name | ast.Attribute | ast.Subscript):
            self.env[source_of(target)] = value

    def _call_statement(self, call: ast.Call) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "step" and not call.keywords:
            owner = self.values.of(func.value)
            if isinstance(owner, Built):
                if owner.kind == "scheduler":
                    # step(val_losses[k]): the list the text wrote out is the metric
                    arg = call.args[0] if call.args else None
                    arg = arg.value if isinstance(arg, ast.Subscript) else arg
                    argument = self.values.of(arg)
                    loops, guards = tuple(self._loops), tuple(self._guards)
                    self.steps.append(
                        StepCall(owner, loops, where(call), argument, self._function, guards)
                    )
                else:
                    self.optimizer_steps.append((self._function, tuple(self._loops)))
                return
            if source_of(func.value).endswith("optimizer"):
                self.optimizer_steps.append((self._function, tuple(self._loops)))
                return
        self.values.of(call)

    def _for(self, s: ast.For | ast.AsyncFor) -> None:
        count, name = self._count(s.iter)
        for target in ast.walk(s.target):
            if isinstance(target, ast.Name):
                self.env.pop(target.id, None)
        self._loop(Loop(count, where(s.iter), name, s), s.body)
        self.run(s.orelse)

    def _loop(self, loop: Loop, body: list[ast.stmt]) -> None:
        self._loops.append(loop)
        self.run(body)
        self._loops.pop()

    def _count(self, it: ast.expr) -> tuple[Any, str | None]:
        """How many times ``for ... in it`` runs: range(n), range(a, b), a loader's len()."""
        wrappers = ("enumerate", "tqdm", "tqdm.tqdm")
        if isinstance(it, ast.Call) and source_of(it.func) in wrappers and it.args:
            return self._count(it.args[0])
        if isinstance(it, ast.Call) and source_of(it.func) == "range" and not it.keywords:
            args = [self.values.of(a) for a in it.args]
            named = [source_of(a) for a in it.args if source_of(a) in self.values.given]
            if len(args) == 1:
                return args[0], named[0] if named else None
            if len(args) == 2 and all(isinstance(a, int) for a in args):
                return args[1] - args[0], None
            if len(args) == 2:
                return next((a for a in args if isinstance(a, Missing | Unreadable)), None), None
            return Unreadable(where(it), "range() with a step cannot be read"), None
        value = self.values.of(it)
        if isinstance(value, list | tuple):
            return len(value), None
        name = f"len({source_of(it)})"
        if name in self.values.given:
            return self.values.given[name], name
        return Missing({name: where(it)}), None
