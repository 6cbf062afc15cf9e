"""The ``if`` conditions around ``scheduler.step()`` (``importing/loop_guards.py``): the
shapes people write and ``codegen/loop.py`` writes, each checked against the script run
with torch; conditions a Loop entry cannot express are a 422 naming their line."""

from __future__ import annotations

from typing import Any

import pytest

from lrscope.errors import SpecError
from tests.importing.test_pytorch_loop import STAND_INS, curve, imported, recorded

HEAD = """
warm = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=4)
decay = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
"""


def loop(condition: str, other: str = "", at: str = "epoch") -> str:
    """``decay`` stepped after each epoch under ``condition``; ``warm`` every step."""
    inner = "        " if at == "step" else "    "
    text = HEAD + "for epoch in range(12):\n"
    text += "    for i, (x, y) in enumerate(loader):\n"
    text += "        step = epoch * len(loader) + i\n"
    text += "        optimizer.step()\n"
    text += "        warm.step()\n" if at == "epoch" and not other else ""
    text += f"{inner}if {condition}:\n{inner}    decay.step()\n"
    if other:
        text += f"{inner}else:\n{inner}    {other}.step()\n"
    return text


def entries(text: str) -> list[dict[str, Any]]:
    spec = imported(STAND_INS + text)["spec"]
    assert curve(spec) == recorded(text)
    return [
        {k: v for k, v in e.items() if k != "scheduler"} for e in spec["scheduler"]["schedulers"]
    ]


@pytest.mark.parametrize(
    ("condition", "want"),
    [
        ("epoch >= 5", {"begin": 5}),
        ("epoch > 4", {"begin": 5}),
        ("5 <= epoch < 9", {"begin": 5, "end": 9}),
        ("epoch < 9 and epoch >= 2", {"begin": 2, "end": 9}),
        ("epoch == 3", {"begin": 3, "end": 4}),
        ("not epoch < 6", {"begin": 6}),
        ("(epoch + 1) % 3 == 0", {"every": 3}),
        ("2 <= epoch and (epoch - 2 + 1) % 3 == 0", {"every": 3, "begin": 2}),  # codegen/loop.py
        ("epoch % 3 == 2", {"every": 3}),
    ],
)
def test_epoch_conditions(condition: str, want: dict[str, Any]) -> None:
    assert entries(loop(condition)) == [{"interval": "step"}, {"interval": "epoch", **want}]


@pytest.mark.parametrize(
    ("condition", "want"),
    [
        ("step >= 20", {"begin": 20}),
        ("0 <= step < 10", {"end": 10}),
        ("(step + 1) % 4 == 0", {"every": 4}),
        ("epoch >= 2", {"begin": 6}),  # inside the batch loop: 2 epochs of 3 steps
    ],
)
def test_step_conditions(condition: str, want: dict[str, Any]) -> None:
    text = loop(condition, at="step") + "    warm.step()\n"
    # entries in the order they are built: warm, then decay
    assert entries(text) == [{"interval": "epoch"}, {"interval": "step", **want}]


def test_else_is_the_complementary_range() -> None:
    assert entries(loop("epoch < 7", other="warm")) == [
        {"interval": "epoch", "begin": 7},
        {"interval": "epoch", "end": 7},
    ]


def test_an_epoch_loop_counting_from_one() -> None:
    text = HEAD + "for epoch in range(1, 13):\n    optimizer.step()\n"
    text += "    if epoch > 6:\n        decay.step()\n    else:\n        warm.step()\n"
    assert entries(text) == [{"interval": "epoch", "end": 6}, {"interval": "epoch", "begin": 6}]


@pytest.mark.parametrize(
    ("condition", "other", "words"),
    [
        ("epoch % 3 == 0", "", "steps at count 0"),
        ("epoch < 3 or epoch > 8", "", "is not a comparison"),
        ("3 <= epoch < 8", "warm", "before and after"),
        ("epoch != 4", "", "NotEq"),
        ("epoch > 8 and epoch < 3", "", "never true"),
        ("epoch * 2 > 8", "", "is not the count plus a number"),
        ("i == 0", "", "batch index"),
    ],
)
def test_conditions_a_loop_cannot_express_are_refused_at_their_line(
    condition: str, other: str, words: str
) -> None:
    text = loop(condition, other)
    with pytest.raises(SpecError) as raised:
        imported(STAND_INS + text)
    (error,) = raised.value.errors
    line = (STAND_INS + text).splitlines().index(f"    if {condition}:") + 1
    assert error["code"] == "import_unreadable" and error["params"]["line"] == str(line)
    assert words in error["msg"]


def counted(before: bool, guard: str = "") -> str:
    """``global_step += 1`` in the batch loop, before or after ``if global_step < 4``."""
    bump = f"        {guard}global_step += 1\n"
    text = HEAD + "global_step = 0\nfor epoch in range(12):\n"
    text += "    for x, y in loader:\n        optimizer.step()\n"
    text += bump if before else ""
    text += "        if global_step < 4:\n            warm.step()\n"
    text += "" if before else bump
    return text + "    decay.step()\n"


@pytest.mark.parametrize(("before", "end"), [(True, 3), (False, 4)])
def test_a_step_counter_the_loop_increments(before: bool, end: int) -> None:
    assert entries(counted(before)) == [{"interval": "step", "end": end}, {"interval": "epoch"}]


def test_a_counter_incremented_under_an_if_is_refused_not_ignored() -> None:
    with pytest.raises(SpecError) as raised:
        imported(STAND_INS + counted(True, guard="if x is not None: "))
    assert "a name the loop changes" in raised.value.errors[0]["msg"]


def test_one_scheduler_stepped_at_two_places_is_refused_at_the_second() -> None:
    text = loop("epoch < 4") + "    if epoch >= 8:\n        decay.step()\n"
    with pytest.raises(SpecError) as raised:
        imported(STAND_INS + text)
    (error,) = raised.value.errors
    assert "two places" in error["msg"]
    assert error["params"]["line"] == str(len((STAND_INS + text).splitlines()))


# A published SWA loop (a Kaggle-style training function found by code search): the
# scheduler's own step is chosen by isinstance inside the else of `epoch > swa_start`.
SWA_ISINSTANCE = """
from torch.optim.lr_scheduler import CosineAnnealingLR, ReduceLROnPlateau
scheduler = CosineAnnealingLR(optimizer, T_max=10)
swa_scheduler = torch.optim.swa_utils.SWALR(optimizer, swa_lr=1e-3)
swa_start = 9
avg_val_loss = 0.5
for epoch in range(15):
    for x, y in loader:
        optimizer.step()
    if epoch > swa_start:
        swa_scheduler.step()
    else:
        if isinstance(scheduler, ReduceLROnPlateau):
            scheduler.step(avg_val_loss)
        elif isinstance(scheduler, CosineAnnealingLR):
            scheduler.step()
"""


def test_isinstance_branches_of_one_scheduler_are_one_entry() -> None:
    assert entries(SWA_ISINSTANCE) == [
        {"interval": "epoch", "end": 10},
        {"interval": "epoch", "begin": 10},
    ]


def test_built_in_one_order_and_stepped_in_the_other_at_one_count_is_refused() -> None:
    text = HEAD + "for epoch in range(12):\n    optimizer.step()\n"
    text += "    if epoch >= 3:\n        decay.step()\n    warm.step()\n"
    with pytest.raises(SpecError) as raised:
        imported(STAND_INS + text)
    assert "builds and steps them in one order" in raised.value.errors[0]["msg"]
