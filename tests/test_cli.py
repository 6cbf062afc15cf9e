"""`lrscope eval` prints curves, `lrscope compare` a logged run against one; a bad field
exits 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lrscope import evaluate
from lrscope.cli import main
from lrscope.logs import compare_log
from tests.helpers.hf_runs import hf_spec, train_and_save

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


def _hf_run(tmp_path: Path, **run: object) -> tuple[str, str]:
    log = train_and_save(tmp_path, **run)  # type: ignore[arg-type]
    return write_spec(tmp_path, hf_spec("linear", 10, 60)), str(log)


def test_compare_exits_0_when_the_log_agrees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *_hf_run(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("agree: 12 of 12 logged points")


def test_compare_exits_1_and_prints_the_diagnosis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", *_hf_run(tmp_path, scheduler_steps_per_step=4)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("differ: 1 of 12")
    assert out[1] == "first divergence: step 5: logged 0.0004, predicted 0.00025"
    assert out[2].startswith("diagnosis: The scheduler was stepped 4 times per optimizer step")


def test_compare_json_is_the_python_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, log = _hf_run(tmp_path)
    assert main(["compare", spec, log, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == compare_log(hf_spec("linear", 10, 60), Path(log).read_text())


def test_compare_exits_2_on_a_bad_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, log = _hf_run(tmp_path)
    # as HF writes it (indent=2): the entry opens on line 3
    Path(log).write_text(json.dumps({"log_history": [{"step": "x", "learning_rate": 1}]}, indent=2))
    assert main(["compare", spec, log]) == 2
    assert "log.text: line 3: log_history[0].step must be a whole number" in capsys.readouterr().err
    assert main(["compare", spec, str(tmp_path / "missing.json")]) == 2
