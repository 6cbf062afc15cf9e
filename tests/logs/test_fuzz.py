"""Any text parses to series or is refused with one error item naming the log: never
another exception (a 500) or a hang. Mutations of real logs reach deep into each parser."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from lrscope.errors import SpecError
from lrscope.logs import parse_log
from lrscope.logs.series import FORMATS
from tests.logs.test_formats import LIGHTNING, TB_CSV, TB_JSON, WANDB

HF = json.dumps({"log_history": [{"loss": 2.3, "learning_rate": 5e-05, "epoch": 0.1,
                                  "step": 10}, {"train_runtime": 1.0, "step": 10}]},
                indent=2)  # fmt: skip
SEEDS = [HF, TB_CSV, TB_JSON, WANDB, LIGHTNING]


def _check(text: str, fmt: str = "auto") -> None:
    try:
        run = parse_log(text, fmt)
    except SpecError as exc:
        assert exc.errors and all(e["loc"][0] == "log" for e in exc.errors)
        return
    assert run.lr.step == sorted(set(run.lr.step)) and len(run.lr.value) == len(run.lr.step)
    json.dumps(run.to_json(), allow_nan=False)  # the API can send it


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 8)))
        text = (
            text[:i]
            + draw(st.text(st.sampled_from('0123456789.,-e"[]{}:\n nan'), max_size=6))
            + text[j:]
        )
    return text


@settings(max_examples=300, deadline=None)
@given(mutated(), st.sampled_from(("auto", *FORMATS)))
def test_mutated_real_logs_parse_or_are_refused(text: str, fmt: str) -> None:
    _check(text, fmt)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_is_refused(text: str) -> None:
    _check(text)
