"""Tiny datasets generated in code from a seed, and the small MLP that learns them.

Every random draw (data, initial weights, dropout masks, shuffling, input noise) comes
from a ``torch.Generator`` owned by the run, so a run is reproducible even when other
code in the same process uses torch's global generator.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Protocol

import torch
from torch import nn

from lrscope.training.spec import TrainSpec


class TaskShape(Protocol):
    """What the data and the model are made from: a training plan or a range test's."""

    @property
    def spec(self) -> TrainSpec: ...
    @property
    def task(self) -> str: ...
    @property
    def inputs(self) -> int: ...
    @property
    def outputs(self) -> int: ...
    @property
    def train_size(self) -> int: ...
    @property
    def val_size(self) -> int: ...
    @property
    def noise(self) -> float: ...
    @property
    def width(self) -> int: ...
    @property
    def depth(self) -> int: ...


@dataclass(frozen=True)
class Dataset:
    train_x: torch.Tensor
    train_y: torch.Tensor
    val_x: torch.Tensor
    val_y: torch.Tensor


def _spirals(n: int, noise: float, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved spirals, one turn each, radius up to 1."""
    labels = torch.randint(0, 2, (n,), generator=g)
    t = torch.rand(n, generator=g, dtype=torch.float64)
    angle = 2 * math.pi * t + math.pi * labels
    radius = 0.05 + 0.95 * t
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    x = x + noise * 0.25 * torch.randn(n, 2, generator=g, dtype=torch.float64)
    return x.float(), labels


def _moons(n: int, noise: float, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaving half circles (the shape of scikit-learn's make_moons), centred."""
    labels = torch.randint(0, 2, (n,), generator=g)
    t = math.pi * torch.rand(n, generator=g, dtype=torch.float64)
    upper = torch.stack([torch.cos(t), torch.sin(t)], dim=1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], dim=1)
    x = torch.where(labels[:, None] == 0, upper, lower) - torch.tensor([0.5, 0.25])
    x = x + noise * torch.randn(n, 2, generator=g, dtype=torch.float64)
    return x.float(), labels


def _sine(n: int, noise: float, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """y = sin(πx) + noise for x uniform in [-1, 1]: one period."""
    x = 2 * torch.rand(n, 1, generator=g, dtype=torch.float64) - 1
    y = torch.sin(math.pi * x) + noise * torch.randn(n, 1, generator=g, dtype=torch.float64)
    return x.float(), y.float()


_GENERATORS = {"spirals": _spirals, "moons": _moons, "sine": _sine, "overfit": _moons}


def make_dataset(plan: TaskShape) -> Dataset:
    """Training and validation sets drawn from one distribution with the run's seed."""
    make = _GENERATORS[plan.task]
    g = torch.Generator().manual_seed(plan.spec.seed)
    train_x, train_y = make(plan.train_size, plan.noise, g)
    val_x, val_y = make(plan.val_size, plan.noise, g)
    return Dataset(train_x, train_y, val_x, val_y)


class SeededDropout(nn.Module):
    """Inverted dropout whose masks come from the run's generator."""

    def __init__(self, p: float, generator: torch.Generator) -> None:
        super().__init__()
        self.p = p
        self.generator = generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return x
        keep = torch.empty_like(x).bernoulli_(1 - self.p, generator=self.generator)
        return x * keep / (1 - self.p)


def build_model(plan: TaskShape, generator: torch.Generator) -> nn.Sequential:
    """An MLP: ``depth`` hidden layers of ``width`` units, then the output layer.

    Initialised like ``nn.Linear``'s default, but from the run's generator.
    """
    layers: list[nn.Module] = []
    sizes = [plan.inputs] + [plan.width] * plan.depth
    activation = nn.ReLU if plan.spec.model.activation == "relu" else nn.Tanh
    dropout = plan.spec.regularization.dropout
    for fan_in, fan_out in itertools.pairwise(sizes):
        layers += [_linear(fan_in, fan_out, generator), activation()]
        if dropout > 0:
            layers.append(SeededDropout(dropout, generator))
    layers.append(_linear(sizes[-1], plan.outputs, generator))
    return nn.Sequential(*layers)


def _linear(fan_in: int, fan_out: int, g: torch.Generator) -> nn.Linear:
    layer = nn.Linear(fan_in, fan_out)
    with torch.no_grad():
        nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=g)
        bound = 1 / math.sqrt(fan_in)
        layer.bias.uniform_(-bound, bound, generator=g)
    return layer


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def param_groups(model: nn.Module, count: int) -> list[list[torch.Tensor]]:
    """Split the model's layers, in order, into ``count`` contiguous groups.

    With two groups, say, the first holds the early layers and the last the output layer,
    which is how per-layer learning rates are usually set.
    """
    layers = linear_layers(model)
    if not 1 <= count <= len(layers):
        raise ValueError(f"cannot split {len(layers)} layers into {count} groups")
    bounds = [round(i * len(layers) / count) for i in range(count + 1)]
    return [
        [p for layer in layers[bounds[i] : bounds[i + 1]] for p in layer.parameters()]
        for i in range(count)
    ]
