"""The ``if`` conditions around a ``scheduler.step()`` in a training loop, read as a Loop
entry's ``begin``, ``end`` and ``every``: comparisons of the epoch or step counter with
numbers (``if epoch >= swa_start``, ``if begin <= step < end``), ``and`` of them, a
modulus test (``(step - begin + 1) % every == 0``, ``(epoch + 1) % k == 0``) and ``else``
branches (the complementary range). A condition on a counter that a Loop entry cannot
express is refused at its line; a condition on no counter is read as before (both branches).

Counters: the epoch loop's target (``for epoch in range(E)``; ``range(a, E)`` counts from
``a``), the batch loop's index, a name assigned in the batch loop as
``epoch * N + batch`` (the 0-based optimizer step, as the exported code writes it), and a
``global_step += 1`` once per batch. A test of another name the loops change is refused.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from lrscope.importing.problems import Missing, Report, unreadable
from lrscope.importing.python_code import Guard, Increment, Loop
from lrscope.importing.python_values import Values, is_number

_FLIP = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Eq: ast.Eq}


@dataclass(frozen=True)
class Counter:
    """A name whose value is ``offset`` + the 0-based epoch (``kind`` "epoch") or step."""

    kind: str
    offset: int
    bumped_at: int | None = None  # the line of its ``+= 1``: one more after that line


@dataclass
class Range:
    """Counts ``lo <= c < hi`` (``hi`` None: no end) with ``c % every == phase``."""

    lo: int = 0
    hi: int | None = None
    every: int = 1
    phase: int = 0


def _target(loop: Loop) -> tuple[str | None, int]:
    """The loop's index name and the value it starts at."""
    node = loop.node
    if not isinstance(node, ast.For | ast.AsyncFor):
        return None, 0
    target, it = node.target, node.iter
    if isinstance(it, ast.Call) and ast.unparse(it.func) == "enumerate":
        if isinstance(target, ast.Tuple) and target.elts:
            target = target.elts[0]
        start = it.args[1] if len(it.args) > 1 else None
        return (target.id if isinstance(target, ast.Name) else None), _literal(start)
    if (
        isinstance(it, ast.Call)
        and ast.unparse(it.func) == "range"
        and isinstance(target, ast.Name)
    ):
        return target.id, _literal(it.args[0]) if len(it.args) == 2 else 0
    return None, 0


def _literal(node: ast.expr | None) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return 0


def counters(
    epoch_loop: Loop, batch_loop: Loop | None, assignments: list[Any], increments: list[Any]
) -> dict[str, Counter]:
    """The counter names visible at a step call inside ``epoch_loop`` (and ``batch_loop``)."""
    found: dict[str, Counter] = {}
    epoch, start = _target(epoch_loop)
    if epoch is not None:
        found[epoch] = Counter("epoch", start)
    if batch_loop is None:
        return found
    batch, _ = _target(batch_loop)
    for name, value, loops in assignments:
        if loops and loops[-1] == batch_loop and _is_step(value, epoch, batch):
            found[name] = Counter("step", 0)
    for name, counter in _step_counts(batch_loop, increments).items():
        found.setdefault(name, counter)
    if batch is not None:
        found.setdefault(batch, Counter("batch", 0))
    return found


def _step_counts(batch_loop: Loop, increments: list[Increment]) -> dict[str, Counter]:
    """``global_step = 0`` before the loops and ``global_step += 1`` once in the batch loop
    (under no ``if``): the step count, one more after the line of the increment."""
    by_name: dict[str, list[Increment]] = {}
    for inc in increments:
        by_name.setdefault(inc.name, []).append(inc)
    found = {}
    for name, (inc, *more) in by_name.items():
        node = inc.node
        one = isinstance(node.value, ast.Constant) and node.value.value == 1
        start = inc.before
        if more or inc.guarded or not one or not isinstance(node.op, ast.Add):
            continue
        whole = is_number(start) and float(start).is_integer()
        if inc.loops and inc.loops[-1] == batch_loop and whole:
            found[name] = Counter("step", int(start), node.lineno)
    return found


def _is_step(node: ast.AST, epoch: str | None, batch: str | None) -> bool:
    """``epoch * N + batch`` (either order of the sum and of the product)."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)):
        return False
    for mul, add in ((node.left, node.right), (node.right, node.left)):
        if isinstance(add, ast.Name) and add.id == batch and isinstance(mul, ast.BinOp):
            sides = (mul.left, mul.right)
            if isinstance(mul.op, ast.Mult) and any(
                isinstance(n, ast.Name) and n.id == epoch for n in sides
            ):
                return True
    return False


def changed_in_loops(assignments: list[Any], names: dict[str, Counter]) -> set[str]:
    """Names the loops assign that are not counters (``global_step += 1``)."""
    return {name for name, _, _ in assignments if name not in names}


def mentions(guard: Guard, names: dict[str, Counter] | set[str], batch: bool = True) -> bool:
    """Whether the guard's test reads one of ``names`` (the batch index only if ``batch``)."""
    for n in ast.walk(guard.test):
        if isinstance(n, ast.Name) and n.id in names:
            counter = names[n.id] if isinstance(names, dict) else None
            if batch or counter is None or counter.kind != "batch":
                return True
    return False


