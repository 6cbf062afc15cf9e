"""RunSpec -> the exact learning-rate curves, as ``POST /api/schedule`` answers them.

Point *i* of a curve is ``param_groups[g]["lr"]`` as the optimizer uses it for optimizer
step *i*, i.e. read before the scheduler steps that follow. The values come from a replica
proven bitwise equal to torch (``replay.py``) where one applies, else from stepping torch
itself (``torch_stepper.py``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from pydantic import ValidationError

from lrscope.catalog import Catalog, default_catalog
from lrscope.engine import replay, self_check
from lrscope.engine.curves import Curves
from lrscope.engine.loop_stepper import loop_curves, loop_metric_series
from lrscope.engine.pitfalls import pitfall_warnings, setup_block
from lrscope.engine.resume import resumed
from lrscope.engine.series import check_finite, decimate, metric_series, per_step
from lrscope.engine.torch_stepper import step_curves
from lrscope.settings import Limits
from lrscope.spec import RunSpec, spec_error
from lrscope.validation import ResolvedRun, resolve_run


def exact_curves(run: ResolvedRun) -> Curves:
    """The exact curves: a replica proven equal to stepping where one exists (a Loop is
    always stepped by torch)."""
    if run.loop is not None:
        return loop_curves(run)
    if run.resume is not None:  # engine/resume.py; its warnings join the run's
        curves, departs = resumed(run)
        run.warning_details.extend(w for w in departs if w not in run.warning_details)
        return curves
    fast = replay.fast_curves(run, self_check.disabled_replicas())
    return fast if fast is not None else step_curves(run)


def evaluate_resolved(run: ResolvedRun, torch_version: str) -> dict[str, Any]:
    exact = exact_curves(run)
    warnings = list(run.warning_details)
    lr = [per_step(v, run) for v in exact.lr]
    mom = [per_step(v, run) for v in exact.momentum] if exact.momentum is not None else None
    for s in lr:
        check_finite(s, warnings)
    metric = loop_metric_series(run) if run.loop is not None else metric_series(run)
    n = run.num_steps
    x = np.arange(n)
    if run.window is not None:  # the whole run is computed (its state reaches the window)
        part = slice(*run.window)
        x, lr = x[part], [s[part] for s in lr]
        mom = [s[part] for s in mom] if mom is not None else None
        metric = metric[part] if metric is not None else None
    shape = [_filled(metric)] if metric is not None else []
    keep = decimate(lr + (mom or []) + shape, run.max_points)
    if keep is not None:
        x = x[keep]
        lr = [s[keep] for s in lr]
        mom = [s[keep] for s in mom] if mom is not None else None
        metric = metric[keep] if metric is not None else None
    epoch = x / run.steps_per_epoch
    setup = setup_block(run, keep, exact_curves)
    warnings += pitfall_warnings(setup)
    unique = list({w["msg"]: w for w in warnings}.values())
    return {
        "torch_version": torch_version,
        "num_steps": n,
        "interval": run.interval,
        "x": x.tolist(),
        "epoch": epoch.tolist(),
        "groups": [
            {"lr": lr[g].tolist(), "momentum": mom[g].tolist() if mom is not None else None}
            for g in range(len(lr))
        ],
        "warnings": [w["msg"] for w in unique],
        "warning_details": unique,
        "decimated": keep is not None,
        "metric": (
            [None if math.isnan(v) else v for v in metric.tolist()] if metric is not None else None
        ),
        "setup": setup,
    }


def _filled(metric: np.ndarray) -> np.ndarray:
    """The metric with its gaps (where none is passed) holding the last known value."""
    known = metric[~np.isnan(metric)]
    return np.nan_to_num(metric, nan=known[-1] if len(known) else 0.0)


def evaluate(
    spec: RunSpec | dict[str, Any],
    *,
    catalog: Catalog | None = None,
    limits: Limits | None = None,
) -> dict[str, Any]:
    """Evaluate a run spec (the same JSON as ``POST /api/schedule``) and return its curves.

    Raises ``SpecError`` (with ``.errors``, each naming the field) on bad input.

    >>> out = evaluate({"scheduler": {"type": "StepLR", "step_size": 2}, "epochs": 4})
    >>> out["groups"][0]["lr"]
    [0.1, 0.1, 0.010000000000000002, 0.010000000000000002]
    """
    catalog = catalog or default_catalog()
    run_spec = spec if isinstance(spec, RunSpec) else _parse(spec)
    run = resolve_run(run_spec, catalog, limits or Limits())
    return evaluate_resolved(run, catalog.torch_version)


def _parse(spec: dict[str, Any]) -> RunSpec:
    try:
        return RunSpec.model_validate(spec)
    except ValidationError as exc:
        raise spec_error(exc) from exc
