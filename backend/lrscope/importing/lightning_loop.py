"""Lightning lr_scheduler configs that one scheduler stepped every epoch or step cannot say
-> a Loop's entries: a ``frequency`` k (Lightning steps when ``(index + 1) % k == 0``, so
``every: k``) and a list of several configs with their own intervals.

Lightning's index is ``current_epoch`` for ``"epoch"`` and the batch index within the epoch
for ``"step"``, so a step config of frequency k counts as the run's optimizer steps only when
each epoch holds a whole number of k steps. At the end of a batch or an epoch Lightning steps
the configs of that interval in list order, the ReduceLROnPlateau ones after the others.
"""

from __future__ import annotations

from typing import Any

from lrscope.importing.problems import Missing, Report, Where, unreadable
from lrscope.importing.python_values import is_number


def config_interval(report: Report, config: dict[str, Any], at: Where) -> Any:
    interval = report.need(config.get("interval", "epoch"))
    if not isinstance(interval, Missing) and interval not in ("epoch", "step"):
        raise unreadable(at, "interval must be 'epoch' or 'step'")
    return interval


def config_frequency(report: Report, config: dict[str, Any], at: Where) -> Any:
    frequency = report.need(config.get("frequency", 1))
    if isinstance(frequency, Missing):
        return frequency
    if not is_number(frequency) or not float(frequency).is_integer() or frequency < 1:
        raise unreadable(at, f"frequency {frequency!r} is not a whole number of 1 or more")
    return int(frequency)


def wants_loop(configs: list[dict[str, Any]], frequencies: list[Any]) -> bool:
    return len(configs) > 1 or any(f != 1 and not isinstance(f, Missing) for f in frequencies)


def loop_entries(
    report: Report,
    configs: list[dict[str, Any]],
    at: Where,
    per_epoch: Any,
    accumulate: Any,
    built_order: list[Any],
) -> dict[str, Any]:
    """The Loop for these configs (``per_epoch``: the run's steps per epoch, if known;
    ``built_order``: every object the text builds, in order)."""
    entries: list[tuple[int, dict[str, Any], Any]] = []
    plateau: list[tuple[int, dict[str, Any], Any]] = []
    for i, config in enumerate(configs):
        interval = config_interval(report, config, at)
        frequency = config_frequency(report, config, at)
        if isinstance(interval, Missing) or isinstance(frequency, Missing):
            continue
        if interval == "step" and frequency > 1:
            _check_step_frequency(at, frequency, per_epoch, accumulate)
        built = config["scheduler"]
        entry: dict[str, Any] = {"scheduler": built.spec, "interval": interval}
        if frequency > 1:
            entry["every"] = frequency
        is_plateau = built.spec.get("type") == "ReduceLROnPlateau"
        (plateau if is_plateau else entries).append((i, entry, built))
    ordered = entries + plateau
    _check_order(at, [(e["interval"], b) for _, e, b in ordered], built_order)
    for position, (_, _, built) in enumerate(ordered):
        for loc, origin in built.origins.items():
            report.origins[("scheduler", "schedulers", position, "scheduler", *loc)] = origin
    report.warn("import_loop", count=str(len(ordered)))
    return {"type": "Loop", "schedulers": [entry for _, entry, _ in ordered]}


def _check_order(at: Where, stepped: list[tuple[str, Any]], built_order: list[Any]) -> None:
    """A Loop builds its entries in list order and steps those of one interval in list
    order: Lightning's stepping order must be the order the schedulers are built in."""

    def index(b: Any) -> int:
        return next(i for i, x in enumerate(built_order) if x is b)

    for a, (interval, first) in enumerate(stepped):
        for later_interval, later in stepped[a + 1 :]:
            if interval == later_interval and index(later) < index(first):
                raise unreadable(
                    at,
                    "Lightning steps these schedulers in the other order than they are "
                    "built; a Loop builds and steps them in one order",
                )


def _check_step_frequency(at: Where, frequency: int, per_epoch: Any, accumulate: Any) -> None:
    if accumulate != 1:
        raise unreadable(
            at,
            f"frequency {frequency} with interval 'step' counts batches, and with "
            f"accumulate_grad_batches={accumulate} they are not optimizer steps",
        )
    if is_number(per_epoch) and int(per_epoch) % frequency != 0:
        raise unreadable(
            at,
            f"frequency {frequency} with interval 'step' restarts counting each epoch, and "
            f"{per_epoch} steps per epoch is not a multiple of {frequency}",
        )
    if not is_number(per_epoch) and not isinstance(per_epoch, Missing):
        raise unreadable(
            at,
            f"frequency {frequency} with interval 'step' needs the batches per epoch: give "
            "len(train_dataloader) in values",
        )
