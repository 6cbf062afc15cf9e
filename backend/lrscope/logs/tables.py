"""Logs that are CSV tables: TensorBoard's scalar download (``Wall time,Step,Value``), a
W&B panel's CSV export (``Step``, ``<run> - <key>`` with ``__MIN``/``__MAX`` companions) and
Lightning's ``CSVLogger`` ``metrics.csv`` (``step``, ``epoch``, ``lr-<Optimizer>`` from
``LearningRateMonitor``, one sparse row per log call)."""

from __future__ import annotations

import csv
import io
import re

from lrscope.logs import values
from lrscope.logs.series import LoggedRun, Series
from lrscope.logs.values import refuse

TENSORBOARD_HEADER = ["Wall time", "Step", "Value"]
# A learning-rate column: HF's "learning_rate" (W&B: "train/learning_rate"), Lightning's
# "lr-AdamW" / "lr-AdamW/pg1", or a plain "lr"; never a momentum or a __MIN/__MAX band.
_LR = re.compile(r"(^|[/ ])(lr|learning_rate)($|[-/])", re.IGNORECASE)
_NOT_LR = re.compile(r"(__MIN|__MAX|-momentum|-beta\d?|-weight_decay)$", re.IGNORECASE)
LOSS_PATTERN = re.compile(r"(^|[/ ])(train_?)?loss(_step)?$", re.IGNORECASE)


def lr_column(names: list[str]) -> int | None:
    """The first name that is a learning rate (not a momentum or a __MIN/__MAX band)."""
    found = [i for i, n in enumerate(names) if _LR.search(n) and not _NOT_LR.search(n)]
    return found[0] if found else None


Rows = list[tuple[int, list[str]]]  # (the file line a row ends on, its fields)


def read_rows(text: str, max_rows: int) -> Rows:
    """The non-blank rows, each with the line it ends on (a quoted field may span lines)."""
    rows: Rows = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if len(rows) > max_rows:
                refuse("log_too_many_rows", count=f"more than {max_rows}", maximum=str(max_rows))
            if any(c.strip() for c in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        refuse("log_csv_invalid", line=str(reader.line_num), detail=str(exc))
    if len(rows) < 2:
        refuse("log_no_lr", where="the CSV has no data rows")
    return rows


def _column(header: list[str], wanted: str, pattern: re.Pattern[str] | None = None) -> int:
    if pattern is None and wanted in header:
        return header.index(wanted)
    for i, name in enumerate(header):
        if pattern is not None and pattern.search(name) and not _NOT_LR.search(name):
            return i
    refuse("log_csv_column_missing", wanted=wanted, columns=", ".join(header)[:300])


def _optional(header: list[str], pattern: re.Pattern[str]) -> int | None:
    found = [
        i for i, name in enumerate(header) if pattern.search(name) and not _NOT_LR.search(name)
    ]
    return found[0] if found else None


Pairs = list[tuple[int, float | None]]


def _series(rows: Rows, step_col: int, col: int, loss: bool = False) -> Pairs:
    header = rows[0][1]
    pairs: Pairs = []
    for line, row in rows[1:]:
        if len(row) != len(header):
            refuse("log_csv_row_length", line=str(line), count=str(len(row)),
                   expected=str(len(header)))  # fmt: skip
        if not row[col].strip():
            continue  # a sparse row: this call logged other keys
        s = values.step(row[step_col], line, header[step_col])
        read = values.loss_value if loss else values.number
        pairs.append((s, read(row[col], line, header[col])))
    return pairs


def _run(fmt: str, rows: Rows, step_col: int, lr_col: int) -> LoggedRun:
    header = rows[0][1]
    lr = _series(rows, step_col, lr_col)
    if not lr:
        refuse("log_no_lr", where=f"the column {header[lr_col]!r} is empty")
    loss_col = _optional(header, LOSS_PATTERN) if fmt != "tensorboard_csv" else None
    loss = _series(rows, step_col, loss_col, loss=True) if loss_col is not None else []
    return LoggedRun(
        fmt,
        Series.build(header[lr_col], lr),
        Series.build(header[loss_col], loss) if loss_col is not None and loss else None,
    )


def parse_tensorboard_csv(text: str, max_rows: int) -> LoggedRun:
    rows = read_rows(text, max_rows)
    if [c.strip() for c in rows[0][1]] != TENSORBOARD_HEADER:
        refuse("log_csv_column_missing", wanted=",".join(TENSORBOARD_HEADER),
               columns=", ".join(rows[0][1])[:300])  # fmt: skip
    return _run("tensorboard_csv", rows, 1, 2)


def parse_wandb_csv(text: str, max_rows: int) -> LoggedRun:
    rows = read_rows(text, max_rows)
    header = rows[0][1]
    # HF's W&B callback logs the optimizer step as train/global_step; W&B's own "Step"
    # counts log calls. Prefer the optimizer step when the export has it.
    steps = [i for i, n in enumerate(header) if n.endswith("train/global_step")]
    step_col = steps[0] if steps else _column(header, "Step")
    return _run("wandb_csv", rows, step_col, _column(header, "a learning-rate column", _LR))


def parse_lightning_csv(text: str, max_rows: int) -> LoggedRun:
    rows = read_rows(text, max_rows)
    header = rows[0][1]
    step_col = _column(header, "step")
    return _run("lightning_csv", rows, step_col, _column(header, "an lr-* column", _LR))
