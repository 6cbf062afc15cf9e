"""A run's events folded into columns, shaped like ``/api/schedule``'s response."""

from __future__ import annotations

from typing import Any


def _columns(events: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    groups = len(events[0]["lr"]) if events else 0
    has_momentum = bool(events) and events[0].get("momentum") is not None
    out: dict[str, Any] = {key: [e.get(key) for e in events] for key in keys}
    out["groups"] = [
        {
            "lr": [e["lr"][g] for e in events],
            "momentum": [e["momentum"][g] for e in events] if has_momentum else None,
        }
        for g in range(groups)
    ]
    return out


def build_series(events: list[dict[str, Any]]) -> dict[str, Any]:
    """``epochs``: one point per finished epoch; ``steps``: the throttled per-step points."""
    epochs = [e for e in events if e.get("type") == "metrics"]
    steps = [e for e in events if e.get("type") == "step"]
    epoch_cols = _columns(epochs, ("epoch", "step", "train_loss", "val_loss", "val_accuracy"))
    if all(v is None for v in epoch_cols["val_accuracy"]):
        epoch_cols["val_accuracy"] = None
    return {"epochs": epoch_cols, "steps": _columns(steps, ("epoch", "step", "train_loss"))}


def summary(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's ``start`` and ``done`` events (None until they exist)."""
    start = next((e for e in events if e.get("type") == "start"), None)
    done = next((e for e in reversed(events) if e.get("type") == "done"), None)
    early = next((e for e in events if e.get("type") == "early_stop"), None)
    return {"start": start, "done": done, "early_stop": early}


def stopped_done(
    events: list[dict[str, Any]], status: str, reason: str, error: str | None = None
) -> dict[str, Any]:
    """A ``done`` event for a run that ended without its own (killed, never started, ...),
    with the same fields as the loop's, filled from the events it did send."""
    metrics = [e for e in events if e.get("type") == "metrics"]
    last_step = max((e["step"] for e in events if e.get("type") in ("step", "metrics")), default=-1)
    best = min(
        metrics, key=lambda e: e["val_loss"] if e["val_loss"] is not None else 1e308, default=None
    )
    done: dict[str, Any] = {
        "type": "done",
        "status": status,
        "reason": reason,
        "epochs_run": metrics[-1]["epoch"] if metrics else 0,
        "steps_run": last_step + 1,
        "best_epoch": best["epoch"] if best else None,
        "best_val_loss": best["val_loss"] if best else None,
    }
    if error is not None:
        done["error"] = error
    return done
