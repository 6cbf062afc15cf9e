"""Each log format as its tool writes it, and malformed files refused at their line/field.

Headers follow the tools' own sources and docs:
- TensorBoard's scalar dashboard "download CSV" writes ``Wall time,Step,Value`` and
  "download JSON" ``[[wall_time, step, value], ...]`` (tensorboard/plugins/scalar,
  ``scalars_plugin.py``: ``OutputFormat.CSV`` writes that header).
- W&B's panel "Export CSV": ``"Step","<run> - <key>","<run> - <key>__MIN","<run> - <key>__MAX"``
  (the __MIN/__MAX companions: wandb/wandb#5349); HF's WandbCallback logs ``train/learning_rate``
  and ``train/global_step``.
- Lightning's ``CSVLogger`` ``metrics.csv``: one row per ``log_metrics`` call with every key
  seen as a column (sparse rows), ``step`` written by the logger; ``LearningRateMonitor``
  names its keys ``lr-<Optimizer class>`` (``lr-AdamW/pg1`` per group, ``-momentum``)
  (lightning/pytorch/callbacks/lr_monitor.py, lightning/fabric/loggers/csv_logs.py).
"""

from __future__ import annotations

import json

import pytest

from lrscope.errors import SpecError
from lrscope.logs import detect_format, parse_log
from lrscope.settings import Limits

TB_CSV = "Wall time,Step,Value\n1700000000.5,0,0.10000000149011612\n1700000001.5,1,0.0999\n"
TB_JSON = "[[1700000000.5, 0, 0.10000000149011612], [1700000001.5, 1, 0.0999]]"
WANDB = (
    '"Step","bert-run - train/learning_rate","bert-run - train/learning_rate__MIN",'
    '"bert-run - train/learning_rate__MAX"\n'
    '"0","0.0001","0.0001","0.0001"\n"1","9e-05","9e-05","9e-05"\n'
)
LIGHTNING = (
    "epoch,lr-AdamW,lr-AdamW-momentum,step,train_loss,val_loss\n"
    "0,0.001,0.9,0,,\n0,,,0,2.31,\n0,0.0009,0.9,1,,\n0,,,1,2.10,\n0,,,1,,2.5\n"
)


@pytest.mark.parametrize(
    ("text", "fmt", "name", "steps", "values"),
    [
        (TB_CSV, "tensorboard_csv", "Value", [0, 1], [0.10000000149011612, 0.0999]),
        (TB_JSON, "tensorboard_json", "value", [0, 1], [0.10000000149011612, 0.0999]),
        (WANDB, "wandb_csv", "bert-run - train/learning_rate", [0, 1], [1e-4, 9e-5]),
        (LIGHTNING, "lightning_csv", "lr-AdamW", [0, 1], [1e-3, 9e-4]),
    ],
)
def test_each_format_is_detected_and_read(
    text: str, fmt: str, name: str, steps: list[int], values: list[float]
) -> None:
    assert detect_format(text) == fmt
    run = parse_log(text)
    assert (run.format, run.lr.name, run.lr.step, run.lr.value) == (fmt, name, steps, values)
    assert parse_log(text, fmt) == run


def test_lightning_keeps_the_training_loss_beside_the_rate() -> None:
    run = parse_log(LIGHTNING)
    assert run.loss is not None and (run.loss.name, run.loss.value) == ("train_loss", [2.31, 2.1])


def test_wandb_prefers_hf_global_step_to_its_own_step() -> None:
    text = ('"Step","r - train/global_step","r - train/learning_rate"\n'
            '"3","10","0.5"\n"7","20","0.25"\n')  # fmt: skip
    assert parse_log(text).lr.step == [10, 20]


