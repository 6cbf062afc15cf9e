"""The decision boundary of 2-D classification runs (``training/boundary.py``): frames are
the model's own predictions at the grid the start event names, sent per the throttle, only
for 2-D tasks, without changing the run's numbers, and stored with the run."""

from __future__ import annotations

import copy
import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest
import torch
from fastapi.testclient import TestClient

from lrscope.catalog import default_catalog
from lrscope.errors import SpecError
from lrscope.settings import Limits
from lrscope.training import boundary, loop
from lrscope.training.loop import run_to_end
from lrscope.training.spec import TrainingPlan, parse_train_spec, resolve_train
from lrscope.training.tasks import make_dataset
from lrscope.web.app import create_app
from tests.helpers.jobs import job_settings, read_to_done

STEP = {"type": "StepLR", "step_size": 3, "gamma": 0.5}
SMALL = {"name": "spirals", "train_size": 64, "val_size": 64}


def plan(**spec: Any) -> TrainingPlan:
    full = {"scheduler": STEP, "epochs": 4, "task": SMALL, "batch_size": 16, **spec}
    return resolve_train(parse_train_spec(full), default_catalog(), Limits())


def of_type(kind: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def without_frames(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in e.items() if k != "boundary"} for e in events if e["type"] != "boundary"
    ]


def test_each_frame_is_the_models_own_forward_pass_at_the_grid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every frame equals, to its two digits, softmax(model(x, y))[1] computed here from
    the start event's coordinates with the model as it was when the frame was sent."""
    seen: list[tuple[torch.nn.Module, dict[str, Any]]] = []

    def recording(model: torch.nn.Module, setup: dict[str, Any], epoch: int, step: int) -> Any:
        event = boundary.boundary_event(model, setup, epoch, step)
        seen.append((copy.deepcopy(model), event))
        return event

    monkeypatch.setattr(loop, "boundary_event", recording)
    events = run_to_end(plan(regularization={"dropout": 0.3}, model={"width": 8}))
    grid = events[0]["boundary"]
    xs, ys = grid["x"], grid["y"]
    assert len(xs) == len(ys) == boundary.GRID_SIZE
    assert [e for _, e in seen] == of_type("boundary", events) and len(seen) == 5
    for model, event in seen:
        model.eval()
        # Built independently of the module: row i is y[i], column j is x[j].
        points = torch.tensor([[xs[j], ys[i]] for i in range(len(ys)) for j in range(len(xs))])
        with torch.no_grad():
            p = torch.softmax(model(points), dim=1)[:, 1].tolist()
        expected = [[round(p[i * len(xs) + j], 2) for j in range(len(xs))] for i in range(len(ys))]
        assert event["z"] == expected
    first, last = seen[0][1]["z"], seen[-1][1]["z"]
    assert first != last  # the model learned something between epoch 0 and the end


def test_the_grid_covers_the_training_data_with_a_margin() -> None:
    p = plan()
    start = run_to_end(p)[0]
    data = make_dataset(p)
    grid = start["boundary"]
    lo, hi = data.train_x.min(dim=0).values.tolist(), data.train_x.max(dim=0).values.tolist()
    for axis, a, b in ((grid["x"], lo[0], hi[0]), (grid["y"], lo[1], hi[1])):
        assert axis == sorted(axis) and len(set(axis)) == len(axis)
        assert axis[0] < a - 0.05 * (b - a) and axis[-1] > b + 0.05 * (b - a)
    points = grid["points"]
    assert points["label"] == data.train_y.tolist()
    assert points["x"] == [round(v, 3) for v in data.train_x[:, 0].tolist()]
    assert points["y"] == [round(v, 3) for v in data.train_x[:, 1].tolist()]


def test_training_points_are_capped() -> None:
    p = plan(task={"name": "moons", "train_size": 900, "val_size": 16}, epochs=1, batch_size=300)
    points = run_to_end(p)[0]["boundary"]["points"]
    assert len(points["x"]) == len(points["y"]) == len(points["label"]) == boundary.MAX_POINTS
    assert set(points["label"]) == {0, 1}


def test_frames_follow_the_throttle() -> None:
    events = run_to_end(plan(epochs=10, boundary_every=3))
    assert events[0]["boundary"]["every"] == 3
    frames = of_type("boundary", events)
    assert [f["epoch"] for f in frames] == [0, 3, 6, 9, 10]
    assert [f["step"] for f in frames] == [-1, 11, 23, 35, 39]  # 4 steps an epoch
    # Each frame comes right after its epoch's metrics event.
    for f in frames[1:]:
        before = events[events.index(f) - 1]
        assert before["type"] == "metrics" and before["epoch"] == f["epoch"]


@pytest.mark.parametrize("epochs", [1, 2, 47, 48, 49, 97, 100, 101, 999, 2000])
def test_a_run_never_sends_more_than_max_frames(epochs: int) -> None:
    for asked in (None, 1, 7):
        every = boundary.frame_every(epochs, asked)
        frames = [e for e in range(epochs + 1) if boundary.is_frame_epoch(e, epochs, every)]
        assert frames[0] == 0 and frames[-1] == epochs
        assert len(frames) <= boundary.MAX_FRAMES
        assert every >= (asked or 1)


