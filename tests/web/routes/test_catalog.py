"""GET /api/schedulers (``web/routes/catalog.py``): the catalog with what the page needs
beside it (the formula language, what each training task fills in)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from lrscope.catalog import default_catalog
from lrscope.settings import Limits
from lrscope.training.spec import parse_train_spec, resolve_train


def test_catalog_lists_the_formula_language(client: TestClient) -> None:
    expressions = client.get("/api/schedulers").json()["expressions"]
    assert {"exp", "cos", "min", "sqrt"} <= set(expressions["functions"])
    assert set(expressions["constants"]) == {"pi", "e"}


def test_the_catalog_tells_what_each_task_fills_in(client: TestClient) -> None:
    tasks = client.get("/api/schedulers").json()
    tasks = tasks["training"]["tasks"]
    assert set(tasks) == {"spirals", "moons", "sine", "overfit"}
    for name, shown in tasks.items():
        plan = resolve_train(
            parse_train_spec(
                {"scheduler": {"type": "StepLR", "step_size": 2}, "task": {"name": name}}
            ),
            default_catalog(),
            Limits(),
        )
        assert shown == {
            "kind": plan.kind,
            "train_size": plan.train_size,
            "val_size": plan.val_size,
            "noise": plan.noise,
            "width": plan.width,
            "depth": plan.depth,
        }
