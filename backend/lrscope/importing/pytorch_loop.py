"""Several schedulers stepped at different places of one training loop (inside the batch
loop, after it) or under ``if`` conditions on the epoch or step count -> a Loop composite:
one entry per stepped scheduler, in the order their step calls appear, with the interval
of its place and the ``begin``/``end``/``every`` of its conditions."""

from __future__ import annotations

from typing import Any

from lrscope.importing.loop_guards import (
    GuardReader,
    Range,
    changed_in_loops,
    counters,
    mentions,
)
from lrscope.importing.problems import Report, unreadable
from lrscope.importing.python_code import CodeReader, StepCall
from lrscope.importing.python_values import is_number


def _places(calls: list[StepCall]) -> StepCall | None:
    """The deepest call, if the calls share one epoch loop and sit at most one loop apart
    (a call in a loop of its own is refused); else None."""
    if not all(c.loops for c in calls) or any(c.loops[0] != calls[0].loops[0] for c in calls):
        return None
    deepest = deepest_call(calls)
    for call in calls:
        if call.loops != deepest.loops and call.loops != deepest.loops[:-1]:
            raise unreadable(
                call.where, "this scheduler is stepped in a loop the others are not in"
            )
    return deepest


def loop_wanted(reader: CodeReader, calls: list[StepCall]) -> bool:
    """A Loop reads these calls: at two depths of one loop, or guarded by the count."""
    deepest = _places(calls) if calls else None
    if deepest is None:
        return False
    if len({len(c.loops) for c in calls}) > 1:
        return True
    names = _names(reader, deepest)
    changed = changed_in_loops(reader.assignments, names)
    return any(
        mentions(g, names, batch=False) or mentions(g, changed) for c in calls for g in c.guards
    )


def _names(reader: CodeReader, deepest: StepCall) -> Any:
    loops = deepest.loops
    if len(loops) >= 2:
        return counters(loops[-2], loops[-1], reader.assignments, reader.increments)
    return counters(loops[-1], None, reader.assignments, reader.increments)


def _interval(call: StepCall, depth: int, mixed: bool) -> str:
    if mixed:
        return "step" if len(call.loops) == depth else "epoch"
    return "step" if depth >= 2 else "epoch"


def _entry(call: StepCall, interval: str, found: Range) -> dict[str, Any]:
    entry: dict[str, Any] = {"scheduler": call.target.spec, "interval": interval}
    begin, every = found.lo, found.every
    if every > 1:
        # stepped at counts c with c % every == phase, from the first at or after lo; an
        # entry steps at begin + every - 1, begin + 2 * every - 1, ...
        first = found.lo + (found.phase - found.lo) % every
        begin = first - every + 1
        if begin < 0:
            raise unreadable(
                call.guards[-1].where if call.guards else call.where,
                f"lrscope cannot read this condition as a Loop entry: it steps at count "
                f"{first}, and a Loop entry stepped every {every} first steps at "
                f"count {every - 1} or later",
            )
        entry["every"] = every
    if begin > 0:
        entry["begin"] = begin
    if found.hi is not None:
        entry["end"] = found.hi
    return entry


def _check_repeats(reader: CodeReader, calls: list[StepCall], names: Any) -> None:
    """A scheduler stepped again at another place or under other count conditions would
    be two entries of one object; its branches on other tests (``isinstance``) are one."""

    def place(c: StepCall) -> tuple[Any, ...]:
        return (c.loops, tuple(g for g in c.guards if mentions(g, names)))

    for first in calls:
        for again in reader.steps:
            if again.target is first.target and place(again) != place(first):
                raise unreadable(
                    again.where,
                    "this scheduler is stepped at two places or under two conditions on "
                    "the count; a Loop steps each scheduler at one",
                )


def deepest_call(calls: list[StepCall]) -> StepCall:
    """The call whose loops give the run's length (a step entry's, if there is one)."""
    return max(calls, key=lambda c: len(c.loops))


def loop_scheduler(
    reader: CodeReader, report: Report, calls: list[StepCall], per_epoch: Any
) -> dict[str, Any]:
    """The Loop spec for these calls (``per_epoch``: the run's steps per epoch)."""
    deepest = deepest_call(calls)
    depth = len(deepest.loops)
    mixed = len({len(c.loops) for c in calls}) > 1
    names = _names(reader, deepest)
    guards = GuardReader(names, changed_in_loops(reader.assignments, names), reader.values, report)
    _check_repeats(reader, calls, names)
    # A Loop builds its entries in list order and steps those due at one count in list
    # order too: the list is the text's construction order, and a text stepping two
    # entries due at one count in the other order is refused.
    built = [c.target for c in calls]
    ordered = sorted(calls, key=lambda c: _built_at(reader, c))
    entries = []
    for i, call in enumerate(ordered):
        interval = _interval(call, depth, mixed)
        steps = per_epoch if is_number(per_epoch) else None
        entries.append(_entry(call, interval, guards.entry_range(call.guards, interval, steps)))
        for loc, origin in call.target.origins.items():
            report.origins[("scheduler", "schedulers", i, "scheduler", *loc)] = origin
    for a, first in enumerate(ordered):
        for b in range(a + 1, len(ordered)):
            second = ordered[b]
            swapped = built.index(second.target) < built.index(first.target)
            if swapped and _overlap(entries[a], entries[b]):
                raise unreadable(
                    first.where,
                    "this scheduler is built before one stepped ahead of it at the same "
                    "count; a Loop builds and steps them in one order",
                )
    report.warn("import_loop", count=str(len(entries)))
    return {"type": "Loop", "schedulers": entries}


def _built_at(reader: CodeReader, call: StepCall) -> int:
    return next(i for i, b in enumerate(reader.built) if b is call.target)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two entries of one interval may be due at one count."""
    if a["interval"] != b["interval"]:
        return False
    lo = max(a.get("begin", 0), b.get("begin", 0))
    ends = [e["end"] for e in (a, b) if e.get("end") is not None]
    return not ends or lo < min(ends)
