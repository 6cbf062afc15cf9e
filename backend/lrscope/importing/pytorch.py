"""Pasted PyTorch (or HF-in-a-loop) code -> a RunSpec: the scheduler that is stepped, its
optimizer, and the interval, epochs and steps per epoch read from the loops around
``scheduler.step()``."""

from __future__ import annotations

from typing import Any

from lrscope.catalog import Catalog
from lrscope.errors import Loc
from lrscope.importing.problems import ImportRefused, Missing, Report, unreadable
from lrscope.importing.python_code import CodeReader, Loop, StepCall
from lrscope.importing.python_values import is_number
from lrscope.importing.pytorch_loop import deepest_call, loop_scheduler, loop_wanted
from lrscope.importing.torch_calls import Built
from lrscope.messages import message
from lrscope.spec.models import default_optimizer


def no_scheduler() -> ImportRefused:
    item = message("import_no_scheduler")
    return ImportRefused({"loc": ["text"], "type": "value_error", **item})


def roots(reader: CodeReader) -> list[Built]:
    """Schedulers no other scheduler holds as a child, in construction order."""
    children = {id(c) for b in reader.built for c in b.children}
    return [b for b in reader.built if b.kind == "scheduler" and id(b) not in children]


def add_origins(report: Report, prefix: Loc, built: Built) -> None:
    for loc, origin in built.origins.items():
        report.origins[(*prefix, *loc)] = origin


def _groups_asked(catalog: Catalog, spec: dict[str, Any]) -> int:
    """How many param groups the scheduler's per-group lists ask for (1 if none)."""
    info = catalog.schedulers.get(spec.get("type", ""))
    count = 1
    for key, value in spec.items():
        param = info.param(key) if info else None
        if key == "schedulers" and isinstance(value, list):
            count = max([count, *(_groups_asked(catalog, c) for c in value if isinstance(c, dict))])
        elif param is not None and (param.per_group or param.type == "expression"):
            count = max(count, len(value) if isinstance(value, list) else 1)
    return count


def optimizer_spec(report: Report, reader: CodeReader, top: Built) -> dict[str, Any] | None:
    optimizer = top.optimizer or next(
        (b for b in reversed(reader.built) if b.kind == "optimizer"), None
    )
    if optimizer is None:
        report.warn("import_default_optimizer")
        groups = _groups_asked(reader.builder.catalog, top.spec)
        if groups == 1:
            return None
        return {**default_optimizer().model_dump(exclude_none=True), "param_groups": [{}] * groups}
    add_origins(report, ("optimizer",), optimizer)
    return optimizer.spec


def _stepped(reader: CodeReader) -> list[StepCall]:
    """One step call per stepped scheduler (its first), in the order they are stepped."""
    seen: dict[int, StepCall] = {}
    for call in reader.steps:
        seen.setdefault(id(call.target), call)
    return list(seen.values())


def _chain(report: Report, calls: list[StepCall]) -> Built:
    if len({c.loops for c in calls}) > 1 and all(c.loops for c in calls):
        # Stepped in loops of their own: separate examples (torch's docs show several).
        report.warn("import_first_of_several", count=str(len(calls)))
        return calls[0].target
    depths = {len(c.loops) for c in calls}
    if len(depths) > 1:
        raise unreadable(
            calls[1].where,
            "these schedulers are stepped at different places in the loop; lrscope reads one "
            "scheduler (or several stepped together, as a ChainedScheduler)",
        )
    report.warn("import_chained", count=str(len(calls)))
    first = calls[0].target
    built = Built("scheduler", {"type": "ChainedScheduler"}, first.where, optimizer=first.optimizer)
    built.children = [c.target for c in calls]
    built.spec["schedulers"] = [c.spec for c in built.children]
    for i, child in enumerate(built.children):
        for loc, origin in child.origins.items():
            built.origins[("schedulers", i, *loc)] = origin
    return built


