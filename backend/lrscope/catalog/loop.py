"""The ``Loop`` composite: lrscope's own, not a torch class. Several schedulers on the one
optimizer, each stepped by hand in the training loop on its own interval and range, the way
scripts switch schedulers with ``if``s (warmup then ReduceLROnPlateau, SWA after
``swa_start``, a per-batch warmup beside a per-epoch decay).

The catalog describes it beside torch's schedulers (``GET /api/schedulers`` -> ``loop``) so
the page can build its editor from the same data.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from lrscope.catalog.model import Param, SchedulerInfo

LOOP_NAME = "Loop"


class Loop:
    """Marker for the Loop composite: it has no torch class; lrscope steps its entries."""


ENTRY_PARAMS = [
    Param(
        "scheduler",
        "json",
        required=True,
        description="any torch scheduler spec (composites too), built on the one optimizer",
    ),
    Param(
        "interval",
        "enum",
        required=True,
        enum=["epoch", "step"],
        description="'step': stepped after optimizer step s (count = s); 'epoch': stepped "
        "at the end of epoch e (count = e)",
    ),
    Param(
        "every",
        "integer",
        default=1,
        minimum=1,
        description="stepped when (count - begin + 1) % every == 0 (Lightning's frequency)",
    ),
    Param("begin", "integer", default=0, minimum=0, description="first count stepped at"),
    Param(
        "end",
        "integer",
        nullable=True,
        description="stepped while count < end; null: to the end of the run",
    ),
]

RULES = (
    "Every entry is built on the one optimizer in list order before step 0 (construction "
    "side effects included: a later begin does not delay it). After optimizer step s each "
    "'step' entry, and at the end of epoch e each 'epoch' entry, is stepped in list order "
    "when begin <= count < end and (count - begin + 1) % every == 0. A ReduceLROnPlateau "
    "entry gets metric.values[e] (epoch entry) or metric.values[s] (step entry). The curve "
    "has one point per optimizer step if any entry is 'step', else one per epoch. The "
    "run-level interval is refused (422 at interval): each entry states its own."
)

LOOP_INFO = SchedulerInfo(
    name=LOOP_NAME,
    summary="Schedulers stepped by hand in one training loop, each on its own interval "
    "and range (lrscope's composite, not a torch class).",
    doc=RULES,
    step_unit="epoch",
    needs_metric=False,
    composite=True,
    params=[
        Param("schedulers", "json", required=True, description="the entries, in order"),
    ],
    cls=Loop,
)


def loop_json() -> dict[str, Any]:
    """The Loop composite as ``GET /api/schedulers`` describes it."""
    return {
        "name": LOOP_NAME,
        "summary": LOOP_INFO.summary,
        "rules": RULES,
        "entry_params": [asdict(p) for p in ENTRY_PARAMS],
    }
