"""The decision boundary of a 2-D classification run: the model's probability of class 1
on a coarse grid over the training data, for the page to draw as a heatmap under the
training points while the run streams.

The grid's coordinates are rounded first and the model is evaluated at exactly those
rounded points (float32, one batch, row by row: ``z[i][j]`` is at ``(x[j], y[i])``), so
anyone can check a frame by running the model on the coordinates the event carries.
Evaluating changes nothing in the run: the model is put in eval mode (dropout draws no
mask) and back, under ``torch.no_grad()``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from lrscope.training.events import Event

GRID_SIZE = 24  # points along each axis: 576 probabilities a frame
MAX_FRAMES = 50  # boundary events a run may send at most (epoch 0 and the last included)
MAX_POINTS = 500  # training points sent with the start event
MARGIN = 0.1  # of the data's span, added on each side of its bounding box
COORD_DIGITS = 3  # grid coordinates and training points
PROB_DIGITS = 2  # probabilities: 0.01 steps are finer than a heatmap's colours


def frame_every(epochs: int, asked: int | None) -> int:
    """Epochs between two frames: as asked, but never more than MAX_FRAMES a run."""
    return max(asked or 1, math.ceil(epochs / (MAX_FRAMES - 2)))


def is_frame_epoch(epoch: int, epochs: int, every: int) -> bool:
    """Frames at epoch 0 (the initial model), every ``every`` epochs, and the last one."""
    return epoch % every == 0 or epoch == epochs


def _axis(lo: float, hi: float, size: int) -> list[float]:
    span = hi - lo
    return [round(lo + span * i / (size - 1), COORD_DIGITS) for i in range(size)]


def grid_axes(train_x: torch.Tensor, size: int = GRID_SIZE) -> tuple[list[float], list[float]]:
    """The grid's x and y coordinates: the training data's box, widened by MARGIN."""
    lo = train_x.min(dim=0).values.tolist()
    hi = train_x.max(dim=0).values.tolist()
    axes = []
    for a, b in zip(lo, hi, strict=True):
        pad = MARGIN * (b - a) if b > a else 0.5
        axes.append(_axis(a - pad, b + pad, size))
    return axes[0], axes[1]


def grid_inputs(x: list[float], y: list[float]) -> torch.Tensor:
    """The grid points in row order (y outer, x inner), as the model's float32 inputs."""
    return torch.tensor([[a, b] for b in y for a in x], dtype=torch.float32)


def _rounded(p: float) -> float | None:
    return round(p, PROB_DIGITS) if math.isfinite(p) else None


@torch.no_grad()
def predict_grid(model: nn.Module, x: list[float], y: list[float]) -> list[list[float | None]]:
    """P(class 1) at each grid point, rounded; None where the model's output is not finite."""
    was_training = model.training
    model.eval()
    try:
        probs = torch.softmax(model(grid_inputs(x, y)), dim=1)[:, 1].tolist()
    finally:
        model.train(was_training)
    n = len(x)
    return [[_rounded(p) for p in probs[i * n : (i + 1) * n]] for i in range(len(y))]


def boundary_setup(train_x: torch.Tensor, train_y: torch.Tensor, every: int) -> dict[str, Any]:
    """What the start event says once: the grid's axes, the frame interval and the
    training points (the first MAX_POINTS; the data are drawn in random order)."""
    x, y = grid_axes(train_x)
    shown = train_x[:MAX_POINTS].tolist()
    return {
        "every": every,
        "x": x,
        "y": y,
        "points": {
            "x": [round(p[0], COORD_DIGITS) for p in shown],
            "y": [round(p[1], COORD_DIGITS) for p in shown],
            "label": [int(v) for v in train_y[:MAX_POINTS].tolist()],
        },
    }


def boundary_event(model: nn.Module, setup: dict[str, Any], epoch: int, step: int) -> Event:
    """A frame: after ``epoch`` epochs (0: before training), ``step`` the last optimizer
    step taken (-1 before the first)."""
    return {
        "type": "boundary",
        "epoch": epoch,
        "step": step,
        "z": predict_grid(model, setup["x"], setup["y"]),
    }
