"""TensorBoard event files (``events.out.tfevents.*``), when the optional ``tensorboard``
package is installed (``pip install 'lrscope[tensorboard]'``): its protobufs decode the
records; the TFRecord framing (length, CRC, data, CRC) is read here, bounds-checked.

Scalars written by ``SummaryWriter.add_scalar`` (``simple_value``, or a one-value tensor in
the new style) are read; the learning rate is the first tag that names one (``lr``,
``learning_rate``, ``train/learning_rate``, ``lr-AdamW``), the loss the first ``loss`` tag.
"""

from __future__ import annotations

import struct
from typing import Any

from lrscope.logs.series import LoggedRun, Series
from lrscope.logs.tables import LOSS_PATTERN, lr_column
from lrscope.logs.values import refuse

try:
    from tensorboard.compat.proto.event_pb2 import Event
except ImportError:  # the optional extra is not installed
    Event = None

AVAILABLE = Event is not None
FORMAT = "tensorboard_events"


def _records(data: bytes, max_rows: int) -> list[bytes]:
    out: list[bytes] = []
    at = 0
    while at < len(data):
        if len(data) - at < 12:
            refuse("log_events_invalid", offset=str(at), detail="a record header is cut short")
        (length,) = struct.unpack_from("<Q", data, at)
        end = at + 12 + length + 4
        if end > len(data):
            refuse("log_events_invalid", offset=str(at), detail="a record runs past the end")
        out.append(data[at + 12 : at + 12 + length])
        if len(out) > max_rows:
            refuse("log_too_many_rows", count=f"more than {max_rows}", maximum=str(max_rows))
        at = end
    return out


def _scalar(value: Any) -> float | None:
    kind = value.WhichOneof("value")
    if kind == "simple_value":
        return float(value.simple_value)
    if kind == "tensor":
        t = value.tensor
        vals = list(t.float_val) or list(t.double_val)
        return float(vals[0]) if len(vals) == 1 else None
    return None


def parse_tensorboard_events(data: bytes, max_rows: int) -> LoggedRun:
    if Event is None:
        refuse("log_events_unavailable")
    by_tag: dict[str, list[tuple[int, float]]] = {}
    for i, record in enumerate(_records(data, max_rows)):
        try:
            event = Event.FromString(record)
        except Exception as exc:  # protobuf's DecodeError, or worse on hostile bytes
            refuse("log_events_invalid", offset=f"record {i}", detail=str(exc)[:200])
        for value in event.summary.value:
            v = _scalar(value)
            if v is not None and event.step >= 0:
                by_tag.setdefault(value.tag, []).append((int(event.step), v))
    tags = list(by_tag)
    lr = lr_column(tags)
    if lr is None:
        refuse("log_no_lr", where=f"no learning-rate tag among {', '.join(tags)[:300] or 'none'}")
    loss = next((t for t in tags if LOSS_PATTERN.search(t)), None)
    lr_pairs = [(s, v) for s, v in by_tag[tags[lr]] if v == v and abs(v) != float("inf")]
    if not lr_pairs:
        refuse("log_no_lr", where=f"the tag {tags[lr]!r} has no finite values")
    loss_pairs: list[tuple[int, float | None]] = [
        (s, v if v == v and abs(v) != float("inf") else None) for s, v in by_tag.get(loss or "", [])
    ]
    return LoggedRun(
        FORMAT,
        Series.build(tags[lr], list(lr_pairs)),
        Series.build(loss, loss_pairs) if loss else None,
    )
