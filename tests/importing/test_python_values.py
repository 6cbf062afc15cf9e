"""Reading expressions without running them (``importing/python_values.py``): arithmetic on
numbers as Python does it, names bound earlier, open names by their source, and caps so
that no expression can take long or grow large."""

from __future__ import annotations

import ast
import math
from typing import Any

import pytest

from lrscope.importing.problems import Missing, Unreadable
from lrscope.importing.python_values import Values


def value(source: str, env: dict[str, Any] | None = None, **given: Any) -> Any:
    return Values(env or {}, given).of(ast.parse(source, mode="eval").body)


@pytest.mark.parametrize(
    "source",
    ["3 * 391 // 2", "int(0.1 * 7820)", "math.ceil(50000 / 128) * 90", "2 ** -3", "-(5 % 3)",
     "max(1, 10 - 3) / float(4)", "round(2.675, 2)", "[0.1] * 3", "(1, 2)[1]", "3 if 2 > 1 else 4"],
)  # fmt: skip
def test_arithmetic_is_pythons(source: str) -> None:
    assert value(source) == eval(source, {"math": math})  # Python itself, on trusted text


def test_names_bound_earlier_and_given_values() -> None:
    assert value("epochs * steps", {"epochs": 90, "steps": 391}) == 90 * 391
    assert value("len(train_loader) * 2", **{"len(train_loader)": 5}) == 10
    assert value("args.lr", {"args.lr": 0.5}, **{"args.lr": 0.1}) == 0.1  # values win


def test_open_names_are_named_by_their_source() -> None:
    found = value("num_epochs * len(train_loader) + cfg['warmup']")
    assert isinstance(found, Missing)
    assert list(found.names) == ["num_epochs", "len(train_loader)", "cfg['warmup']"]


@pytest.mark.parametrize(
    "source", ["9 ** 9 ** 9", "10 ** 400 * 1.0", "2.0 ** 5000", "[0] * 10 ** 9", "'a' * 10 ** 9",
               "1 / 0", "math.exp(1000)", "f'{x}'", "[i for i in range(9)]"],
)  # fmt: skip
def test_what_could_be_slow_big_or_wrong_is_unreadable(source: str) -> None:
    assert isinstance(value(source), Unreadable)


def test_shared_lists_cannot_grow_exponentially() -> None:
    env: dict[str, Any] = {}
    values = Values(env, {})
    env["a0"] = values.of(ast.parse("[1, 2]", mode="eval").body)
    for i in range(1, 40):
        env[f"a{i}"] = values.of(ast.parse(f"[a{i - 1}, a{i - 1}]", mode="eval").body)
    assert isinstance(env["a39"], Unreadable)
    assert isinstance(values.of(ast.parse("[a5] * 1000", mode="eval").body), Unreadable)


def test_many_open_names_stay_cheap() -> None:
    found = value(" + ".join(f"x{i}" for i in range(300)))
    assert isinstance(found, Missing) and len(found.names) <= 101
