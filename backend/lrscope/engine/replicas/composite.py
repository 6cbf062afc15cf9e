"""Replicas of SequentialLR and ChainedScheduler (with torch's nesting quirks), and of
ReduceLROnPlateau stepped on a list of metric values."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise, repeat
from math import inf
from typing import Any

from lrscope.engine.replicas.base import Optim, Recorder, Scheduler


def _check_children(schedulers: Sequence[Scheduler], opt: Optim) -> list[Scheduler]:
    if len(schedulers) < 1:
        raise ValueError("expects at least one scheduler")
    for s in schedulers:
        if isinstance(s, ReduceLROnPlateau) or s.optimizer is not opt:
            raise ValueError("unsupported child scheduler")
    return list(schedulers)


def recursive_undo(s: Scheduler) -> None:
    """SequentialLR's undo: composites recurse, and only leaves step back one epoch."""
    if isinstance(s, (SequentialLR, ChainedScheduler)):
        for child in s.children:
            recursive_undo(child)
    else:
        s.last_epoch -= 1


class SequentialLR(Scheduler):
    # Its get_lr is the base one, which raises NotImplementedError: torch raises it too when a
    # SequentialLR or ChainedScheduler is switched to at a milestone via _update_lr(0).

    def __init__(
        self, opt: Optim, *, schedulers: Sequence[Scheduler], milestones: list[int]
    ) -> None:
        self.children = _check_children(schedulers, opt)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("needs one milestone fewer than schedulers")
        if any(b <= a for a, b in pairwise(milestones)):
            raise ValueError("unsorted milestones: left to torch")  # run() relies on order
        self.milestones = list(milestones)
        self.last_epoch = 0
        self.optimizer = opt
        for group in opt.param_groups:
            group["lr"] = group["initial_lr"]
        recursive_undo(self)
        self.children[bisect_right(self.milestones, 0)].initial_step()

    def step(self) -> None:
        self.last_epoch += 1
        idx = bisect_right(self.milestones, self.last_epoch)
        scheduler = self.children[idx]
        if idx > 0 and self.milestones[idx - 1] == self.last_epoch:
            scheduler.update_lr(0)
        else:
            scheduler.step()

    def run(self, n: int, rec: Recorder) -> None:
        """Hand each stretch between milestones to the active child in one piece."""
        ms = self.milestones
        while n > 0:
            e = self.last_epoch + 1
            idx = bisect_right(ms, e)
            child = self.children[idx]
            if idx > 0 and ms[idx - 1] == e:
                self.last_epoch = e
                child.update_lr(0)
                rec.record()
                n -= 1
                continue
            k = min(n, ms[idx] - e) if idx < len(ms) else n
            child.run(k, rec)
            self.last_epoch += k
            n -= k


class ChainedScheduler(Scheduler):
    def __init__(self, opt: Optim, *, schedulers: Sequence[Scheduler]) -> None:
        self.children = _check_children(schedulers, opt)
        self.optimizer = opt

    def step(self) -> None:
        for scheduler in self.children:
            scheduler.step()


class ReduceLROnPlateau(Scheduler):
    """Stepped with ``metrics[k]`` at its k-th step (set ``metrics`` before running)."""

    metrics: Sequence[float] = ()
    reducing = False

    def __init__(
        self,
        opt: Optim,
        *,
        mode: str,
        factor: float,
        patience: int,
        threshold: float,
        threshold_mode: str,
        cooldown: int,
        min_lr: Any,
        eps: float,
    ) -> None:
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        self.factor = factor
        self.optimizer = opt
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(opt.param_groups):
                raise ValueError("expected one min_lr per param group")
            self.min_lrs = list(min_lr)
        else:
            self.min_lrs = [min_lr] * len(opt.param_groups)
        self.patience, self.cooldown, self.eps = patience, cooldown, eps
        self.last_epoch = 0
        if mode not in {"min", "max"} or threshold_mode not in {"rel", "abs"}:
            raise ValueError("unknown mode or threshold mode")
        self.mode_worse = inf if mode == "min" else -inf
        self.mode, self.threshold, self.threshold_mode = mode, threshold, threshold_mode
        self.best: Any = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def is_better(self, a: float, best: Any) -> bool:
        if self.mode == "min" and self.threshold_mode == "rel":
            return bool(a < best * (1.0 - self.threshold))
        if self.mode == "min" and self.threshold_mode == "abs":
            return bool(a < best - self.threshold)
        if self.mode == "max" and self.threshold_mode == "rel":
            return bool(a > best * (self.threshold + 1.0))
        return bool(a > best + self.threshold)

    def step(self) -> None:
        """One ``step(metrics)``; sets ``reducing`` when it tried to lower the rates."""
        self.reducing = False
        current = float(self.metrics[self.last_epoch])
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for i, group in enumerate(self.optimizer.param_groups):
                old_lr = float(group["lr"])
                new_lr = max(old_lr * self.factor, self.min_lrs[i])
                if old_lr - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
            self.reducing = True

    def run(self, n: int, rec: Recorder) -> None:
        """Record in stretches: the rates only change when a reduction happens."""
        groups = self.optimizer.param_groups
        held = [group["lr"] for group in groups]
        since = 0
        for k in range(n):
            self.step()
            if self.reducing:
                for g, lr in enumerate(held):
                    rec.extend(g, list(repeat(lr, k - since)))
                held, since = [group["lr"] for group in groups], k
        for g, lr in enumerate(held):
            rec.extend(g, list(repeat(lr, n - since)))