def test_a_trainer_state_skips_eval_entries_and_keeps_nan_losses_as_null() -> None:
    text = json.dumps({"log_history": [
        {"loss": float("nan"), "learning_rate": 0.1, "epoch": 0.5, "step": 5},
        {"eval_loss": 1.0, "epoch": 0.5, "step": 5},
        {"train_runtime": 1.0, "step": 10}]}, indent=2)  # fmt: skip
    run = parse_log(text)
    assert run.lr.step == [5] and run.loss is not None and run.loss.value == [None]


def _refusal(text: str, fmt: str = "auto", limits: Limits | None = None) -> dict[str, object]:
    with pytest.raises(SpecError) as raised:
        parse_log(text, fmt, limits)
    (item,) = raised.value.errors
    return item


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        (
            '{"log_history": [\n  {"step": 1,\n "learning_rate": }]}',
            "log_not_json",
            {"line": "3", "column": "19"},
        ),
        ('{"global_step": 3}', "log_history_missing", {}),
        (
            '{\n  "log_history": [\n    {\n      "learning_rate": "fast",\n      "step": 5\n    }\n'
            "  ]\n}",
            "log_value_not_number",
            {"line": "3", "field": "log_history[0].learning_rate"},
        ),
        (
            '{"log_history": [{"learning_rate": 0.1, "step": -1}]}',
            "log_step_invalid",
            {"field": "log_history[0].step"},
        ),
        (
            '{"log_history": [{"learning_rate": 0.1}]}',
            "log_field_missing",
            {"field": "log_history[0].step"},
        ),
        ('{"log_history": [3]}', "log_entry_not_object", {"field": "log_history[0]"}),
        ('{"log_history": [{"loss": 1.0, "step": 1}]}', "log_no_lr", {}),
        (
            "Wall time,Step,Value\n1.0,0,0.1\n1.0,2.5,0.1\n",
            "log_step_invalid",
            {"line": "3", "field": "Step"},
        ),
        (
            "Wall time,Step,Value\n1.0,0,0.1\n1.0,1\n",
            "log_csv_row_length",
            {"line": "3", "count": "2", "expected": "3"},
        ),
        ("epoch,step,val_loss\n0,0,1.0\n", "log_csv_column_missing", {"wanted": "an lr-* column"}),
        ("Wall time,Step,Value\n1.0,0,inf\n", "log_value_not_number", {"line": "2"}),
        ('Wall time,Step,Value\n1.0,0,"0.1\n', "log_csv_invalid", {}),
        ("[[1.0, 0]]", "log_tensorboard_json_shape", {"field": "[0]"}),
        ("just words\n", "log_format_unknown", {}),
    ],
)
def test_a_malformed_log_is_refused_at_its_line_and_field(
    text: str, code: str, params: dict[str, str]
) -> None:
    item = _refusal(text)
    assert item["code"] == code and item["loc"] == ["log", "text"], item
    assert params.items() <= item["params"].items(), item  # type: ignore[attr-defined]


def test_the_caps_on_bytes_and_rows() -> None:
    small = Limits(max_log_bytes=100, max_log_rows=3)
    assert _refusal("x" * 101, limits=small)["code"] == "log_too_large"
    rows = "Wall time,Step,Value\n" + "1.0,0,0.1\n" * 5
    assert _refusal(rows, limits=small)["code"] == "log_too_many_rows"
    hist = json.dumps({"log_history": [{}] * 4})
    assert _refusal(hist, limits=small)["code"] == "log_too_many_rows"


def test_an_unknown_format_name_is_refused_at_format() -> None:
    item = _refusal(TB_CSV, "excel")
    assert (item["code"], item["loc"]) == ("not_in_choices", ["log", "format"])


def test_deep_json_is_refused_not_a_crash() -> None:
    assert _refusal("[" * 100_000)["code"] == "log_not_json"


def test_a_csv_refusal_names_the_file_line_past_blank_lines() -> None:
    text = "Wall time,Step,Value\n\n1.0,0,0.1\n\n\n1.0,1,x\n"
    item = _refusal(text)
    assert (item["code"], item["params"]["line"]) == ("log_value_not_number", "6")
