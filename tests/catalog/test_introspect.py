"""What torch offers, read from the installed torch (``catalog/introspect.py``, with the
curated overlay): every scheduler and optimizer offered or excluded with a reason, their
arguments described, and a scheduler torch does not ship working from its signature
alone. Seen as the page sees it, through ``GET /api/schedulers``."""

from __future__ import annotations

from pathlib import Path

import torch
from fastapi.testclient import TestClient
from torch.optim import lr_scheduler

from lrscope.catalog import build_catalog
from lrscope.settings import Settings
from lrscope.web.app import create_app
from tests.helpers.http import detail_of
from tests.helpers.specs import STEP


def test_the_registry_is_complete(client: TestClient) -> None:
    """Every name torch exports is offered, or excluded with a reason."""
    cat = client.get("/api/schedulers").json()
    offered = {s["name"] for s in cat["schedulers"]} | {o["name"] for o in cat["optimizers"]}
    excluded = {e["name"]: e["reason"] for e in cat["excluded"]}
    assert all(len(reason) > 10 for reason in excluded.values())
    for name in lr_scheduler.__all__:
        assert name in offered or name in excluded, name
    for name in dir(torch.optim):
        obj = getattr(torch.optim, name)
        if isinstance(obj, type) and issubclass(obj, torch.optim.Optimizer):
            assert name in offered or name in excluded, name
    assert cat["torch_version"] == torch.__version__.split("+")[0]


def test_the_catalog_describes_parameters(client: TestClient) -> None:
    cat = client.get("/api/schedulers").json()
    by_name = {s["name"]: s for s in cat["schedulers"]}
    one = by_name["OneCycleLR"]
    assert one["step_unit"] == "step" and not one["needs_metric"] and not one["composite"]
    assert one["summary"]
    params = {p["name"]: p for p in one["params"]}
    assert params["max_lr"]["required"] and params["max_lr"]["per_group"]
    assert params["anneal_strategy"]["enum"] == ["cos", "linear"]
    assert params["pct_start"]["default"] == 0.3 and params["pct_start"]["exclusive_maximum"] == 1
    assert "optimizer" not in params and "last_epoch" not in params
    assert by_name["ReduceLROnPlateau"]["needs_metric"]
    assert by_name["SequentialLR"]["composite"] and by_name["ChainedScheduler"]["composite"]
    assert {p["name"]: p for p in by_name["LambdaLR"]["params"]}["lr_lambda"]["type"] == (
        "expression")  # fmt: skip
    sgd = {o["name"]: o for o in cat["optimizers"]}["SGD"]
    assert sgd["momentum"] == "momentum"
    assert cat["limits"]["max_total_steps"] == 2_000_000


class WarmupHold(lr_scheduler.LRScheduler):
    """Warm up linearly from ``floor`` over ``warmup`` epochs, then hold."""

    def __init__(self, optimizer: torch.optim.Optimizer, warmup: int = 3, floor: float = 0.25,
                 last_epoch: int = -1) -> None:  # fmt: skip
        self.warmup, self.floor = warmup, floor
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:  # type: ignore[override]
        f = min(1.0, self.floor + (1 - self.floor) * self.last_epoch / self.warmup)
        return [base * f for base in self.base_lrs]  # type: ignore[misc]


def test_a_new_scheduler_works_from_its_signature_alone(tmp_path: Path) -> None:
    catalog = build_catalog(extra_schedulers={"WarmupHold": WarmupHold})
    client = TestClient(create_app(Settings(data_dir=tmp_path), catalog=catalog))
    info = {s["name"]: s for s in client.get("/api/schedulers").json()["schedulers"]}
    params = {p["name"]: p for p in info["WarmupHold"]["params"]}
    assert params["warmup"]["type"] == "integer" and params["warmup"]["default"] == 3
    assert params["floor"]["type"] == "number" and params["floor"]["default"] == 0.25
    body = {"scheduler": {"type": "WarmupHold", "warmup": 4}, "optimizer": {"lr": 1.0},
            "epochs": 6}  # fmt: skip
    out = client.post("/api/schedule", json=body).json()
    assert out["groups"][0]["lr"] == [0.25, 0.4375, 0.625, 0.8125, 1.0, 1.0]
    nested = {"scheduler": {"type": "SequentialLR", "milestones": [2], "schedulers": [
        {"type": "WarmupHold", "warmup": "x"}, STEP]}}  # fmt: skip
    (e,) = detail_of(client.post("/api/schedule", json=nested))
    assert e["loc"] == ["body", "scheduler", "schedulers", 0, "warmup"]
    assert "whole number" in e["msg"]
