"""Hugging Face's schedules (``transformers.get_scheduler``) as exact lrscope specs.

Each HF schedule is a ``LambdaLR`` over a Python function of the step; here the same
function is written as an lrscope formula with HF's constants folded in, keeping HF's
operations, their order and their int/float types, so every value is bit for bit the one
``transformers`` computes (the tests step HF's own scheduler to prove it). ReduceLROnPlateau
is torch's own class. Semantics follow the transformers release in ``TRANSFORMERS_SEMANTICS``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TRANSFORMERS_SEMANTICS = "5.24"
WARMUP_TYPES = ("linear", "cosine", "1-sqrt")


class RecipeError(ValueError):
    """A recipe's arguments that HF itself would refuse; ``field`` names the argument."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Recipe:
    """A scheduler spec (lrscope JSON) and what the user should know about it."""

    scheduler: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def _f(x: float) -> str:
    """A float literal that reads back as the same double."""
    return repr(float(x))


def _warmup(w: int) -> str:
    """HF's linear warmup ``float(step) / float(max(1, w))``."""
    return f"float(step) / float({max(1, w)})"


def _lambda(body: str) -> dict[str, Any]:
    return {"type": "LambdaLR", "lr_lambda": f"lambda step: {body}"}


def _progress(w: int, t: int) -> str:
    return f"float(step - {w}) / float({max(1, t - w)})"


def linear(w: int, t: int) -> str:
    return f"{_warmup(w)} if step < {w} else max(0.0, float({t} - step) / float({max(1, t - w)}))"


def cosine(w: int, t: int, num_cycles: float = 0.5) -> str:
    c = _f(math.pi * float(num_cycles) * 2.0)
    decay = f"max(0.0, 0.5 * (1.0 + math.cos({c} * ({_progress(w, t)}))))"
    return f"{_warmup(w)} if step < {w} else {decay}"


def cosine_with_restarts(w: int, t: int, num_cycles: int = 1) -> str:
    progress = _progress(w, t)
    cycle = f"max(0.0, 0.5 * (1.0 + math.cos(math.pi * (({_f(num_cycles)} * ({progress})) % 1.0))))"
    return f"{_warmup(w)} if step < {w} else 0.0 if {progress} >= 1.0 else {cycle}"


def polynomial(w: int, t: int, lr_init: float, lr_end: float = 1e-7, power: float = 1.0) -> str:
    if not lr_init > lr_end:
        raise RecipeError(
            "lr_end", f"lr_end ({lr_end}) must be smaller than initial lr ({lr_init})"
        )
    if t == w:
        raise RecipeError("num_training_steps", "must be larger than num_warmup_steps")
    lr_range = lr_init - lr_end
    decay = f"({lr_range!r} * (1 - (step - {w}) / {t - w}) ** {power!r} + {lr_end!r}) / {lr_init!r}"
    return f"{_warmup(w)} if step < {w} else {lr_end!r} / {lr_init!r} if step > {t} else {decay}"


def constant_with_warmup(w: int) -> str:
    return f"float(step) / float({max(1.0, w)!r}) if step < {w} else 1.0"


def inverse_sqrt(w: int, timescale: int | None = None) -> str:
    timescale = timescale if timescale is not None else (w or 10_000)
    shift = timescale - w
    return f"{_warmup(w)} if step < {w} else 1.0 / math.sqrt((step + {shift}) / {timescale})"


def cosine_with_min_lr(
    w: int,
    t: int,
    lr_init: float,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
) -> str:
    rate = _min_lr_rate(lr_init, min_lr, min_lr_rate)
    c = _f(math.pi * float(num_cycles) * 2.0)
    factor = f"0.5 * (1.0 + math.cos({c} * ({_progress(w, t)})))"
    return f"{_warmup(w)} if step < {w} else max(0, ({factor}) * {1 - rate!r} + {rate!r})"


def cosine_warmup_with_min_lr(
    w: int,
    t: int,
    lr_init: float,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    warmup_lr_rate: float | None = None,
) -> str:
    rate = _min_lr_rate(lr_init, min_lr, min_lr_rate)
    wf, tf = float(w), float(t)
    if warmup_lr_rate is None:
        warm = f"(float(step) + 1.0) / {max(1.0, wf)!r}"
    else:
        r = float(warmup_lr_rate)
        warm = f"{r!r} + {1.0 - r!r} * float(step) / {max(1, wf - 1)!r}"
    progress = f"(float(step) - {wf!r} + 1.0) / {max(1.0, tf - wf)!r}"
    c = _f(math.pi * num_cycles * 2.0)
    factor = f"0.5 * (1.0 + math.cos({c} * ({progress})))"
    return f"{warm} if float(step) < {wf!r} else max(0, ({factor}) * {1 - rate!r} + {rate!r})"


def _min_lr_rate(lr_init: float, min_lr: float | None, min_lr_rate: float | None) -> float:
    if min_lr is not None and min_lr_rate is not None:
        raise RecipeError("min_lr", "Only one of min_lr or min_lr_rate should be set")
    if min_lr is not None:
        return min_lr / lr_init
    if min_lr_rate is None:
        raise RecipeError("min_lr_rate", "One of min_lr or min_lr_rate should be set")
    return min_lr_rate


