"""The Loop composite's validation (``validation/loop.py``): each entry field refused at its
own loc, the entry's scheduler checked like any scheduler below ``[..., i, "scheduler"]``,
the run-level interval refused, and the warnings of entries that collide or never step.
The field rules are those of DESIGN.md, "Contracts added in v1.1"."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers.http import detail_of
from tests.helpers.runs import assert_refused_at, errors_of, resolve, run

LIN = {"type": "LinearLR", "start_factor": 0.01, "total_iters": 50}
# The contract's own example (DESIGN.md), shortened to a run of 10 epochs of 20 steps.
EXAMPLE: dict[str, Any] = {
    "type": "Loop",
    "schedulers": [
        {"scheduler": LIN, "interval": "step", "every": 1, "begin": 0, "end": 50},
        {
            "scheduler": {"type": "ReduceLROnPlateau", "patience": 2},
            "interval": "epoch",
            "begin": 3,
        },
    ],
}
AT = ["scheduler", "schedulers", 0]


def loop(**entry: Any) -> dict[str, Any]:
    return {"type": "Loop", "schedulers": [{"scheduler": LIN, "interval": "step", **entry}]}


def test_the_contract_example_resolves_with_its_defaults() -> None:
    r = resolve(run(EXAMPLE, steps_per_epoch=20, metric={"values": [1.0] * 9}))
    assert r.interval == "step" and r.loop is not None
    (a, b) = r.loop
    assert (a.interval, a.every, a.begin, a.end) == ("step", 1, 0, 50)
    assert (b.interval, b.every, b.begin, b.end) == ("epoch", 1, 3, None)  # defaults filled
    assert r.metric == [1.0] * 9  # epochs 0..8 are stepped on (the last one changes nothing)
    assert r.warnings == []  # LinearLR ends at step 49, the plateau starts after step 79


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ({"interval": "batch"}, "interval", "must be one of 'epoch', 'step'"),
        ({"every": 0}, "every", "must be at least 1"),
        ({"every": 1.5}, "every", "whole number"),
        ({"every": True}, "every", "whole number"),
        ({"begin": -1}, "begin", "must be at least 0"),
        ({"begin": "3"}, "begin", "whole number"),
        ({"begin": 5, "end": 5}, "end", "greater than begin (5)"),
        ({"end": 0}, "end", "greater than begin (0)"),
        ({"frequency": 2}, "frequency", "is not a field here"),
    ],
)
def test_each_entry_field_is_refused_at_its_loc(
    entry: dict[str, Any], field: str, words: str
) -> None:
    assert_refused_at(run(loop(**entry)), [*AT, field], words)


def test_whole_number_floats_are_taken_as_integers() -> None:
    r = resolve(run(loop(every=2.0, begin=1.0, end=7.0)))
    assert r.loop is not None and (r.loop[0].every, r.loop[0].begin, r.loop[0].end) == (2, 1, 7)


def test_interval_is_required_in_each_entry() -> None:
    spec = run({"type": "Loop", "schedulers": [{"scheduler": LIN}]})
    assert_refused_at(spec, [*AT, "interval"], "is required in each Loop entry")
    spec = run({"type": "Loop", "schedulers": [{"interval": "epoch"}]})
    assert_refused_at(spec, [*AT, "scheduler"], "the spec of the scheduler")


def test_the_entry_scheduler_is_checked_at_its_own_loc() -> None:
    bad = loop()
    bad["schedulers"][0]["scheduler"] = {"type": "StepLR", "step_size": 0}
    assert_refused_at(run(bad), [*AT, "scheduler", "step_size"], "must be at least 1")
    nested = {"type": "SequentialLR", "milestones": [2, 3], "schedulers": [LIN, LIN]}
    bad["schedulers"][0]["scheduler"] = nested
    (e,) = errors_of(run(bad))
    assert e["loc"] == [*AT, "scheduler", "milestones"]


def test_composites_are_entries_too() -> None:
    seq = {
        "type": "SequentialLR",
        "milestones": [5],
        "schedulers": [LIN, {"type": "ExponentialLR", "gamma": 0.9}],
    }
    r = resolve(run({"type": "Loop", "schedulers": [{"scheduler": seq, "interval": "epoch"}]}))
    assert r.loop is not None and [c.info.name for c in r.loop[0].scheduler.children] == [
        "LinearLR",
        "ExponentialLR",
    ]


@pytest.mark.parametrize("raw", [[], "x", None, [3]])
def test_the_entry_list_must_hold_entries(raw: Any) -> None:
    (e,) = errors_of(run({"type": "Loop", "schedulers": raw}))
    assert e["loc"][:2] == ["scheduler", "schedulers"]


def test_a_run_level_interval_is_refused_with_a_loop() -> None:
    assert_refused_at(
        run(loop(), interval="step"), ["interval"], "each entry states its own interval"
    )


def test_only_schedulers_is_a_field_of_the_loop() -> None:
    spec = run({**loop(), "milestones": [3]})
    assert_refused_at(spec, ["scheduler", "milestones"], "is not a field here")


def test_an_entry_that_never_steps_is_a_warning() -> None:
    r = resolve(run(loop(begin=10)))  # 10 steps: step 9 is the last, nothing after it counts
    assert any("Loop entry 0 (LinearLR) is never stepped" in w for w in r.warnings)
    assert not any("never stepped" in w for w in resolve(run(loop(begin=8))).warnings)


def test_entries_active_on_the_same_steps_are_a_warning() -> None:
    spec = run(
        {"type": "Loop", "schedulers": [
            {"scheduler": LIN, "interval": "step", "end": 30},
            {"scheduler": {"type": "MultiStepLR", "milestones": [3]}, "interval": "epoch"},
        ]},
        steps_per_epoch=10,
    )  # fmt: skip
    warnings = resolve(spec).warnings
    assert any("entries 0 (LinearLR) and 1 (MultiStepLR)" in w and "step 9 " in w for w in warnings)
    spec["scheduler"]["schedulers"][1]["begin"] = 3  # epoch 3 ends after step 39: no overlap
    assert not any("both stepped" in w for w in resolve(spec).warnings)


def test_a_plateau_entry_without_a_metric_warns_and_uses_the_synthetic_one() -> None:
    spec = run({"type": "Loop", "schedulers": [EXAMPLE["schedulers"][1]]})
    r = resolve(spec)
    assert any("synthetic metric" in w for w in r.warnings)
    assert r.metric is not None and len(r.metric) == 9


def test_given_metric_values_must_cover_the_plateau_entry() -> None:
    spec = run({"type": "Loop", "schedulers": [{**EXAMPLE["schedulers"][1], "interval": "step"}]},
               steps_per_epoch=3, metric={"values": [1.0] * 10})  # fmt: skip
    assert_refused_at(spec, ["metric", "values"], "has 10 values")
    spec["scheduler"]["schedulers"][0]["end"] = 11  # stepped at steps 3..10: 11 values needed
    assert_refused_at(spec, ["metric", "values"], "has 10 values")
    spec["scheduler"]["schedulers"][0]["end"] = 10
    assert resolve(spec).metric == [1.0] * 10


def test_the_work_of_all_entries_is_capped_together(client: TestClient) -> None:
    entry = {"scheduler": {"type": "ExponentialLR", "gamma": 0.999}, "interval": "step"}
    two = {"type": "SGD", "lr": 0.1, "param_groups": [{}, {}]}
    body = {"scheduler": {"type": "Loop", "schedulers": [entry] * 3}, "epochs": 1000,
            "steps_per_epoch": 1000, "optimizer": two}  # fmt: skip
    detail = detail_of(client.post("/api/schedule", json=body))
    assert [d["loc"] for d in detail] == [["body", "epochs"]]
    assert detail[0]["code"] == "too_much_work"


def test_errors_are_rooted_at_the_body_over_http(client: TestClient) -> None:
    detail = detail_of(client.post("/api/schedule", json=run(loop(every=0))))
    assert [d["loc"] for d in detail] == [["body", "scheduler", "schedulers", 0, "every"]]


def test_a_setup_gives_a_loop_its_run_length() -> None:
    # 1,000 samples in batches of 10 on one device: 100 optimizer steps an epoch, 3 epochs.
    setup = {"dataset_size": 1000, "batch_size": 10, "epochs": 3}
    spec = {"scheduler": EXAMPLE, "setup": setup, "metric": {"values": [1.0] * 3}}
    r = resolve(spec)
    assert (r.epochs, r.steps_per_epoch, r.total_steps) == (3, 100, 300)
    assert r.setup is not None and r.setup.total_steps == 300


def test_a_setup_stopping_mid_epoch_is_refused_for_a_loop() -> None:
    # HF's max_steps stops part way through the third epoch; a Loop runs whole epochs.
    setup = {"dataset_size": 1000, "batch_size": 10, "max_steps": 250, "framework": "hf"}
    assert_refused_at(
        {"scheduler": EXAMPLE, "setup": setup}, ["setup", "max_steps"], "runs whole epochs"
    )