def test_the_default_is_every_epoch_on_short_runs() -> None:
    events = run_to_end(plan(epochs=3))
    assert [f["epoch"] for f in of_type("boundary", events)] == [0, 1, 2, 3]


def test_an_early_stopped_run_ends_with_the_frame_of_its_last_epoch() -> None:
    events = run_to_end(
        plan(epochs=60, boundary_every=50, regularization={"early_stopping": {"patience": 1}})
    )
    stop = of_type("early_stop", events)[0]
    assert stop["epoch"] < 50
    assert [f["epoch"] for f in of_type("boundary", events)] == [0, stop["epoch"]]
    assert events.index(of_type("boundary", events)[-1]) == events.index(stop) - 1


def test_drawing_the_boundary_changes_none_of_the_runs_numbers() -> None:
    spec = {"regularization": {"dropout": 0.2, "input_noise": 0.1}, "epochs": 5}
    on = run_to_end(plan(**spec))
    off = run_to_end(plan(**spec, boundary=False))
    assert of_type("boundary", on) and not of_type("boundary", off)
    assert off[0]["boundary"] is None
    assert without_frames(on) == without_frames(off)


def test_sine_regression_has_no_boundary() -> None:
    events = run_to_end(plan(task={"name": "sine", "train_size": 32, "val_size": 32}))
    assert events[0]["boundary"] is None
    assert of_type("boundary", events) == []
    with pytest.raises(SpecError) as refused:
        plan(task={"name": "sine"}, boundary=True)
    (issue,) = refused.value.errors
    assert issue["loc"] == ["boundary"] and issue["code"] == "boundary_needs_2d"


@pytest.mark.parametrize("task", ["moons", "overfit"])
def test_the_moons_tasks_draw_one_too(task: str) -> None:
    events = run_to_end(plan(task={"name": task}, epochs=2, batch_size=40))
    assert len(of_type("boundary", events)) == 3


def late_change(events: list[dict[str, Any]]) -> float:
    """Mean change of P(class 1) per grid point between successive frames, second half."""
    z = [f["z"] for f in of_type("boundary", events)]
    half = z[len(z) // 2 :]
    steps = [
        sum(abs(a - b) for ra, rb in zip(f, g, strict=True) for a, b in zip(ra, rb, strict=True))
        / (len(f) * len(f[0]))
        for f, g in itertools.pairwise(half)
    ]
    return sum(steps) / len(steps)


def test_a_high_constant_lr_thrashes_and_a_decayed_one_settles() -> None:
    """What the page shows a class, in numbers (spirals, SGD 0.3 momentum 0.9, 40 epochs):
    late in the run the boundary keeps moving under the constant rate, hardly under cosine."""
    common = {
        "task": {"name": "spirals"},
        "optimizer": {"type": "SGD", "lr": 0.3, "momentum": 0.9},
        "epochs": 40,
        "batch_size": 16,
    }
    thrash = late_change(
        run_to_end(plan(**common, scheduler={"type": "LambdaLR", "lr_lambda": "1"}))
    )
    settle = late_change(
        run_to_end(plan(**common, scheduler={"type": "CosineAnnealingLR", "T_max": 40}))
    )
    assert thrash > 2 * settle, (thrash, settle)


def test_a_diverged_model_gives_nulls_not_nan() -> None:
    model = torch.nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.fill_(math.inf)
    z = boundary.predict_grid(model, [0.0, 1.0], [-1.0, 0.5, 2.0])
    assert len(z) == 3 and all(len(row) == 2 for row in z)
    assert None in z[0] + z[1] + z[2]
    json.dumps(z, allow_nan=False)


def test_a_default_page_run_adds_a_bounded_number_of_bytes() -> None:
    """The page's default run (overfit, StepLR(30), 100 epochs): its boundary (grid, points
    and frames) stays a small part of the run's events."""
    p = plan(
        task={"name": "overfit"},
        scheduler={"type": "StepLR", "step_size": 30},
        optimizer={"type": "SGD", "lr": 0.1, "momentum": 0.9},
        epochs=100,
        batch_size=8,
    )
    events = run_to_end(p)
    size = len(json.dumps([e for e in events if e["type"] != "boundary"], separators=(",", ":")))
    frames = json.dumps(of_type("boundary", events), separators=(",", ":"))
    setup = json.dumps(events[0]["boundary"], separators=(",", ":"))
    assert len(of_type("boundary", events)) == 35  # every 3 epochs, and the last
    assert len(frames) + len(setup) < 120_000, (len(frames), len(setup), size)


def test_a_saved_run_keeps_its_frames(tmp_path: Path) -> None:
    spec = {"scheduler": STEP, "epochs": 3, "task": SMALL, "batch_size": 32}
    with TestClient(create_app(job_settings(tmp_path))) as client:
        job = client.post("/api/jobs", json=spec).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            streamed = read_to_done(ws)
        saved = client.get(f"/api/jobs/{job}").json()
    frames = of_type("boundary", streamed)
    assert saved["start"]["boundary"] == of_type("start", streamed)[0]["boundary"]
    assert saved["series"]["boundary"] == {
        "epoch": [0, 1, 2, 3],
        "step": [f["step"] for f in frames],
        "z": [f["z"] for f in frames],
    }
