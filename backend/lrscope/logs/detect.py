"""Which format a log is in (or the one the user names), within the size caps, parsed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from lrscope.errors import got
from lrscope.logs import events, tables, trainer_state
from lrscope.logs.series import FORMATS, LoggedRun
from lrscope.logs.values import refuse
from lrscope.settings import Limits

Parser = Callable[[str, int], LoggedRun]
PARSERS: dict[str, Parser] = {
    "hf_trainer_state": trainer_state.parse_trainer_state,
    "tensorboard_json": trainer_state.parse_tensorboard_json,
    "tensorboard_csv": tables.parse_tensorboard_csv,
    "wandb_csv": tables.parse_wandb_csv,
    "lightning_csv": tables.parse_lightning_csv,
}
assert set(PARSERS) | {events.FORMAT} == set(FORMATS)


def _csv_format(text: str) -> str | None:
    first = text.splitlines()[0] if text else ""
    try:
        header = next(csv.reader(io.StringIO(first)), [])
    except csv.Error:
        return None
    names = [c.strip() for c in header]
    if names == tables.TENSORBOARD_HEADER:
        return "tensorboard_csv"
    if "step" in names and any(n.lower().startswith("lr-") for n in names):
        return "lightning_csv"
    if "Step" in names or any(" - " in n or n.endswith("__MIN") for n in names):
        return "wandb_csv"
    if "step" in names:
        return "lightning_csv"
    return None


def detect_format(text: str) -> str:
    """The format of a log's text, from its first characters and its CSV header."""
    start = text.lstrip()[:1]
    if start == "{":
        return "hf_trainer_state"
    if start == "[":
        return "tensorboard_json"
    found = _csv_format(text.lstrip("\ufeff"))
    if found is None:
        refuse("log_format_unknown", choices=", ".join(FORMATS))
    return found


def _is_events(data: bytes) -> bool:
    """A TFRecord starts with a little-endian length whose high bytes are zero; no text log
    starts with NUL bytes."""
    return len(data) >= 12 and data[4:8] == b"\0\0\0\0"


def parse_log(text: str | bytes, fmt: str = "auto", limits: Limits | None = None) -> LoggedRun:
    """A log's learning-rate (and loss) series, from its text (or its bytes: a TensorBoard
    event file, or UTF-8 text). Raises ``SpecError`` naming the line or field of anything
    malformed, and for a log over the byte or row caps."""
    limits = limits or Limits()
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    if len(data) > limits.max_log_bytes:
        refuse("log_too_large", size=str(len(data)), maximum=str(limits.max_log_bytes))
    if fmt != "auto" and fmt not in FORMATS:
        refuse("not_in_choices", ("log", "format"), choices=", ".join(("auto", *FORMATS)),
               **got(fmt))  # fmt: skip
    if fmt == events.FORMAT or (fmt == "auto" and _is_events(data)):
        return events.parse_tensorboard_events(data, limits.max_log_rows)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            refuse("log_not_text", offset=str(exc.start))
    text = text.lstrip("\ufeff")
    chosen = detect_format(text) if fmt == "auto" else fmt
    return PARSERS[chosen](text, limits.max_log_rows)