def _count(report: Report, loc: Loc, loop: Loop) -> Any:
    value = report.need(loop.count)
    if isinstance(value, Missing):
        return value
    if value is None:
        raise unreadable(loop.where, "a while loop runs an unknown number of times; use for")
    if not (is_number(value) and float(value).is_integer()) and loop.name is None:
        raise unreadable(loop.where, "the loop's count is not a whole number")
    report.origins[loc] = (loop.where, loop.name)
    return int(value) if is_number(value) else value


def _inner_batches(reader: CodeReader, outer: tuple[Loop, ...]) -> Loop | None:
    """The loop just inside ``outer`` where ``optimizer.step()`` is called, if any."""
    for _, loops in reader.optimizer_steps:
        if len(loops) == len(outer) + 1 and loops[: len(outer)] == outer:
            return loops[-1]
    return None


def run_length(report: Report, reader: CodeReader, call: StepCall | None) -> dict[str, Any]:
    """epochs, steps_per_epoch and interval from the loops around the step call."""
    loops = call.loops if call is not None else ()
    if not loops:
        report.warn("import_no_loop")
        return {}
    if len(loops) == 1:
        run: dict[str, Any] = {"interval": "epoch", "epochs": _count(report, ("epochs",), loops[0])}
        inner = _inner_batches(reader, loops)
        if inner is not None and is_number(inner.count):
            run["steps_per_epoch"] = _count(report, ("steps_per_epoch",), inner)
        return run
    return {
        "interval": "step",
        "epochs": _count(report, ("epochs",), loops[-2]),
        "steps_per_epoch": _count(report, ("steps_per_epoch",), loops[-1]),
    }


def _metric(report: Report, top: Built, call: StepCall | None) -> dict[str, Any] | None:
    if top.spec.get("type") != "ReduceLROnPlateau":
        return None
    argument = call.argument if call else None
    losses = _metric_values(argument)
    if losses is not None:
        return {"values": losses}
    report.warn("import_metric_synthetic")
    return None


def _metric_values(argument: Any) -> list[float] | None:
    # `scheduler.step(val_losses[k])` reads a list the text wrote out: the Missing names
    # the subscript; its base is a literal list bound earlier.
    return None if not isinstance(argument, list) else [float(v) for v in argument if is_number(v)]


def _loop_spec(reader: CodeReader, report: Report, calls: list[StepCall]) -> dict[str, Any]:
    """A Loop of the stepped schedulers, its optimizer, run length and plateau metric."""
    deepest = deepest_call(calls)
    run = run_length(report, reader, deepest)
    run.pop("interval", None)
    loop = loop_scheduler(reader, report, calls, run.get("steps_per_epoch"))
    top = calls[0].target
    spec: dict[str, Any] = {"scheduler": loop}
    optimizer = optimizer_spec(report, reader, top)
    if optimizer is not None:
        spec["optimizer"] = optimizer
    spec |= run
    plateau = [c for c in calls if c.target.spec.get("type") == "ReduceLROnPlateau"]
    if plateau:
        losses = _metric_values(plateau[0].argument)
        if losses is not None:
            spec["metric"] = {"values": losses}
        else:
            report.warn("import_metric_synthetic")
    return spec


def pytorch_spec(reader: CodeReader, report: Report) -> dict[str, Any]:
    calls = _stepped(reader)
    if loop_wanted(reader, calls):
        return _loop_spec(reader, report, calls)
    if len(calls) > 1:
        top = _chain(report, calls)
    elif calls:
        top = calls[0].target
    else:
        found = roots(reader)
        if not found:
            raise no_scheduler()
        top = found[-1]
    call = calls[0] if calls else None
    spec: dict[str, Any] = {"scheduler": top.spec}
    add_origins(report, ("scheduler",), top)
    optimizer = optimizer_spec(report, reader, top)
    if optimizer is not None:
        spec["optimizer"] = optimizer
    spec |= run_length(report, reader, call)
    metric = _metric(report, top, call)
    if metric is not None:
        spec["metric"] = metric
    return spec
