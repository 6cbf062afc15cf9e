"""A logged run held against the spec's predicted curve: do they agree, where do they part
first, and which common mistake explains the log best (``predictions.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lrscope.catalog import Catalog, default_catalog
from lrscope.logs.predictions import (
    Prediction,
    alternatives,
    curve_of,
    extended,
    restarted,
    without_warmup,
)
from lrscope.logs.series import TOLERANCES, LoggedRun
from lrscope.logs.values import refuse
from lrscope.messages import message
from lrscope.settings import Limits
from lrscope.spec import RunSpec

MAX_RESTARTS = 32


@dataclass(frozen=True)
class Fit:
    prediction: Prediction
    compared: int
    matched: int
    first_miss: int | None  # position in the logged series
    max_rel_error: float

    def to_json(self, logged: int) -> dict[str, Any]:
        return {
            "cause": self.prediction.cause,
            "params": self.prediction.params,
            "matched": self.matched,
            "compared": self.compared,
            "logged": logged,
            "max_rel_error": self.max_rel_error,
        }


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    return np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)) + atol


def fit(p: Prediction, steps: np.ndarray, lr: np.ndarray, rtol: float, atol: float) -> Fit:
    idx = p.index(steps)
    valid = (idx >= 0) & (idx < len(p.curve))
    where = np.flatnonzero(valid)
    pred = p.curve[idx[where]]
    got = lr[where]
    ok = _close(got, pred, rtol, atol)
    rel = np.abs(got - pred) / np.maximum(np.maximum(np.abs(got), np.abs(pred)), 1e-300)
    misses = where[~ok]
    return Fit(
        p,
        len(where),
        int(ok.sum()),
        int(misses[0]) if len(misses) else None,
        float(rel.max()) if len(rel) else 0.0,
    )


def _restart_steps(curve: np.ndarray, steps: np.ndarray, lr: np.ndarray, first: int,
                   rtol: float, atol: float) -> list[int]:  # fmt: skip
    """Where a rebuilt scheduler could explain the first divergent point d: each r after
    the first logged step with curve[d - r] equal to the logged value at d (a few, spread
    out, when a flat stretch matches many)."""
    if first == 0:
        return []  # a restart before the first logged point is a shift: off_by_one's
    d = int(steps[first])
    r = np.arange(int(steps[0]), d)
    r = r[d - r < len(curve)]
    hit = r[_close(curve[d - r], np.full(len(r), lr[first]), rtol, atol)]
    if len(hit) > MAX_RESTARTS:
        hit = hit[np.linspace(0, len(hit) - 1, MAX_RESTARTS).astype(int)]
    return [int(h) for h in hit]


def _diagnosis(best: Fit, logged: int) -> dict[str, Any]:
    p = best.prediction
    params = {**p.params, "matched": str(best.matched), "logged": str(logged)}
    if best.matched < max(2, logged // 2):
        item = message("log_unexplained", logged=str(logged))
        return {**item, "cause": "unexplained", "fit": best.to_json(logged)}
    code = f"log_{p.cause}"
    if p.cause == "off_by_one":
        code += "_ahead" if p.params["shift"] == "+1" else "_behind"
    item = message(code, **params)
    return {**item, "cause": p.cause, "fit": best.to_json(logged)}


def _point(run: LoggedRun, f: Fit, at: int) -> dict[str, Any]:
    s = run.lr.step[at]
    pred = float(f.prediction.curve[s]) if s < len(f.prediction.curve) else None
    got = run.lr.value[at]
    return {"step": s, "logged": got, "predicted": pred}


def compare_logged(
    spec: RunSpec,
    run: LoggedRun,
    *,
    catalog: Catalog | None = None,
    limits: Limits | None = None,
    group: int = 0,
    rtol: float | None = None,
) -> dict[str, Any]:
    """The comparison (``POST /api/compare``'s answer without ``log_id``)."""
    catalog, limits = catalog or default_catalog(), limits or Limits()
    rtol = TOLERANCES[run.format] if rtol is None else rtol
    steps = np.asarray(run.lr.step, dtype=np.int64)
    lr = np.asarray(run.lr.value, dtype=np.float64)
    base = curve_of(spec, catalog, limits, group)
    n = len(base)
    if steps[0] > n:
        refuse("log_no_overlap", first=str(steps[0]), steps=str(n))
    # As far as the log goes first; as far as the fastest mistake needs only if it differs.
    curve = extended(spec, base, int(steps[-1]), catalog, limits, group, factors=(1,))
    atol = 1e-15 * float(np.abs(curve).max(initial=0.0))
    own = fit(Prediction("as_specified", {}, curve), steps, lr, rtol, atol)
    in_run = int((steps < len(curve)).sum())
    agree = own.compared == in_run and own.matched == own.compared
    out: dict[str, Any] = {
        "agree": agree,
        "format": run.format,
        "tolerance": {"rtol": rtol, "atol": atol},
        "group": group,
        "num_steps": n,
        "fit": own.to_json(len(steps)),
        "first_divergence": None,
        "diagnosis": None,
        "alternatives": [],
        "predicted": _predicted(curve, steps),
    }
    if agree:
        return out
    assert own.first_miss is not None
    out["first_divergence"] = _point(run, own, own.first_miss)
    curve = extended(spec, curve, int(steps[-1]), catalog, limits, group)
    fits = _alternative_fits(spec, curve, steps, lr, own, rtol, atol, catalog, limits, group)
    best = max(fits, key=lambda f: f.matched)
    out["diagnosis"] = _diagnosis(best, len(steps))
    out["alternatives"] = [f.to_json(len(steps)) for f in sorted(fits, key=lambda f: -f.matched)]
    return out


def _alternative_fits(spec: RunSpec, curve: np.ndarray, steps: np.ndarray, lr: np.ndarray,
                      own: Fit, rtol: float, atol: float, catalog: Catalog, limits: Limits,
                      group: int) -> list[Fit]:  # fmt: skip
    assert own.first_miss is not None
    preds = alternatives(curve)
    plain = without_warmup(spec)
    if plain is not None:
        warm = curve_of(plain, catalog, limits, group)
        preds.append(Prediction("warmup_missing", {}, warm))
    fits = [fit(p, steps, lr, rtol, atol) for p in preds]
    restarts = [
        fit(p, steps, lr, rtol, atol)
        for r in _restart_steps(curve, steps, lr, own.first_miss, rtol, atol)
        for p in [restarted(curve, r)]
    ]
    if restarts:
        fits.append(max(restarts, key=lambda f: f.matched))
    return fits


def _predicted(curve: np.ndarray, steps: np.ndarray) -> dict[str, Any]:
    """The predicted rate at each logged step inside the run (null past it)."""
    inside = steps < len(curve)
    values = [float(curve[s]) if ok else None for s, ok in zip(steps, inside, strict=True)]
    return {"step": steps.tolist(), "lr": values}
