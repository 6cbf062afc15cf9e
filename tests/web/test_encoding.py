"""Encoding (``web/encoding.py``) gives what ``json.dumps`` gives, value for value,
for the shapes /api/schedule answers (dicts, lists of dicts, long lists, numpy arrays)."""

from __future__ import annotations

import json

import numpy as np

from lrscope.engine import evaluate
from lrscope.web.encoding import encode

N = 100_007  # points: long lists and arrays, as exact answers have


def test_long_lists_and_arrays_round_trip() -> None:
    n = N
    value = {
        "a": [0.1 * i for i in range(n)],
        "b": np.arange(n) / 3,
        "groups": [{"lr": [1e-300, 5e-324, 1.7976931348623157e308] * (n // 3)}],
        "empty": [],
        "text": 'ünïcode "quoted"',
        "none": None,
    }
    decoded = json.loads(encode(value))
    assert decoded["a"] == value["a"]
    assert decoded["b"] == value["b"].tolist()
    assert decoded["groups"] == value["groups"]
    assert decoded["empty"] == [] and decoded["text"] == value["text"] and decoded["none"] is None


def test_an_exact_answer_encodes_as_json_dumps_does() -> None:
    result = evaluate({"scheduler": {"type": "OneCycleLR", "max_lr": 0.1}, "epochs": N,
                       "max_points": 0})  # fmt: skip
    assert json.loads(encode(result)) == json.loads(json.dumps(result))
