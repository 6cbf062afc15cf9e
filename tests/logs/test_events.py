"""TensorBoard event files as torch's own ``SummaryWriter`` writes them (the optional
``tensorboard`` extra; skipped cleanly without it)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from lrscope.errors import SpecError
from lrscope.logs import compare_log, events, parse_log

pytest.importorskip("tensorboard")
SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter

SPEC = {"scheduler": {"type": "OneCycleLR", "max_lr": 0.1}, "epochs": 4, "steps_per_epoch": 25}


def _event_file(tmp_path: Path, steps_per_step: int = 1) -> bytes:
    """A OneCycleLR loop logging the rate of each optimizer step before stepping, as
    ``writer.add_scalar("train/lr", scheduler.get_last_lr()[0], step)`` does."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=400)
    writer = SummaryWriter(str(tmp_path))
    for step in range(100):
        writer.add_scalar("train/lr", sched.get_last_lr()[0], step)
        writer.add_scalar("train/loss", 1.0 / (step + 1), step)
        opt.step()
        for _ in range(steps_per_step):
            sched.step()
    writer.close()
    (path,) = tmp_path.glob("events.out.tfevents.*")
    return path.read_bytes()


def test_an_event_file_is_read_and_agrees_within_float32(tmp_path: Path) -> None:
    data = _event_file(tmp_path)
    run = parse_log(data)
    assert (run.format, run.lr.name, run.lr.step) == ("tensorboard_events", "train/lr",
                                                      list(range(100)))  # fmt: skip
    assert run.loss is not None and run.loss.name == "train/loss"
    spec = {**SPEC, "scheduler": {**SPEC["scheduler"], "total_steps": 400}}
    out = compare_log(spec, data)
    assert out["agree"] is True and out["tolerance"]["rtol"] == 1e-6
    assert out["fit"]["max_rel_error"] > 0  # float32: not bit for bit, within tolerance


def test_an_event_file_stepped_4x_is_diagnosed_through_the_api(
    tmp_path: Path, client: TestClient
) -> None:
    data = _event_file(tmp_path, steps_per_step=4)
    body = {"spec": {**SPEC, "scheduler": {**SPEC["scheduler"], "total_steps": 400}},
            "log": {"base64": base64.b64encode(data).decode()}}  # fmt: skip
    out = client.post("/api/compare", json=body).json()
    assert out["format"] == "tensorboard_events"
    assert (out["diagnosis"]["cause"], out["diagnosis"]["params"]["factor"]) == (
        "scheduler_too_fast", "4")  # fmt: skip


def test_a_cut_event_file_is_refused_at_its_offset(tmp_path: Path) -> None:
    data = _event_file(tmp_path)
    with pytest.raises(SpecError) as raised:
        parse_log(data[:-3])
    assert raised.value.errors[0]["code"] == "log_events_invalid"


def test_without_tensorboard_an_event_file_is_refused_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _event_file(tmp_path)
    monkeypatch.setattr(events, "Event", None)
    with pytest.raises(SpecError) as raised:
        parse_log(data)
    assert raised.value.errors[0]["code"] == "log_events_unavailable"
