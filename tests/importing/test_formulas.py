"""Lambdas -> formulas (``importing/formulas.py``): names bound earlier become their numbers
(so the formula computes what the lambda did, bit for bit), open names are asked for, and
anything the formula language refuses is refused at the lambda's line."""

from __future__ import annotations

import math

import pytest

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate
from lrscope.errors import SpecError
from lrscope.importing import import_text
from lrscope.settings import Limits


def lr_lambda(text: str, **values: object) -> object:
    spec = import_text(text, values, default_catalog(), Limits())["spec"]
    return spec["scheduler"]["lr_lambda"]


def test_constants_bound_earlier_are_folded_in() -> None:
    text = "warmup = 500\ntotal = 10 * warmup\n"
    text += "s = LambdaLR(opt, lambda step: min(1.0, (step + 1) / warmup) * (1 - step / total))"
    assert lr_lambda(text) == "lambda step: min(1.0, (step + 1) / 500) * (1 - step / 5000)"


def test_a_negative_constant_keeps_its_meaning() -> None:
    # -2 ** 2 would be -4: the folded constant must stay (-2) ** 2 = 4
    text = "k = -2\ns = LambdaLR(opt, lambda epoch: k ** 2 / 10)"
    formula = lr_lambda(text)
    spec = {"scheduler": {"type": "LambdaLR", "lr_lambda": formula}, "epochs": 2}
    assert evaluate(spec)["groups"][0]["lr"][0] == 0.1 * ((-2) ** 2 / 10)


def test_the_source_is_kept_when_nothing_is_folded() -> None:
    assert lr_lambda("s = LambdaLR(opt, lambda epoch: 0.95**epoch)") == "0.95**epoch"


def test_a_one_line_def_is_a_formula() -> None:
    text = "def warm(epoch):\n    '''Linear warmup.'''\n    return min(1, (epoch + 1) / 5)\n"
    text += "s = LambdaLR(opt, lr_lambda=warm)"
    assert lr_lambda(text) == "min(1, (epoch + 1) / 5)"


def test_math_functions_stay_and_values_fill_open_names() -> None:
    text = "s = LambdaLR(opt, lambda e: 0.5 * (1 + math.cos(math.pi * e / args.epochs)))"
    with pytest.raises(SpecError) as raised:
        lr_lambda(text)
    assert [e["loc"] for e in raised.value.errors] == [["values", "args.epochs"]]
    formula = lr_lambda(text, **{"args.epochs": 90})
    assert formula == "lambda e: 0.5 * (1 + math.cos(math.pi * e / 90))"
    spec = {"scheduler": {"type": "LambdaLR", "lr_lambda": formula}, "epochs": 3}
    assert evaluate(spec)["groups"][0]["lr"][1] == 0.1 * (0.5 * (1 + math.cos(math.pi * 1 / 90)))


@pytest.mark.parametrize(
    "body",
    ["__import__('os').system('x')", "open('f').read()", "eval('1')", "e.__class__", "[e][0]"],
)
def test_what_formulas_cannot_do_is_refused_at_the_line(body: str) -> None:
    with pytest.raises(SpecError) as raised:
        lr_lambda(f"x = 1\ns = LambdaLR(opt, lambda e: {body})")
    (error,) = raised.value.errors
    assert error["code"] == "import_unreadable" and error["params"]["line"] == "2"
