"""A run rescaled to another length, so its curve keeps its shape on a run of another
number of epochs and batches per epoch (a training job's).

Every length of the schedule (a catalog ``Param.length``: a period, a milestone, a warmup,
OneCycleLR's ``total_steps``; a Loop entry's ``begin``, ``end`` and ``every``) is scaled by
the ratio of the new run's count to the old one's, in the unit it counts: the scheduler's
own steps (epochs when it is stepped per epoch, optimizer steps when per batch; a
``"fractional"`` scheduler counts epochs), epochs, or batches per epoch. The ratio is exact
(a fraction) and each length is rounded to the nearest integer (halves up), at least the
catalog's minimum; milestones stay strictly increasing. Arguments that are not lengths
(factors, rates, formulas) are kept and a warning says so. The answer is itself a RunSpec:
``/api/schedule`` draws it exactly and a training job trains it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from lrscope.catalog import LOOP_NAME, Catalog, Param
from lrscope.messages import message
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation.dispatch import resolve_run
from lrscope.validation.resolved import ResolvedRun


@dataclass(frozen=True)
class Ratios:
    """New count / old count, per unit a length may count."""

    epochs: Fraction
    batches: Fraction
    steps: Fraction  # optimizer steps

    def of(self, interval: str) -> Fraction:
        """The ratio of the scheduler's own steps when it is stepped at ``interval``."""
        return self.steps if interval == "step" else self.epochs


@dataclass
class Rescaled:
    spec: RunSpec
    ratios: Ratios
    # Each length changed: {"loc": [...], "from": old, "to": new} (locs as in the spec).
    changes: list[dict[str, Any]] = field(default_factory=list)
    warning_details: list[dict[str, Any]] = field(default_factory=list)


def run_ratios(run: ResolvedRun, epochs: int, steps_per_epoch: int) -> Ratios:
    return Ratios(
        epochs=Fraction(epochs, run.epochs),
        batches=Fraction(steps_per_epoch, run.steps_per_epoch),
        steps=Fraction(epochs * steps_per_epoch, run.num_steps),
    )


def units_used(run: ResolvedRun) -> set[str]:
    """What the schedule's curve depends on: ``"steps"`` (per-batch stepping), ``"epochs"``
    (per-epoch stepping) or both (a fractional epoch, a Loop with both kinds of entry)."""
    if run.loop is not None:
        return {"steps" if e.interval == "step" else "epochs" for e in run.loop}
    if run.interval == "fractional":
        return {"epochs", "batches"}
    return {"steps" if run.interval == "step" else "epochs"}


def same_length(run: ResolvedRun, epochs: int, steps_per_epoch: int) -> bool:
    """Whether a run of ``epochs`` x ``steps_per_epoch`` steps the scheduler as ``run`` does."""
    ratios = run_ratios(run, epochs, steps_per_epoch)
    return all(getattr(ratios, unit) == 1 for unit in units_used(run))


def rescale_run(
    run: RunSpec, epochs: int, steps_per_epoch: int, catalog: Catalog, limits: Limits
) -> Rescaled:
    """``run`` rescaled to ``epochs`` x ``steps_per_epoch``; raises SpecError (locs as in
    ``run``) when ``run`` itself is not valid."""
    resolved = resolve_run(run, catalog, limits)
    ratios = run_ratios(resolved, epochs, steps_per_epoch)
    out = Rescaled(spec=run, ratios=ratios)
    walker = _Walker(catalog, ratios, out)
    raw = run.scheduler.model_dump(mode="json")
    if run.scheduler.type == LOOP_NAME:
        scheduler = walker.loop(raw)
    else:
        scheduler = walker.node(raw, ratios.of(resolved.interval), ("scheduler",))
    data = run.model_dump(mode="json", exclude_none=True, exclude={"setup", "range"})
    data |= {"scheduler": scheduler, "epochs": epochs, "steps_per_epoch": steps_per_epoch}
    if run.resume is not None:
        at = walker.length(run.resume.at_step, ratios.steps, 0, ("resume", "at_step"))
        data["resume"] = {
            **data["resume"],
            "at_step": min(at, max(0, epochs * steps_per_epoch - 2)),
        }
    out.spec = RunSpec.model_validate(data)
    return out