class GuardReader:
    """Reads the guards of one step call into a Range of the entry's own count."""

    def __init__(
        self, names: dict[str, Counter], changed: set[str], values: Values, report: Report
    ) -> None:
        self.names, self.changed, self.values, self.report = names, changed, values, report

    def entry_range(self, guards: tuple[Guard, ...], kind: str, per_epoch: Any) -> Range:
        found = Range()
        for guard in guards:
            self.guard = guard
            if not mentions(guard, self.names):
                if mentions(guard, self.changed):
                    raise self._refuse(
                        "it tests a name the loop changes; lrscope reads conditions on the "
                        "epoch loop's index or on step = epoch * N + batch"
                    )
                continue
            found = self._both(
                found, self._as(kind, self._test(guard.test, guard.negated), per_epoch)
            )
        if found.hi is not None and found.hi <= found.lo:
            raise self._refuse("this condition is never true")
        return found

    def _refuse(self, why: str) -> Exception:
        return unreadable(
            self.guard.where, f"lrscope cannot read this condition as a Loop entry: {why}"
        )

    def _as(self, kind: str, part: tuple[str, Range], per_epoch: Any) -> Range:
        counter, found = part
        if counter == kind:
            return found
        if counter == "epoch" and kind == "step" and found.every == 1 and is_number(per_epoch):
            n = int(per_epoch)  # inside the batch loop: epoch >= k is step >= k * N
            return Range(found.lo * n, None if found.hi is None else found.hi * n)
        raise self._refuse(f"it tests the {counter} count where the scheduler steps every {kind}")

    def _both(self, a: Range, b: Range) -> Range:
        if a.every > 1 and b.every > 1 and (a.every, a.phase) != (b.every, b.phase):
            raise self._refuse("two different modulus tests")
        his = [h for h in (a.hi, b.hi) if h is not None]
        every, phase = (a.every, a.phase) if a.every > 1 else (b.every, b.phase)
        return Range(max(a.lo, b.lo), min(his) if his else None, every, phase)

    def _test(self, node: ast.expr, negated: bool) -> tuple[str, Range]:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self._test(node.operand, not negated)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And) and not negated:
            parts = [self._test(v, False) for v in node.values]
            if len({k for k, _ in parts}) > 1:
                raise self._refuse("it tests both the epoch and the step count")
            found = Range()
            for _, r in parts:
                found = self._both(found, r)
            return parts[0][0], found
        if isinstance(node, ast.Compare):
            kind, found = self._compare(node)
            return kind, self._complement(found) if negated else found
        raise self._refuse(f"{ast.unparse(node)!r} is not a comparison of the count")

    def _complement(self, r: Range) -> Range:
        if r.every > 1:
            raise self._refuse("the else of a modulus test steps at scattered counts")
        if r.lo <= 0 and r.hi is not None:
            return Range(r.hi)
        if r.hi is None:
            return Range(0, r.lo)
        raise self._refuse("the else of a range steps before and after it")

    def _compare(self, node: ast.Compare) -> tuple[str, Range]:
        sides = [node.left, *node.comparators]
        kinds: set[str] = set()
        found = Range()
        for left, op, right in zip(sides, node.ops, sides[1:], strict=False):
            kind, part = self._pair(left, op, right)
            kinds.add(kind)
            found = self._both(found, part)
        if len(kinds) != 1:
            raise self._refuse("it tests both the epoch and the step count")
        return kinds.pop(), found

    def _pair(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> tuple[str, Range]:
        mod = self._modulus(left) or self._modulus(right)
        if mod is not None:
            kind, shift, every = mod
            value = self._number(right if self._modulus(left) else left)
            if not isinstance(op, ast.Eq):
                raise self._refuse("a modulus is tested with something other than ==")
            return kind, Range(every=every, phase=(value - shift) % every)
        lin = self._linear(left)
        if lin is None:
            lin, left, right = self._linear(right), right, left
            op = _FLIP.get(type(op), type(op))()
        if lin is None:
            raise self._refuse("neither side is the epoch or step count")
        kind, shift = lin
        v = self._number(right) - shift
        bounds = {ast.Lt: (0, v), ast.LtE: (0, v + 1), ast.Gt: (v + 1, None)}
        bounds |= {ast.GtE: (v, None), ast.Eq: (v, v + 1)}
        if type(op) not in bounds:
            raise self._refuse(f"{type(op).__name__} is not <, <=, >, >= or ==")
        lo, hi = bounds[type(op)]
        return kind, Range(max(lo, 0), hi)

    def _modulus(self, node: ast.expr) -> tuple[str, int, int] | None:
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)):
            return None
        lin = self._linear(node.left)
        if lin is None:
            raise self._refuse("the modulus is not of the count plus a number")
        every = self._number(node.right)
        if every < 1:
            raise self._refuse("the modulus is not a positive whole number")
        return lin[0], lin[1], every

    def _linear(self, node: ast.expr) -> tuple[str, int] | None:
        """``count + k`` as (counter kind, k), or None if no counter is in it."""
        if isinstance(node, ast.Name) and node.id in self.names:
            counter = self.names[node.id]
            if counter.kind == "batch":
                raise self._refuse("it tests the batch index within an epoch")
            bumped = counter.bumped_at is not None and counter.bumped_at < self.guard.where.line
            return counter.kind, counter.offset + bumped
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
            sign = 1 if isinstance(node.op, ast.Add) else -1
            left = self._linear(node.left)
            if left is not None:
                return left[0], left[1] + sign * self._number(node.right)
            right = self._linear(node.right)
            if right is not None and sign == 1:
                return right[0], right[1] + self._number(node.left)
        if any(isinstance(n, ast.Name) and n.id in self.names for n in ast.walk(node)):
            raise self._refuse(f"{ast.unparse(node)!r} is not the count plus a number")
        return None

    def _number(self, node: ast.expr) -> int:
        value = self.values.of(node)
        if isinstance(value, Missing):
            self.report.need(value)  # asked for by name; the import fails on it
            return 0
        if not is_number(value) or not float(value).is_integer():
            raise self._refuse(f"{ast.unparse(node)} is not a whole number")
        return int(value)
