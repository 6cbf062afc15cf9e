"""Hugging Face ``trainer_state.json``: the ``log_history`` list ``Trainer`` saves.

Each logging entry holds ``step`` (``state.global_step``: optimizer steps done so far),
``learning_rate`` (``scheduler.get_last_lr()[0]`` read after ``scheduler.step()``, so the
rate the optimizer uses for 0-based step ``step``) and ``loss``; evaluation entries and the
final summary have no ``learning_rate`` and are skipped.
"""

from __future__ import annotations

import json
from typing import Any

from lrscope.errors import got
from lrscope.logs import values
from lrscope.logs.series import LoggedRun, Series
from lrscope.logs.values import refuse


def load_json(text: str) -> Any:
    """The JSON document, or a refusal naming its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        refuse("log_not_json", line=str(exc.lineno), column=str(exc.colno), detail=exc.msg)
    except RecursionError:
        refuse("log_not_json", line="1", column="1", detail="nested too deeply")


def _entry_lines(text: str) -> list[int]:
    """The line each ``log_history`` entry starts on (HF writes them indented, one key per
    line), best effort: a compact file gives line 1 for all."""
    lines = [i for i, row in enumerate(text.splitlines(), 1) if row.strip() == "{"]
    return lines[1:]  # the first "{" opens the document itself


def parse_trainer_state(text: str, max_rows: int) -> LoggedRun:
    data = load_json(text)
    history = data.get("log_history") if isinstance(data, dict) else None
    if not isinstance(history, list):
        refuse("log_history_missing")
    if len(history) > max_rows:
        refuse("log_too_many_rows", count=str(len(history)), maximum=str(max_rows))
    starts = _entry_lines(text)
    lr: list[tuple[int, float | None]] = []
    loss: list[tuple[int, float | None]] = []
    for i, entry in enumerate(history):
        line = starts[i] if len(starts) == len(history) else 1
        field = f"log_history[{i}]"
        if not isinstance(entry, dict):
            refuse("log_entry_not_object", line=str(line), field=field, **got(entry))
        if "learning_rate" not in entry and "loss" not in entry:
            continue
        if "step" not in entry:
            refuse("log_field_missing", line=str(line), field=f"{field}.step")
        s = values.step(entry["step"], line, f"{field}.step")
        if "learning_rate" in entry:
            lr.append((s, values.number(entry["learning_rate"], line, f"{field}.learning_rate")))
        if "loss" in entry:
            loss.append((s, values.loss_value(entry["loss"], line, f"{field}.loss")))
    if not lr:
        refuse("log_no_lr", where="log_history (no entry has learning_rate)")
    return LoggedRun(
        "hf_trainer_state",
        Series.build("learning_rate", lr),
        Series.build("loss", loss) if loss else None,
    )


def parse_tensorboard_json(text: str, max_rows: int) -> LoggedRun:
    """TensorBoard's "download JSON" of one scalar: ``[[wall_time, step, value], ...]``."""
    data = load_json(text)
    if not isinstance(data, list):
        refuse("log_tensorboard_json_shape", field="the document", **got(data))
    if len(data) > max_rows:
        refuse("log_too_many_rows", count=str(len(data)), maximum=str(max_rows))
    pairs: list[tuple[int, float | None]] = []
    for i, row in enumerate(data):
        if not isinstance(row, list) or len(row) != 3:
            refuse("log_tensorboard_json_shape", field=f"[{i}]", **got(row))
        pairs.append((values.step(row[1], 1, f"[{i}][1]"), values.number(row[2], 1, f"[{i}][2]")))
    if not pairs:
        refuse("log_no_lr", where="the JSON list is empty")
    return LoggedRun("tensorboard_json", Series.build("value", pairs))
