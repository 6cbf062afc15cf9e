"""GET /api/schedulers tells the page every training and metric knob, so it copies nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lrscope.settings import Settings
from lrscope.spec import SyntheticMetric
from lrscope.training.spec import MAX_TRAIN_STEPS, TrainSpec
from lrscope.web.app import create_app


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> dict:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), prewarm_workers=False)
    with TestClient(create_app(settings)) as client:
        return client.get("/api/schedulers").json()


def test_training_fields_carry_the_servers_bounds_and_defaults(catalog: dict) -> None:
    fields = catalog["training"]["fields"]
    # The page once capped dropout at 0.95 while the server takes anything below 1.
    assert fields["regularization.dropout"] == {
        "type": "number",
        "nullable": False,
        "default": 0.0,
        "minimum": 0,
        "exclusive_maximum": 1,
        "description": "after each hidden layer",
    }
    assert fields["task.name"]["enum"] == ["spirals", "moons", "sine", "overfit"]
    assert fields["regularization.early_stopping.patience"]["default"] == 10
    defaults = TrainSpec.model_validate({"scheduler": {"type": "StepLR"}})
    assert fields["epochs"]["default"] == defaults.epochs
    assert fields["batch_size"]["default"] == defaults.batch_size
    assert fields["steps_per_second"]["minimum"] == 1 and fields["steps_per_second"]["nullable"]
    assert "scheduler" not in fields and "optimizer" not in fields  # the catalog's job
    assert catalog["training"]["limits"] == {"max_train_steps": MAX_TRAIN_STEPS}
    assert set(catalog["training"]["tasks"]) == set(fields["task.name"]["enum"])


def test_metric_fields_are_the_synthetic_curves_defaults(catalog: dict) -> None:
    fields = catalog["metric_fields"]
    assert {k: v["default"] for k, v in fields.items()} == {
        f"synthetic.{k}": v for k, v in SyntheticMetric().model_dump().items()
    }
    assert fields["synthetic.decay_steps"]["exclusive_minimum"] == 0


def test_the_schedule_says_which_interval_it_stepped(tmp_path: Path) -> None:
    # The tree-wide default: one per-batch scheduler anywhere makes the whole run per step.
    spec = {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [200],
            "schedulers": [
                {"type": "LinearLR", "total_iters": 200},
                {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 800},
            ],
        },
        "epochs": 10,
        "steps_per_epoch": 100,
    }
    client = TestClient(create_app(Settings(data_dir=tmp_path, prewarm_workers=False)))
    out = client.post("/api/schedule", json=spec).json()
    assert (out["interval"], out["num_steps"]) == ("step", 1000)
    lr = client.post("/api/schedule", json={**spec, "max_points": 0}).json()["groups"][0]["lr"]
    assert lr[199] != lr[200]  # the switch at step 200: stepped per batch, not per epoch
    spec["scheduler"] = {"type": "StepLR", "step_size": 2}
    assert client.post("/api/schedule", json=spec).json()["interval"] == "epoch"
