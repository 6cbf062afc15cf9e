"""GET /api/schedulers (``web/routes/catalog.py``): the catalog with what the page needs
beside it (the formula language, what each training task fills in, every training and
metric knob with its default and bounds, so the page copies nothing)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from lrscope.catalog import default_catalog
from lrscope.settings import Limits
from lrscope.spec import SyntheticMetric
from lrscope.training.spec import MAX_TRAIN_STEPS, TrainSpec, parse_train_spec, resolve_train


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


def test_training_fields_carry_the_servers_bounds_and_defaults(client: TestClient) -> None:
    catalog = client.get("/api/schedulers").json()
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


def test_metric_fields_are_the_synthetic_curves_defaults(client: TestClient) -> None:
    catalog = client.get("/api/schedulers").json()
    fields = catalog["metric_fields"]
    assert {k: v["default"] for k, v in fields.items()} == {
        f"synthetic.{k}": v for k, v in SyntheticMetric().model_dump().items()
    }
    assert fields["synthetic.decay_steps"]["exclusive_minimum"] == 0


def test_hf_recipe_builds_an_hf_call_or_names_the_argument_hf_refuses(client: TestClient) -> None:
    recipe = {"name": "linear", "num_warmup_steps": 10, "num_training_steps": 100}
    r = client.post("/api/hf_recipe", json={"recipe": recipe, "lr": 0.001})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scheduler"]["type"] == "LambdaLR" and body["recipe"]["num_training_steps"] == 100
    bad = {**recipe, "name": "polynomial", "scheduler_specific_kwargs": {"lr_end": 1.0}}
    r = client.post("/api/hf_recipe", json={"recipe": bad, "lr": 0.001})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "recipe", "lr_end"]
    unknown = client.post("/api/hf_recipe", json={"recipe": {**recipe, "name": "greedy"}, "lr": 1})
    assert unknown.status_code == 422
    for kwargs in ({"num_cycles": "abc"}, {"no_such": 1}, {"num_cycles": [1]}):
        odd = {**recipe, "name": "cosine", "scheduler_specific_kwargs": kwargs}
        r = client.post("/api/hf_recipe", json={"recipe": odd, "lr": 1})
        assert r.status_code == 422, r.text


def test_a_reload_of_the_catalog_is_a_bodiless_304(client: TestClient) -> None:
    """A class reloading the page moves no catalog: the browser sends its ETag back."""
    plain = client.get("/api/schedulers", headers={"accept-encoding": "identity"})
    zipped = client.get("/api/schedulers", headers={"accept-encoding": "gzip"})
    assert plain.status_code == zipped.status_code == 200
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip" and zipped.json() == plain.json()
    etag = plain.headers["etag"]
    assert etag.startswith('W/"') and zipped.headers["etag"] == etag
    assert plain.headers["cache-control"] == "no-cache"  # revalidated on every load
    again = client.get("/api/schedulers", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    strong = client.get("/api/schedulers", headers={"if-none-match": f'"x", {etag[2:]}'})
    assert strong.status_code == 304  # If-None-Match compares weakly
    other = client.get("/api/schedulers", headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200 and other.json() == plain.json()
