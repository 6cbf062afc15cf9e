"""`lrscope eval` prints curves, or the bad field and exit code 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lrscope import evaluate
from lrscope.cli import main

SPEC = {"scheduler": {"type": "StepLR", "step_size": 2, "gamma": 0.5}, "epochs": 5}


def write_spec(tmp_path: Path, spec: object) -> str:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    return str(path)


def test_eval_csv_has_one_row_per_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", write_spec(tmp_path, SPEC), "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["step", "epoch", "lr_0", "momentum_0"]
    assert [float(r[2]) for r in rows[1:]] == [0.1, 0.1, 0.05, 0.05, 0.025]


def test_eval_json_matches_python_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", write_spec(tmp_path, SPEC), "--json", "--exact"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == evaluate({**SPEC, "max_points": 0})


def test_eval_reports_bad_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {"scheduler": {"type": "StepLR", "step_size": 0}}
    assert main(["eval", write_spec(tmp_path, bad)]) == 2
    assert "scheduler.step_size" in capsys.readouterr().err


def test_eval_rejects_invalid_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    assert main(["eval", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


# The contract's Loop example (DESIGN.md, "Contracts added in v1.1"), on a short run.
LOOP = {"scheduler": {"type": "Loop", "schedulers": [
    {"scheduler": {"type": "LinearLR", "start_factor": 0.01, "total_iters": 20},
     "interval": "step", "every": 1, "begin": 0, "end": 20},
    {"scheduler": {"type": "ReduceLROnPlateau", "patience": 2}, "interval": "epoch", "begin": 1}]},
    "epochs": 6, "steps_per_epoch": 5}  # fmt: skip


def test_eval_runs_a_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", write_spec(tmp_path, LOOP), "--json", "--exact"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == evaluate({**LOOP, "max_points": 0})
    assert "synthetic metric" in out.err  # the plateau entry's warning


def test_code_prints_the_script_of_a_loop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["code", write_spec(tmp_path, {**LOOP, "max_points": 0})]) == 0
    namespace: dict[str, object] = {}
    exec(capsys.readouterr().out, namespace)
    history = namespace["history"]
    assert [h[0] for h in history] == evaluate({**LOOP, "max_points": 0})["groups"][0]["lr"]  # type: ignore[attr-defined]


def test_code_reports_the_bad_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = {**LOOP, "interval": "step"}
    assert main(["code", write_spec(tmp_path, bad)]) == 2
    assert "error: interval: does not apply to a Loop" in capsys.readouterr().err
    assert main(["code", write_spec(tmp_path, {"scheduler": {}})]) == 2
    assert "scheduler.type" in capsys.readouterr().err


TORCH_SCRIPT = """optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30)
for epoch in range(num_epochs):
    scheduler.step()
"""


def test_import_prints_the_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "train.py"
    path.write_text(TORCH_SCRIPT)
    assert main(["import", str(path), "--value", "num_epochs=90"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == {
        "scheduler": {"type": "StepLR", "step_size": 30},
        "optimizer": {"type": "SGD", "lr": 0.1},
        "epochs": 90,
        "interval": "epoch",
    }
    assert "format: pytorch" in out.err


def test_import_names_what_is_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "train.py"
    path.write_text(TORCH_SCRIPT)
    assert main(["import", str(path)]) == 2
    assert "values.num_epochs: the text leaves num_epochs open (line 3)" in capsys.readouterr().err
