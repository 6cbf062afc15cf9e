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
    """``epochs``: one point per finished epoch; ``steps``: the throttled per-step points;
    ``boundary``: the decision-boundary frames (None for a run that sent none)."""
    epochs = [e for e in events if e.get("type") == "metrics"]
    steps = [e for e in events if e.get("type") == "step"]
    epoch_cols = _columns(epochs, ("epoch", "step", "train_loss", "val_loss", "val_accuracy"))
    if all(v is None for v in epoch_cols["val_accuracy"]):
        epoch_cols["val_accuracy"] = None
    step_keys: tuple[str, ...] = ("epoch", "step", "train_loss")
    if any("smoothed_loss" in e for e in steps):  # an LR range test's
        step_keys += ("smoothed_loss",)
    frames = [e for e in events if e.get("type") == "boundary"]
    return {
        "epochs": epoch_cols,
        "steps": _columns(steps, step_keys),
        # The decision-boundary frames (their grid is the start event's ``boundary``).
        "boundary": {key: [e[key] for e in frames] for key in ("epoch", "step", "z")}
        if frames
        else None,
    }


def summary(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's ``start`` and ``done`` events (None until they exist)."""
    start = next((e for e in events if e.get("type") == "start"), None)
    done = next((e for e in reversed(events) if e.get("type") == "done"), None)
    early = next((e for e in events if e.get("type") == "early_stop"), None)
    return {"start": start, "done": done, "early_stop": early}
