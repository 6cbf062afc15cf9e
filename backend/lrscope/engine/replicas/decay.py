"""Replicas of the decaying schedulers: lambda, multiplicative, step, constant, linear,
exponential and polynomial."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from itertools import repeat
from operator import mul
from typing import Any

from lrscope.engine.replicas.base import Optim, Recorder, Scheduler, piecewise, products


class LambdaLR(Scheduler):
    def __init__(self, opt: Optim, *, lr_lambda: Any) -> None:
        self.optimizer = opt
        n = len(opt.param_groups)
        if not isinstance(lr_lambda, (list, tuple)):
            self.lr_lambdas = [lr_lambda] * n
        else:
            if len(lr_lambda) != n:
                raise ValueError(f"Expected {n} lr_lambdas, but got {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        super().__init__(opt)

    def get_lr(self) -> list[Any]:
        return [b * f(self.last_epoch) for f, b in zip(self.lr_lambdas, self.base_lrs, strict=True)]

    def bulk_ready(self) -> bool:
        return True

    def factors(self, n: int) -> list[list[Any]]:
        cache: dict[int, list[Any]] = {}  # one lambda shared by every group runs once
        for f in self.lr_lambdas:
            if id(f) not in cache:
                cache[id(f)] = list(map(f, self.epochs(n)))
        return [cache[id(f)] for f in self.lr_lambdas]

    def bulk(self, n: int, rec: Recorder) -> None:
        for g, (b, factors) in enumerate(zip(self.base_lrs, self.factors(n), strict=True)):
            self.emit(rec, g, list(map(mul, repeat(b), factors)))
        self.advance(n)


class MultiplicativeLR(LambdaLR):
    def __init__(self, opt: Optim, *, lr_lambda: Any) -> None:
        self.optimizer = opt
        n = len(opt.param_groups)
        if not isinstance(lr_lambda, (list, tuple)):
            lambdas = [lr_lambda] * n
        elif len(lr_lambda) != n:
            raise ValueError(f"Expected {n} lr_lambdas, but got {len(lr_lambda)}")
        else:
            lambdas = list(lr_lambda)
        if not all(callable(f) for f in lambdas):
            raise TypeError("lr_lambda should be a function")
        self.lr_lambdas = lambdas
        Scheduler.__init__(self, opt)

    def get_lr(self) -> list[Any]:
        if not self.is_initial:
            return [
                grp["lr"] * f(self.last_epoch)
                for f, grp in zip(self.lr_lambdas, self.groups, strict=True)
            ]
        return [grp["lr"] for grp in self.groups]

    def bulk(self, n: int, rec: Recorder) -> None:
        for g, factors in enumerate(self.factors(n)):
            self.emit(rec, g, products(self.groups[g]["lr"], factors))
        self.advance(n)


class StepLR(Scheduler):
    has_closed_form = True

    def __init__(self, opt: Optim, *, step_size: int, gamma: float) -> None:
        self.step_size, self.gamma = step_size, gamma
        super().__init__(opt)

    def get_lr(self) -> list[Any]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [grp["lr"] for grp in self.groups]
        return [grp["lr"] * self.gamma for grp in self.groups]

    def closed_form_lr(self) -> list[Any]:
        return [b * self.gamma ** (self.last_epoch // self.step_size) for b in self.base_lrs]

    def bulk_ready(self) -> bool:
        return self.last_epoch >= 0 and self.step_size > 0

    def bulk(self, n: int, rec: Recorder) -> None:
        start, s, gamma = self.last_epoch + 1, self.step_size, self.gamma
        points = range(-(-start // s) * s, start + n, s)
        for g, grp in enumerate(self.groups):
            self.emit(
                rec, g, piecewise(grp["lr"], start, start + n, lambda _e, lr: lr * gamma, points)
            )
        self.advance(n)


class MultiStepLR(Scheduler):
    has_closed_form = True

    def __init__(self, opt: Optim, *, milestones: Iterable[int], gamma: float) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(opt)

    def get_lr(self) -> list[Any]:
        if self.last_epoch not in self.milestones:
            return [grp["lr"] for grp in self.groups]
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [grp["lr"] * factor for grp in self.groups]

    def closed_form_lr(self) -> list[Any]:
        milestones = sorted(self.milestones.elements())
        return [b * self.gamma ** bisect_right(milestones, self.last_epoch) for b in self.base_lrs]

    def bulk_ready(self) -> bool:
        return True

    def bulk(self, n: int, rec: Recorder) -> None:
        start, gamma, counts = self.last_epoch + 1, self.gamma, self.milestones
        points = sorted(counts)
        for g, grp in enumerate(self.groups):
            self.emit(
                rec,
                g,
                piecewise(
                    grp["lr"], start, start + n, lambda e, lr: lr * gamma ** counts[e], points
                ),
            )
        self.advance(n)


class ConstantLR(Scheduler):
    has_closed_form = True

    def __init__(self, opt: Optim, *, factor: float, total_iters: int) -> None:
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor, self.total_iters = factor, total_iters
        super().__init__(opt)

    def get_lr(self) -> list[Any]:
        if self.last_epoch == 0:
            return [grp["lr"] * self.factor for grp in self.groups]
        if self.last_epoch != self.total_iters:
            return [grp["lr"] for grp in self.groups]
        return [grp["lr"] * (1.0 / self.factor) for grp in self.groups]

    def closed_form_lr(self) -> list[Any]:
        return [
            b * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
            for b in self.base_lrs
        ]

    def bulk_ready(self) -> bool:
        return self.last_epoch >= 0

    def bulk(self, n: int, rec: Recorder) -> None:
        start, factor = self.last_epoch + 1, self.factor
        for g, grp in enumerate(self.groups):
            self.emit(
                rec,
                g,
                piecewise(
                    grp["lr"],
                    start,
                    start + n,
                    lambda _e, lr: lr * (1.0 / factor),
                    [self.total_iters],
                ),
            )
        self.advance(n)


class LinearLR(Scheduler):
    has_closed_form = True

    def __init__(
        self, opt: Optim, *, start_factor: float, end_factor: float, total_iters: int
    ) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected in (0, 1].")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor = start_factor, end_factor
        self.total_iters = total_iters
        super().__init__(opt)

    def factor(self, e: int) -> Any:
        s, f, t = self.start_factor, self.end_factor, self.total_iters
        return 1.0 + (f - s) / (t * s + (e - 1) * (f - s))

    def get_lr(self) -> list[Any]:
        if self.last_epoch == 0:
            return [grp["lr"] * self.start_factor for grp in self.groups]
        if self.is_initial or self.last_epoch > self.total_iters:
            return [grp["lr"] for grp in self.groups]
        factor = self.factor(self.last_epoch)
        return [grp["lr"] * factor for grp in self.groups]

    def closed_form_lr(self) -> list[Any]:
        s, f, t = self.start_factor, self.end_factor, self.total_iters
        return [b * (s + (f - s) * min(t, self.last_epoch) / t) for b in self.base_lrs]

    def bulk_ready(self) -> bool:
        return self.last_epoch >= 0

    def bulk(self, n: int, rec: Recorder) -> None:
        ramp = [self.factor(e) for e in self.epochs(min(n, self.total_iters - self.last_epoch))]
        for g, grp in enumerate(self.groups):
            lrs = products(grp["lr"], ramp)
            lrs.extend(repeat(lrs[-1] if lrs else grp["lr"], n - len(ramp)))
            self.emit(rec, g, lrs)
        self.advance(n)


class ExponentialLR(Scheduler):
    has_closed_form = True

    def __init__(self, opt: Optim, *, gamma: float) -> None:
        self.gamma = gamma
        super().__init__(opt)

    def get_lr(self) -> list[Any]:
        if self.is_initial:
            return [grp["lr"] for grp in self.groups]
        return [grp["lr"] * self.gamma for grp in self.groups]

    def closed_form_lr(self) -> list[Any]:
        return [b * self.gamma**self.last_epoch for b in self.base_lrs]

    def bulk_ready(self) -> bool:
        return True

    def bulk(self, n: int, rec: Recorder) -> None:
        for g, grp in enumerate(self.groups):
            self.emit(rec, g, products(grp["lr"], repeat(self.gamma, n)))
        self.advance(n)


class PolynomialLR(Scheduler):
    has_closed_form = True

    def __init__(self, opt: Optim, *, total_iters: int, power: float) -> None:
        self.total_iters, self.power = total_iters, power
        super().__init__(opt)

    def factor(self, e: int) -> Any:
        t = self.total_iters
        return ((1.0 - e / t) / (1.0 - (e - 1) / t)) ** self.power

    def get_lr(self) -> list[Any]:
        if self.is_initial or self.last_epoch > self.total_iters:
            return [grp["lr"] for grp in self.groups]
        factor = self.factor(self.last_epoch)
        return [grp["lr"] * factor for grp in self.groups]

    def closed_form_lr(self) -> list[Any]:
        t = self.total_iters
        return [b * (1.0 - min(t, self.last_epoch) / t) ** self.power for b in self.base_lrs]

    bulk_ready = ExponentialLR.bulk_ready

    def bulk(self, n: int, rec: Recorder) -> None:
        decay = [self.factor(e) for e in self.epochs(min(n, self.total_iters - self.last_epoch))]
        for g, grp in enumerate(self.groups):
            lrs = products(grp["lr"], decay)
            lrs.extend(repeat(lrs[-1] if lrs else grp["lr"], n - len(decay)))
            self.emit(rec, g, lrs)
        self.advance(n)
