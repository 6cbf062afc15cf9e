"""Replicas of CyclicLR and OneCycleLR, which also cycle momentum (or Adam's beta1)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import cos, floor, pi
from typing import Any

from lrscope.engine.replicas.base import Optim, Recorder, Scheduler, format_param, set_momentum


def _check_momentum(opt: Optim) -> bool:
    """torch's check; returns whether beta1 (rather than momentum) is cycled."""
    if "momentum" not in opt.defaults and "betas" not in opt.defaults:
        raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum`")
    return "betas" in opt.defaults


def _triangular2(x: Any) -> Any:
    return 1 / 2.0 ** (x - 1)


class CyclicLR(Scheduler):
    def __init__(
        self,
        opt: Optim,
        *,
        base_lr: Any,
        max_lr: Any,
        step_size_up: int,
        step_size_down: int | None,
        mode: str,
        gamma: float,
        scale_fn: Callable[[Any], Any] | None,
        scale_mode: str,
        cycle_momentum: bool,
        base_momentum: Any,
        max_momentum: Any,
    ) -> None:
        self.optimizer = opt
        base_lrs = format_param("base_lr", opt, base_lr)
        for lr, group in zip(base_lrs, opt.param_groups, strict=True):
            group["lr"] = lr
        self.max_lrs = format_param("max_lr", opt, max_lr)
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in ["triangular", "triangular2", "exp_range"] and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode, self.gamma = mode, gamma
        # None stands for torch's triangular scale (always 1.0; x * 1.0 == x exactly)
        self.scale: Callable[[Any], Any] | None = scale_fn
        self.scale_mode = scale_mode
        if scale_fn is None:
            self.scale_mode = "iterations" if mode == "exp_range" else "cycle"
            if mode == "triangular2":
                self.scale = _triangular2
            elif mode == "exp_range":
                self.scale = lambda x: gamma**x
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _check_momentum(opt)
            self.base_momentums = format_param("base_momentum", opt, base_momentum)
            self.max_momentums = format_param("max_momentum", opt, max_momentum)
            for m, b, group in zip(
                self.max_momentums, self.base_momentums, opt.param_groups, strict=True
            ):
                set_momentum(group, self.use_beta1, m)
                group["max_momentum"] = m
                group["base_momentum"] = b
        super().__init__(opt)  # the initial step still sees base_lrs from initial_lr
        self.base_lrs = base_lrs

    def scale_factor(self, e: int) -> tuple[int, Any]:
        cycle = floor(1 + e / self.total_size)
        x = 1.0 + e / self.total_size - cycle
        if x <= self.step_ratio:
            return cycle, x / self.step_ratio
        return cycle, (x - 1) / (self.step_ratio - 1)

    def get_lr(self) -> list[Any]:
        e = self.last_epoch
        cycle, factor = self.scale_factor(e)
        s = 1.0 if self.scale is None else self.scale(cycle if self.scale_mode == "cycle" else e)
        lrs = [b + (m - b) * factor * s for b, m in zip(self.base_lrs, self.max_lrs, strict=True)]
        if self.cycle_momentum:
            for group, b, m in zip(
                self.groups, self.base_momentums, self.max_momentums, strict=True
            ):
                set_momentum(group, self.use_beta1, m - (m - b) * factor * s)
        return lrs

    def bulk_ready(self) -> bool:
        return True

    def bulk(self, n: int, rec: Recorder) -> None:
        epochs, total, ratio = self.epochs(n), self.total_size, self.step_ratio
        cycles: list[int] = []
        factors: list[Any] = []
        add_cycle, add_factor = cycles.append, factors.append
        for e in epochs:  # as scale_factor(e), inlined: 1 + q and 1.0 + q are the same sum
            u = 1.0 + e / total
            cycle = floor(u)
            x = u - cycle
            add_cycle(cycle)
            add_factor(x / ratio if x <= ratio else (x - 1) / (ratio - 1))
        scales = None
        if self.scale is not None:
            scales = list(map(self.scale, cycles if self.scale_mode == "cycle" else epochs))

        def heights(span: Any) -> list[Any]:  # (top - bottom) * factor * scale, per step
            if scales is None:
                return [span * f for f in factors]
            return [span * f * s for f, s in zip(factors, scales, strict=True)]

        momentum_key = "betas" if self.cycle_momentum and self.use_beta1 else "momentum"
        for g, (b, m) in enumerate(zip(self.base_lrs, self.max_lrs, strict=True)):
            lrs = [b + h for h in heights(m - b)]
            if not self.cycle_momentum:
                self.emit(rec, g, lrs)
                continue
            bm, mm = self.base_momentums[g], self.max_momentums[g]
            momenta = [mm - h for h in heights(mm - bm)]
            self.emit(rec, g, lrs, momenta if rec.key == momentum_key else None)
            set_momentum(self.groups[g], self.use_beta1, momenta[-1])
        self.advance(n)


Phase = tuple[Any, str, str, str, str]  # end_step, start_lr, end_lr, start/end momentum keys


class OneCycleLR(Scheduler):
    def __init__(
        self,
        opt: Optim,
        *,
        max_lr: Any,
        total_steps: int | None,
        epochs: int | None,
        steps_per_epoch: int | None,
        pct_start: float,
        anneal_strategy: str,
        cycle_momentum: bool,
        base_momentum: Any,
        max_momentum: Any,
        div_factor: float,
        final_div_factor: float,
        three_phase: bool,
    ) -> None:
        self.optimizer = opt
        if total_steps is not None:
            if total_steps <= 0 or not isinstance(total_steps, int):
                raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            if not isinstance(epochs, int) or epochs <= 0:
                raise ValueError(f"Expected positive integer epochs, but got {epochs}")
            if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
                raise ValueError(f"Expected positive steps_per_epoch, got {steps_per_epoch}")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        total = self.total_steps
        self.phases: Sequence[Phase]
        if three_phase:
            self.phases = [
                (
                    float(pct_start * total) - 1,
                    "initial_lr",
                    "max_lr",
                    "max_momentum",
                    "base_momentum",
                ),
                (
                    float(2 * pct_start * total) - 2,
                    "max_lr",
                    "initial_lr",
                    "base_momentum",
                    "max_momentum",
                ),
                (total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
        else:
            self.phases = [
                (
                    float(pct_start * total) - 1,
                    "initial_lr",
                    "max_lr",
                    "max_momentum",
                    "base_momentum",
                ),
                (total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ]
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ["cos", "linear"]:
            raise ValueError(
                f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}"
            )
        self.cosine = anneal_strategy == "cos"
        max_lrs = format_param("max_lr", opt, max_lr)
        for idx, group in enumerate(opt.param_groups):
            group["initial_lr"] = max_lrs[idx] / div_factor
            group["max_lr"] = max_lrs[idx]
            group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _check_momentum(opt)
            max_momenta = format_param("max_momentum", opt, max_momentum)
            base_momenta = format_param("base_momentum", opt, base_momentum)
            for m, b, group in zip(max_momenta, base_momenta, opt.param_groups, strict=True):
                set_momentum(group, self.use_beta1, m)
                group["max_momentum"] = m
                group["base_momentum"] = b
        super().__init__(opt)

    def anneal(self, start: Any, end: Any, pct: Any) -> Any:
        if self.cosine:
            cos_out = cos(pi * pct) + 1
            return end + (start - end) / 2.0 * cos_out
        return (end - start) * pct + start

    def phase_of(self, step: int) -> tuple[int, Any]:
        """Index of the phase torch picks for ``step``, and that phase's start step."""
        start_step: Any = 0.0
        last = len(self.phases) - 1
        for i, phase in enumerate(self.phases):
            if step <= phase[0] or i == last:
                return i, start_step
            start_step = phase[0]
        raise AssertionError("unreachable")

    def get_lr(self) -> list[Any]:
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times; total steps is {self.total_steps}")
        i, start_step = self.phase_of(step)
        end_step, start_lr, end_lr, start_m, end_m = self.phases[i]
        pct = (step - start_step) / (end_step - start_step)
        lrs = []
        for group in self.groups:
            lrs.append(self.anneal(group[start_lr], group[end_lr], pct))
            if self.cycle_momentum:
                set_momentum(group, self.use_beta1, self.anneal(group[start_m], group[end_m], pct))
        return lrs

    def bulk_ready(self) -> bool:
        return True

    def bulk(self, n: int, rec: Recorder) -> None:
        start, end = self.last_epoch + 1, self.last_epoch + 1 + n
        if end - 1 > self.total_steps:
            raise ValueError("stepped past total_steps")
        lrs: list[list[Any]] = [[] for _ in self.groups]
        momenta: list[list[Any]] = [[] for _ in self.groups]
        e = start
        while e < end:
            i, start_step = self.phase_of(e)
            end_step, start_lr, end_lr, start_m, end_m = self.phases[i]
            stop = end if i == len(self.phases) - 1 else min(end, floor(end_step) + 1)
            span = end_step - start_step
            if self.cosine:  # cos(pi * pct) + 1, once for every group
                values = [cos(pi * ((k - start_step) / span)) + 1 for k in range(e, stop)]
            else:  # pct
                values = [(k - start_step) / span for k in range(e, stop)]
            for g, group in enumerate(self.groups):
                lrs[g].extend(self.anneal_all(group[start_lr], group[end_lr], values))
                if self.cycle_momentum:
                    momenta[g].extend(self.anneal_all(group[start_m], group[end_m], values))
            e = stop
        momentum_key = "betas" if self.cycle_momentum and self.use_beta1 else "momentum"
        for g, group in enumerate(self.groups):
            if not self.cycle_momentum:
                self.emit(rec, g, lrs[g])
                continue
            self.emit(rec, g, lrs[g], momenta[g] if rec.key == momentum_key else None)
            set_momentum(group, self.use_beta1, momenta[g][-1])
        self.advance(n)

    def anneal_all(self, start: Any, end: Any, values: list[Any]) -> list[Any]:
        """``anneal`` over many steps; ``values`` are cos(pi*pct)+1 (cos) or pct (linear)."""
        if self.cosine:  # end + (start - end) / 2.0 * cos_out
            half = (start - end) / 2.0
            return [end + half * v for v in values]
        rise = end - start
        return [rise * v + start for v in values]
