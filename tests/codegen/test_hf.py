"""``POST /api/code?style=hf`` (``codegen/hf.py``): the ``transformers.get_scheduler`` call
of an HF preset, executed with transformers installed, gives exactly the curve
``POST /api/schedule`` answers (bit for bit), and a curve edited after it came from HF is
refused at ``recipe`` rather than exported as a call that would draw another curve."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.recipes.presets import hf_presets
from lrscope.settings import Settings
from lrscope.web.app import create_app
from tests.helpers.http import detail_of

pytest.importorskip("transformers")

PRESETS = hf_presets()["presets"]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    data = tmp_path_factory.mktemp("runs")
    return TestClient(create_app(Settings(data_dir=data, static_dir=data, prewarm_workers=False)))


def run_script(code: str) -> list[list[float]]:
    scope: dict[str, Any] = {"__name__": "exported"}
    exec(compile(code, "<exported>", "exec"), scope)  # our own generated script, in a test
    return scope["history"]


@pytest.mark.parametrize(
    "preset",
    [p for p in PRESETS if p["name"] != "reduce_lr_on_plateau"],
    ids=lambda p: p["name"],
)
def test_the_hf_call_runs_to_the_same_curve(client: TestClient, preset: dict[str, Any]) -> None:
    spec = preset["spec"]
    code = client.post("/api/code?style=hf", json=spec)
    assert code.status_code == 200, code.text
    text = code.json()["code"]
    assert "from transformers import get_scheduler" in text and "LambdaLR" not in text
    curve = client.post("/api/schedule", json={**spec, "max_points": 0}).json()
    assert [h[0] for h in run_script(text)] == curve["groups"][0]["lr"]
    # The plain torch script of the same spec is still there, and agrees too.
    torch_code = client.post("/api/code", json=spec).json()["code"]
    assert [h[0] for h in run_script(torch_code)] == curve["groups"][0]["lr"]


def test_an_edited_curve_or_one_without_a_recipe_is_refused_at_recipe(client: TestClient) -> None:
    spec = next(p["spec"] for p in PRESETS if p["name"] == "polynomial")
    # HF's polynomial floor follows optimizer.defaults["lr"]: another lr, another formula.
    edited = {**spec, "optimizer": {"type": "AdamW", "lr": 1e-4}}
    (item,) = detail_of(client.post("/api/code?style=hf", json=edited))
    assert item["loc"] == ["body", "recipe"] and item["code"] == "recipe_mismatch"
    assert client.post("/api/schedule", json=edited).status_code == 200  # evaluation ignores it
    bare = {"scheduler": {"type": "StepLR", "step_size": 3}, "epochs": 9}
    (item,) = detail_of(client.post("/api/code?style=hf", json=bare))
    assert item["code"] == "no_recipe"
    assert client.post("/api/code?style=java", json=bare).status_code == 422
