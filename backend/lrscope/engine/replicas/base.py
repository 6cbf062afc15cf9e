"""The replica framework: a stand-in optimizer, the recorder and torch's LRScheduler."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import accumulate, repeat
from operator import mul
from typing import Any

from lrscope.engine import deadline

Group = dict[str, Any]


class Optim:
    """What schedulers see of an optimizer: its param groups and its defaults."""

    def __init__(self, param_groups: list[Group], defaults: dict[str, Any]) -> None:
        self.param_groups = param_groups
        self.defaults = defaults
        self.momentum_key = (
            "momentum" if "momentum" in defaults else "betas" if "betas" in defaults else None
        )


class Recorder:
    """Every group's lr (and momentum or beta1) after each scheduler step."""

    def __init__(self, opt: Optim) -> None:
        self.groups = opt.param_groups
        self.key = opt.momentum_key
        self.lr: list[list[float]] = [[] for _ in self.groups]
        self.momentum: list[list[float]] = [[] for _ in self.groups]

    def current_momentum(self, g: int) -> Any:
        group = self.groups[g]
        return group["momentum"] if self.key == "momentum" else group["betas"][0]

    def record(self) -> None:
        deadline.check(len(self.lr[0]) if self.lr else 0)
        for g, group in enumerate(self.groups):
            self.lr[g].append(group["lr"])
            if self.key is not None:
                self.momentum[g].append(self.current_momentum(g))

    def extend(self, g: int, lrs: list[float], momenta: list[float] | None = None) -> None:
        deadline.check(0)
        self.lr[g].extend(lrs)
        if self.key is not None:
            self.momentum[g].extend(
                momenta if momenta is not None else repeat(self.current_momentum(g), len(lrs))
            )


def format_param(name: str, opt: Optim, param: Any) -> list[Any]:
    if isinstance(param, (list, tuple)):
        if len(param) != len(opt.param_groups):
            raise ValueError(f"{name} must have one value per param group")
        return list(param)
    return [param] * len(opt.param_groups)


def set_momentum(group: Group, use_beta1: bool, value: Any) -> None:
    if use_beta1:
        group["betas"] = (value, *group["betas"][1:])
    else:
        group["momentum"] = value


class Scheduler:
    """torch's LRScheduler: base_lrs from initial_lr, then step 0 in the constructor."""

    has_closed_form = False
    is_initial = False
    step_count = 0
    last_epoch: int = -1

    def __init__(self, opt: Optim) -> None:
        self.optimizer = opt
        for group in opt.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs: list[Any] = [group["initial_lr"] for group in opt.param_groups]
        self.last_epoch = -1
        self.initial_step()

    def initial_step(self) -> None:
        self.step_count = 0
        self.is_initial = True
        self.step()
        self.is_initial = False

    def step(self) -> None:
        self.step_count += 1
        self.update_lr(None)

    def update_lr(self, epoch: int | None) -> None:
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            values = self.closed_form_lr() if self.has_closed_form else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            group["lr"] = lr

    def get_lr(self) -> list[Any]:
        raise NotImplementedError

    def closed_form_lr(self) -> list[Any]:
        raise NotImplementedError

    def run(self, n: int, rec: Recorder) -> None:
        """``n`` times: step, then record."""
        while n > 0 and not self.bulk_ready():
            self.step()
            rec.record()
            n -= 1
        if n > 0:
            self.bulk(n, rec)

    def bulk_ready(self) -> bool:
        """Whether ``bulk`` may take the next steps (no first-step special case ahead)."""
        return False

    def bulk(self, n: int, rec: Recorder) -> None:
        raise NotImplementedError

    # helpers for bulk loops
    @property
    def groups(self) -> list[Group]:
        return self.optimizer.param_groups

    def epochs(self, n: int) -> range:
        return range(self.last_epoch + 1, self.last_epoch + 1 + n)

    def advance(self, n: int) -> None:
        self.last_epoch += n
        self.step_count += n

    def emit(self, rec: Recorder, g: int, lrs: list[Any], momenta: list[Any] | None = None) -> None:
        self.groups[g]["lr"] = lrs[-1]
        rec.extend(g, lrs, momenta)


def products(start: Any, factors: Iterable[Any]) -> list[Any]:
    """[start*f0, start*f0*f1, ...]: torch's repeated ``group["lr"] * factor``."""
    values = accumulate(factors, mul, initial=start)
    next(values)
    return list(values)


def piecewise(
    lr: Any, start: int, end: int, change: Callable[[int, Any], Any], points: Iterable[int]
) -> list[Any]:
    """lr held constant between the epochs in ``points`` (sorted) where ``change`` applies."""
    out: list[Any] = []
    e = start
    for p in points:
        if p >= end:
            break
        if p < start:
            continue
        out.extend(repeat(lr, p - e))
        lr = change(p, lr)
        e = p
    out.extend(repeat(lr, end - e))
    return out
