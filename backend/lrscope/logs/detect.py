"""Which format a log is in (or the one the user names), within the size caps, parsed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from lrscope.errors import got
from lrscope.logs import tables, trainer_state
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
assert tuple(sorted(PARSERS)) == tuple(sorted(FORMATS))


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


def parse_log(text: str, fmt: str = "auto", limits: Limits | None = None) -> LoggedRun:
    """A log's learning-rate (and loss) series. Raises ``SpecError`` naming the line or
    field of anything malformed, and for a log over the byte or row caps."""
    limits = limits or Limits()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_log_bytes:
        refuse("log_too_large", size=str(size), maximum=str(limits.max_log_bytes))
    if fmt != "auto" and fmt not in PARSERS:
        refuse("not_in_choices", ("log", "format"), choices=", ".join(("auto", *FORMATS)),
               **got(fmt))  # fmt: skip
    text = text.lstrip("\ufeff")
    chosen = detect_format(text) if fmt == "auto" else fmt
    return PARSERS[chosen](text, limits.max_log_rows)
