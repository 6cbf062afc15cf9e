"""The LR range test script (``codegen/lr_finder.py``), run in a subprocess on a tiny model:
its rates are the job's bit for bit, its suggestions are lrscope's on the same curve, it
puts the model back, it runs as is, and it needs nothing but torch."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.catalog import default_catalog
from lrscope.codegen.lr_finder import render_lr_finder
from lrscope.settings import Limits
from lrscope.training.job_kinds import job_events
from lrscope.training.lr_suggestions import suggestions
from lrscope.training.range_test_plan import RangeTestPlan, resolve_range_test
from lrscope.training.spec import parse_train_spec
from lrscope.web.app import create_app
from tests.helpers.jobs import job_settings

DRIVER = """
import json, runpy, sys
import torch

finder = runpy.run_path(sys.argv[1])  # not as __main__: only its functions
torch.manual_seed(0)
x = torch.randn(48, 2)
y = x.sum(dim=1, keepdim=True)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
model = torch.nn.Linear(2, 1)
before = {k: v.clone() for k, v in model.state_dict().items()}
optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
lrs, losses = finder["range_test"](model, loader, torch.nn.MSELoss(), optimizer)
restored = all(torch.equal(before[k], v) for k, v in model.state_dict().items())
print(json.dumps({"lrs": lrs, "losses": losses, "restored": restored,
                  "suggestions": finder["suggestions"](lrs, losses)}))
"""


def plan_of(**range_test: Any) -> RangeTestPlan:
    spec = parse_train_spec(
        {
            "kind": "lr_range_test",
            "task": {"name": "moons", "train_size": 64, "val_size": 16},
            "batch_size": 16,
            "range_test": range_test,
        }
    )
    return resolve_range_test(spec, default_catalog(), Limits())


def run_script(tmp_path: Path, code: str) -> dict[str, Any]:
    script = tmp_path / "lr_finder.py"
    script.write_text(code)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    done = subprocess.run(
        [sys.executable, str(driver), str(script)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("mode", ["exp", "linear"])
def test_the_script_steps_the_jobs_rates_bit_for_bit(tmp_path: Path, mode: str) -> None:
    plan = plan_of(min_lr=1e-4, max_lr=0.02, steps=30, mode=mode)
    job = [e["lr"][0] for e in job_events(plan) if e["type"] == "step"]
    out = run_script(tmp_path, render_lr_finder(plan))
    assert len(job) == len(out["lrs"]) == 30  # neither diverged at these rates
    assert out["lrs"] == job
    assert out["restored"]
    ours = {s["name"]: s["lr"] for s in suggestions(out["lrs"], out["losses"], 30)}
    assert out["suggestions"] == ours


def test_the_script_stops_on_divergence_like_the_job(tmp_path: Path) -> None:
    plan = plan_of(min_lr=1e-3, max_lr=1e3, steps=60)
    out = run_script(tmp_path, render_lr_finder(plan))
    assert len(out["lrs"]) < 60  # diverged and stopped
    assert out["lrs"] == list(plan.lrs[: len(out["lrs"])])
    last, best = out["losses"][-1], min(v for v in out["losses"][:-1] if v is not None)
    assert last is None or last > 4.0 * best


def test_the_script_runs_as_is_and_imports_only_torch(tmp_path: Path) -> None:
    code = render_lr_finder(plan_of())
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert modules == {"copy", "math", "torch"}
    script = tmp_path / "lr_finder.py"
    script.write_text(code)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    for name in ("steepest", "valley", "minimum"):
        assert f"{name}:" in done.stdout


def test_the_api_writes_it_and_refuses_a_training_spec(tmp_path: Path) -> None:
    with TestClient(create_app(job_settings(tmp_path))) as client:
        body = {"kind": "lr_range_test", "optimizer": {"type": "Adam", "lr": 0.01}}
        answer = client.post("/api/range_test_code", json=body)
        assert answer.status_code == 200
        code = answer.json()["code"]
        assert "Adam(model.parameters(), lr=MIN_LR" in code
        compile(code, "lr_finder.py", "exec")
        refused = client.post(
            "/api/range_test_code", json={"scheduler": {"type": "StepLR", "step_size": 2}}
        )
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "kind"]
        bounds = {**body, "range_test": {"min_lr": 1.0, "max_lr": 0.1}}
        answer = client.post("/api/range_test_code", json=bounds)
        assert answer.json()["detail"][0]["loc"] == ["body", "range_test", "max_lr"]