def warmup_stable_decay(
    w: int,
    num_decay_steps: int,
    t: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0,
    num_cycles: float = 0.5,
) -> str:
    if t is None and num_stable_steps is None:
        raise RecipeError("num_training_steps", "give num_training_steps or num_stable_steps")
    for name, kind in (("warmup_type", warmup_type), ("decay_type", decay_type)):
        if kind not in WARMUP_TYPES:
            raise RecipeError(name, f"must be one of {', '.join(WARMUP_TYPES)}, got {kind!r}")
    stable = num_stable_steps if num_stable_steps is not None else t - w - num_decay_steps  # type: ignore[operator]
    m = min_lr_ratio
    up = f"float(step) / float({max(1, w)})"
    shapes: dict[str, Callable[[str], str]] = {
        "linear": lambda p: p,
        "cosine": lambda p: f"0.5 * (1.0 - math.cos(math.pi * {p}))",
        "1-sqrt": lambda p: f"1.0 - math.sqrt(1.0 - {p})",
    }
    down_shapes: dict[str, Callable[[str], str]] = {
        "linear": lambda p: f"1.0 - {p}",
        "cosine": lambda p: (
            f"0.5 * (1.0 + math.cos({_f(math.pi * float(num_cycles) * 2.0)} * {p}))"
        ),
        "1-sqrt": lambda p: f"1.0 - math.sqrt({p})",
    }
    down = f"(float(step - {w + stable}) / float({max(1, num_decay_steps)}))"
    warm = f"max(0.0, ({shapes[warmup_type](f'({up})')}) * {1.0 - m!r} + {m!r})"
    decay = f"max(0.0, ({down_shapes[decay_type](down)}) * {1.0 - m!r} + {m!r})"
    end = w + stable + num_decay_steps
    return (
        f"{warm} if step < {w} else 1.0 if step < {w + stable} else "
        f"{decay} if step < {end} else {m!r}"
    )


def hf_scheduler(
    name: str,
    *,
    num_warmup_steps: int | None,
    num_training_steps: int | None,
    lr_init: float,
    kwargs: dict[str, Any] | None = None,
) -> Recipe:
    """``transformers.get_scheduler(name, optimizer, num_warmup_steps, num_training_steps,
    scheduler_specific_kwargs=kwargs)`` as a spec; ``lr_init`` is ``optimizer.defaults["lr"]``
    (the optimizer's top-level lr, which HF reads, not the param groups')."""
    kw = dict(kwargs or {})
    if name == "constant":
        return Recipe(_lambda("1"), _ignored_warmup(name, num_warmup_steps))
    if name == "reduce_lr_on_plateau":
        warnings = _ignored_warmup(name, num_warmup_steps)
        return Recipe({"type": "ReduceLROnPlateau", **kw}, warnings)
    if name not in HF_SCHEDULES:
        raise RecipeError(
            "lr_scheduler_type",
            f"{name!r} is not one of transformers {TRANSFORMERS_SEMANTICS}'s schedules that "
            f"are torch schedulers ({', '.join(sorted(HF_SCHEDULES))})",
        )
    if num_warmup_steps is None:
        raise RecipeError("num_warmup_steps", f"{name} requires num_warmup_steps")
    w = num_warmup_steps
    if name == "constant_with_warmup":
        return Recipe(_lambda(constant_with_warmup(w)))
    if name == "inverse_sqrt":
        return Recipe(_lambda(inverse_sqrt(w, **kw)))
    if name == "warmup_stable_decay":
        body = warmup_stable_decay(w, t=num_training_steps, **kw)
        return Recipe(_lambda(body))
    if num_training_steps is None:
        raise RecipeError("num_training_steps", f"{name} requires num_training_steps")
    t = num_training_steps
    warnings = []
    if name in ("polynomial", "cosine_with_min_lr", "cosine_warmup_with_min_lr") and (
        name == "polynomial" or kw.get("min_lr") is not None
    ):
        warnings.append(
            f"HF's {name} takes its floor relative to optimizer.defaults['lr'] "
            f"({lr_init!r}), the optimizer's lr argument, not each param group's lr."
        )
    build = HF_SCHEDULES[name]
    if name in ("polynomial", "cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        return Recipe(_lambda(build(w, t, lr_init, **kw)), warnings)
    return Recipe(_lambda(build(w, t, **kw)), warnings)


def _ignored_warmup(name: str, num_warmup_steps: int | None) -> list[str]:
    if num_warmup_steps:
        return [f"HF's {name} schedule ignores num_warmup_steps ({num_warmup_steps})."]
    return []


HF_SCHEDULES: dict[str, Callable[..., str]] = {
    "linear": linear,
    "cosine": cosine,
    "cosine_with_restarts": cosine_with_restarts,
    "polynomial": polynomial,
    "constant_with_warmup": lambda w: constant_with_warmup(w),
    "inverse_sqrt": inverse_sqrt,
    "cosine_with_min_lr": cosine_with_min_lr,
    "cosine_warmup_with_min_lr": cosine_warmup_with_min_lr,
    "warmup_stable_decay": warmup_stable_decay,
}
# Names in get_scheduler that are also handled above, outside the table.
SPECIAL_SCHEDULES = ("constant", "reduce_lr_on_plateau")


def hf_warmup_steps(warmup_steps: float, num_training_steps: int) -> int:
    """TrainingArguments.get_warmup_steps (5.x): below 1 it is a ratio, ``ceil(T * w)``."""
    return int(warmup_steps) if warmup_steps >= 1 else math.ceil(num_training_steps * warmup_steps)
