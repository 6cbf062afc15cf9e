"""Training events: plain JSON-ready dicts (the job layer numbers them with ``seq``).

The ``done`` event that ends every run is built here and nowhere else, whoever ends the
run: the loop itself, a worker that crashed, a job stopped before it started, or a server
restart that found it unfinished. It always has the same fields.
"""

from __future__ import annotations

from typing import Any

Event = dict[str, Any]


def done_event(
    status: str,
    reason: str | None,
    *,
    epochs_run: int,
    steps_run: int,
    best_epoch: int | None,
    best_val_loss: float | None,
    error: str | None = None,
    code: str | None = None,
    params: dict[str, str] | None = None,
    suggestions: list[dict[str, Any]] | None = None,
    fit: dict[str, Any] | None = None,
) -> Event:
    """The last event of a run. ``status``: completed, early_stopped, cancelled, failed or
    interrupted; ``reason`` says why it stopped (None when it ran to its end)."""
    done: Event = {
        "type": "done",
        "status": status,
        "reason": reason,
        "epochs_run": epochs_run,
        "steps_run": steps_run,
        "best_epoch": best_epoch,
        "best_val_loss": best_val_loss,
    }
    if error is not None:
        done["error"] = error
    if fit is not None:  # the run's length fit (training/length_fit.py), as its start said
        done["fit"] = fit
    if code is not None:  # the error worded by a messages.py code, for the page's language
        done["code"], done["params"] = code, params or {}
    if suggestions is not None:  # an LR range test's (lr_suggestions.py)
        done["suggestions"] = suggestions
    return done


def done_from_events(
    events: list[Event], status: str, reason: str, error: str | None = None
) -> Event:
    """The ``done`` event of a run that ended without sending its own (killed, crashed,
    never started...), its counts filled from the events it did send."""
    metrics = [e for e in events if e.get("type") == "metrics"]
    last_step = max((e["step"] for e in events if e.get("type") in ("step", "metrics")), default=-1)
    best = min(
        metrics, key=lambda e: e["val_loss"] if e["val_loss"] is not None else 1e308, default=None
    )
    start = next((e for e in events if e.get("type") == "start"), {})
    return done_event(
        status,
        reason,
        fit=start.get("fit"),
        epochs_run=metrics[-1]["epoch"] if metrics else 0,
        steps_run=last_step + 1,
        best_epoch=best["epoch"] if best else None,
        best_val_loss=best["val_loss"] if best else None,
        error=error,
    )


def failed_at_start(exc: Exception) -> Event:
    """The done event of a run that failed before its first step (torch refused to build
    its optimizer or scheduler on the model's parameters)."""
    return done_event(
        "failed",
        "error",
        epochs_run=0,
        steps_run=0,
        best_epoch=None,
        best_val_loss=None,
        error=f"{type(exc).__name__}: {exc}",
    )
