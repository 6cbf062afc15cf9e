"""The response's ``setup`` block: the counts a setup resolved to, and the pitfall overlays.

A pitfall's curve is the run's own scheduler stepped ``factor`` times per optimizer step
(``validation/setup.py``): point ``i`` is the rate after ``i * factor`` scheduler steps,
evaluated exactly like the main curve, on the same (decimated) x.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from lrscope.engine.curves import Curves
from lrscope.engine.series import per_step
from lrscope.errors import SpecError
from lrscope.messages import message
from lrscope.validation import ResolvedRun
from lrscope.validation.resolved import Pitfall

Evaluate = Callable[[ResolvedRun], Curves]


def setup_block(
    run: ResolvedRun, keep: np.ndarray | None, evaluate: Evaluate
) -> dict[str, Any] | None:
    """``{counts..., "how", "pitfalls": [...]}``, or None for a run without a setup."""
    if run.setup is None:
        return None
    return {
        **run.setup.as_dict(),
        "pitfalls": [_pitfall(run, p, keep, evaluate) for p in run.pitfalls],
    }


def _pitfall(
    run: ResolvedRun, p: Pitfall, keep: np.ndarray | None, evaluate: Evaluate
) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": p.name, "factor": p.factor, **message(p.code, **p.params)}
    entry["groups"] = None
    if p.run is None:
        entry["skipped"] = message("pitfall_too_long", **(p.skipped or {}))
        return entry
    try:
        curves = evaluate(p.run)
    except (SpecError, ValueError, RuntimeError, ZeroDivisionError, OverflowError) as exc:
        detail = "; ".join(e["msg"] for e in exc.errors) if isinstance(exc, SpecError) else exc
        entry["skipped"] = message("pitfall_torch_fails", pitfall=p.name, detail=str(detail))
        return entry
    groups = []
    for values in curves.lr:
        full = per_step(values, p.run)
        lr = full[np.minimum(np.arange(run.num_steps) * p.factor, len(full) - 1)]
        groups.append({"lr": (lr[keep] if keep is not None else lr).tolist()})
    entry["groups"] = groups
    return entry


def pitfall_warnings(block: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each pitfall's own message (and why one is not drawn), as response warnings."""
    if block is None:
        return []
    found = []
    for p in block["pitfalls"]:
        found.append({k: p[k] for k in ("code", "params", "msg")})
        if "skipped" in p:
            found.append(p["skipped"])
    return found
