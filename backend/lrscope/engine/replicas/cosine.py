"""Replicas of CosineAnnealingLR and CosineAnnealingWarmRestarts."""

from __future__ import annotations

from math import cos, floor, pi
from operator import truediv
from typing import Any

from lrscope.engine.replicas.base import Optim, Recorder, Scheduler


class CosineAnnealingLR(Scheduler):
    has_closed_form = True

    def __init__(self, opt: Optim, *, T_max: int, eta_min: float) -> None:
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(opt)

    def get_lr(self) -> list[Any]:
        e, t, eta = self.last_epoch, self.T_max, self.eta_min
        if self.is_initial:
            return [grp["lr"] for grp in self.groups]
        if self.step_count == 1 and e > 0:
            return [eta + (b - eta) * (1 + cos(e * pi / t)) / 2 for b in self.base_lrs]
        if (e - 1 - t) % (2 * t) == 0:
            return [
                grp["lr"] + (b - eta) * (1 - cos(pi / t)) / 2
                for b, grp in zip(self.base_lrs, self.groups, strict=True)
            ]
        return [
            (1 + cos(pi * e / t)) / (1 + cos(pi * (e - 1) / t)) * (grp["lr"] - eta) + eta
            for grp in self.groups
        ]

    def closed_form_lr(self) -> list[Any]:
        eta = self.eta_min
        return [
            eta + (b - eta) * (1 + cos(pi * self.last_epoch / self.T_max)) / 2
            for b in self.base_lrs
        ]

    def bulk_ready(self) -> bool:
        return self.step_count >= 1

    def bulk(self, n: int, rec: Recorder) -> None:
        t, eta, start, end = self.T_max, self.eta_min, self.last_epoch + 1, self.last_epoch + 1 + n
        # Where (e - 1 - t) % 2t == 0 torch adds a fixed bump instead of the ratio of
        # 1 + cos(pi * e / t) to its previous value (which is ~0 there): so the epochs split
        # into runs of ratios, each run after the first starting with a bump.
        firsts = [start, *range(start + (t + 1 - start) % (2 * t), end, 2 * t)]
        bumps = [(b - eta) * (1 - cos(pi / t)) / 2 for b in self.base_lrs]
        outs: list[list[Any]] = [[] for _ in self.groups]
        lrs = [grp["lr"] for grp in self.groups]
        for i, first in enumerate(firsts):
            stop = firsts[i + 1] if i + 1 < len(firsts) else end
            if i:
                lrs = [lr + bump for lr, bump in zip(lrs, bumps, strict=True)]
                for out, lr in zip(outs, lrs, strict=True):
                    out.append(lr)
                first += 1
            if len(lrs) == 1:  # the common case, fused: each cosine computed once
                lrs = [_anneal(lrs[0], eta, t, first, stop, outs[0])]
                continue
            ones = [1 + cos(pi * e / t) for e in range(first - 1, stop)]
            ratios = list(map(truediv, ones[1:], ones[:-1]))
            lrs = [_scale(lr, eta, ratios, out) for lr, out in zip(lrs, outs, strict=True)]
        for g, out in enumerate(outs):
            self.emit(rec, g, out)
        self.advance(n)


def _anneal(lr: Any, eta: Any, t: int, first: int, stop: int, out: list[Any]) -> Any:
    """torch's recursive cosine step from epoch ``first`` to ``stop`` (exclusive)."""
    append = out.append
    prev = 1 + cos(pi * (first - 1) / t)
    for e in range(first, stop):
        cur = 1 + cos(pi * e / t)
        lr = cur / prev * (lr - eta) + eta
        append(lr)
        prev = cur
    return lr


def _scale(lr: Any, eta: Any, ratios: list[Any], out: list[Any]) -> Any:
    append = out.append
    for ratio in ratios:
        lr = ratio * (lr - eta) + eta
        append(lr)
    return lr


class CosineAnnealingWarmRestarts(Scheduler):
    def __init__(self, opt: Optim, *, T_0: int, T_mult: int, eta_min: float) -> None:
        if T_0 <= 0 or not isinstance(T_0, int):
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if T_mult < 1 or not isinstance(T_mult, int):
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(f"Expected float or int eta_min, but got {eta_min}")
        self.T_0 = self.T_i = T_0
        self.T_mult, self.eta_min = T_mult, eta_min
        self.T_cur: Any = -1
        super().__init__(opt)

    def get_lr(self) -> list[Any]:
        eta = self.eta_min
        return [eta + (b - eta) * (1 + cos(pi * self.T_cur / self.T_i)) / 2 for b in self.base_lrs]

    def step(self) -> None:
        if self.last_epoch < 0:  # torch's step(epoch=0) branch
            epoch = 0
            if epoch >= self.T_0:
                raise NotImplementedError  # unreachable: T_0 >= 1
            self.T_i = self.T_0
            self.T_cur = epoch
        else:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        self.last_epoch = floor(epoch)
        for group, lr in zip(self.groups, self.get_lr(), strict=True):
            group["lr"] = lr

    def bulk_ready(self) -> bool:
        return self.last_epoch >= 0 and isinstance(self.T_cur, int) and 0 <= self.T_cur < self.T_i

    def bulk(self, n: int, rec: Recorder) -> None:
        eta, left = self.eta_min, n
        full: dict[int, list[list[Any]]] = {}  # per T_i, each group's values over a whole cycle
        outs: list[list[Any]] = [[] for _ in self.groups]
        while left:
            t_cur, t_i = self.T_cur + 1, self.T_i
            if t_cur >= t_i:
                t_cur, t_i = t_cur % t_i, t_i * self.T_mult
            take = min(left, t_i - t_cur)
            if t_i in full:
                parts = [values[t_cur : t_cur + take] for values in full[t_i]]
            else:
                ones = [1 + cos(pi * t / t_i) for t in range(t_cur, t_cur + take)]
                parts = [[eta + (b - eta) * one / 2 for one in ones] for b in self.base_lrs]
                if take == t_i:
                    full[t_i] = parts
            for out, part in zip(outs, parts, strict=True):
                out.extend(part)
            self.T_cur, self.T_i = t_cur + take - 1, t_i
            left -= take
        for g, out in enumerate(outs):
            self.emit(rec, g, out)
        self.last_epoch += n