def nearest(value: Any, ratio: Fraction, minimum: int) -> int:
    """``value * ratio`` rounded to the nearest integer (halves up), at least ``minimum``."""
    return max(minimum, math.floor(Fraction(value) * ratio + Fraction(1, 2)))


class _Walker:
    def __init__(self, catalog: Catalog, ratios: Ratios, out: Rescaled) -> None:
        self.catalog = catalog
        self.ratios = ratios
        self.out = out

    def length(self, value: int, ratio: Fraction, minimum: int, loc: tuple[Any, ...]) -> int:
        new = nearest(value, ratio, minimum)
        if new != value:
            self.out.changes.append({"loc": list(loc), "from": value, "to": new})
        return new

    def loop(self, raw: dict[str, Any]) -> dict[str, Any]:
        entries = []
        for i, entry in enumerate(raw.get("schedulers") or []):
            loc = ("scheduler", "schedulers", i)
            ratio = self.ratios.of(entry.get("interval", "epoch"))
            new = {**entry, "scheduler": self.node(entry["scheduler"], ratio, (*loc, "scheduler"))}
            for key, minimum in (("every", 1), ("begin", 0)):
                if isinstance(entry.get(key), int):
                    new[key] = self.length(entry[key], ratio, minimum, (*loc, key))
            if isinstance(entry.get("end"), int):
                new["end"] = self.length(
                    entry["end"], ratio, new.get("begin", 0) + 1, (*loc, "end")
                )
            entries.append(new)
        return {**raw, "schedulers": entries}

    def node(self, raw: dict[str, Any], ratio: Fraction, loc: tuple[Any, ...]) -> dict[str, Any]:
        info = self.catalog.schedulers.get(str(raw.get("type")))
        if info is None:
            return raw
        new = dict(raw)
        for p in info.params:
            value = raw.get(p.name, p.default)
            if p.type == "schedulers" and isinstance(value, list):
                new[p.name] = [self.node(c, ratio, (*loc, p.name, i)) for i, c in enumerate(value)]
            elif p.length is not None and value is not None:
                scaled = self.param(p, value, ratio, (*loc, p.name))
                if p.name in raw or scaled != value:  # a default length is written once scaled
                    new[p.name] = scaled
        lengths = [p for p in info.params if p.length is not None]
        if not info.composite and not any(raw.get(p.name, p.default) is not None for p in lengths):
            self.warn("rescale_no_length", loc, scheduler=info.name)
        for p in info.params:
            if p.type == "expression" and p.name in raw:
                self.warn("rescale_formula_kept", (*loc, p.name), scheduler=info.name)
        return new

    def param(self, p: Param, value: Any, ratio: Fraction, loc: tuple[Any, ...]) -> Any:
        if p.length == "epochs":
            ratio = self.ratios.epochs
        elif p.length == "batches":
            ratio = self.ratios.batches
        minimum = math.ceil(p.minimum) if p.minimum is not None else 0
        if isinstance(value, list):
            out: list[int] = []
            for v in value:
                out.append(max(nearest(v, ratio, minimum), out[-1] + 1 if out else minimum))
            if out != value:
                self.out.changes.append({"loc": list(loc), "from": value, "to": out})
            return out
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value  # a wrong type: validation names it
        return self.length(value, ratio, minimum, loc)  # type: ignore[arg-type]

    def warn(self, code: str, loc: tuple[Any, ...], **params: str) -> None:
        where = ".".join(str(part) for part in loc)
        self.out.warning_details.append(message(code, where=where, **params))
