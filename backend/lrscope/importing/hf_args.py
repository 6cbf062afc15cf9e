"""Hugging Face ``TrainingArguments`` (CLI flags, JSON, YAML, or the call in code) -> a
RunSpec, following transformers ``TRANSFORMERS_SEMANTICS``: ``max_steps`` wins over
``num_train_epochs``; ``warmup_steps`` below 1 is a ratio of the run, ``ceil(T * w)``; a
missing ``lr_scheduler_type`` is linear. The schedule itself is ``recipes.hf``'s exact
formula."""

from __future__ import annotations

import json
import math
import shlex
from collections.abc import Mapping
from typing import Any

from lrscope.importing.problems import ImportRefused, Missing, Report, Where, unreadable
from lrscope.importing.python_values import is_number
from lrscope.importing.torch_calls import hf_refusal
from lrscope.recipes.hf import TRANSFORMERS_SEMANTICS, RecipeError, hf_scheduler, hf_warmup_steps
from lrscope.recipes.setup_counts import Setup, resolve_setup

HF_KEYS = (
    "lr_scheduler_type",
    "lr_scheduler_kwargs",
    "learning_rate",
    "warmup_steps",
    "warmup_ratio",
    "num_train_epochs",
    "max_steps",
    "per_device_train_batch_size",
    "gradient_accumulation_steps",
    "weight_decay",
    "optim",
)
# What HF's Trainer needs from the data to count optimizer steps per epoch: the training
# set's size (or, instead, the optimizer steps per epoch counted by the user).
DATASET_NAME = "dataset_size"
STEPS_NAME = "steps_per_epoch"
_ADAMW = ("adamw_torch", "adamw_torch_fused", "adamw_hf", "adamw", "adamw_apex_fused")


def looks_like_hf(mapping: Mapping[str, Any]) -> bool:
    return any(k in mapping for k in HF_KEYS[:7])


def parse_flags(text: str) -> dict[str, Any] | None:
    """``--name value`` / ``--name=value`` pairs of a shell command (None: no flags)."""
    joined = text.replace("\\\r\n", " ").replace("\\\n", " ")
    try:
        words = shlex.split(joined, comments=True)
    except ValueError as exc:
        raise unreadable(Where(1, 1), f"the command line cannot be split: {exc}") from None
    flags: dict[str, Any] = {}
    for i, word in enumerate(words):
        if not word.startswith("--") or len(word) < 3:
            continue
        name, eq, value = word[2:].partition("=")
        if not eq:
            nxt = words[i + 1] if i + 1 < len(words) else None
            value = nxt if nxt is not None and not nxt.startswith("--") else "true"
        flags[name.replace("-", "_")] = value
    return flags if looks_like_hf(flags) else None


def _value(raw: Any, name: str, given: Mapping[str, Any]) -> Any:
    """A flag's text as JSON would hold it; ``$VAR`` is an open name."""
    if isinstance(raw, str) and raw.startswith("$"):
        key = raw.strip("${}") if raw.startswith("${") else raw
        return given.get(raw, given.get(key, Missing({raw: Where(1, 1)})))
    if not isinstance(raw, str):
        return raw
    low = raw.lower()
    if low in ("true", "false"):
        return low == "true"
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    return raw


def _number(args: Mapping[str, Any], key: str, default: float, report: Report) -> Any:
    value = report.need(args.get(key, default))
    if isinstance(value, Missing):
        return default  # stands in until the open name is given (the import is refused)
    if not is_number(value):
        raise unreadable(Where(1, 1), f"{key} must be a number, got {value!r}")
    return value


def _optimizer(args: Mapping[str, Any], lr: float, report: Report) -> dict[str, Any]:
    optim = str(args.get("optim", "adamw_torch"))
    decay = _number(args, "weight_decay", 0.0, report)
    if optim == "sgd":
        return {"type": "SGD", "lr": lr, "weight_decay": decay}
    if optim not in _ADAMW:
        report.warn("import_hf_optimizer", optim=optim)
    betas = [_number(args, "adam_beta1", 0.9, report), _number(args, "adam_beta2", 0.999, report)]
    eps = _number(args, "adam_epsilon", 1e-8, report)
    return {"type": "AdamW", "lr": lr, "betas": betas, "eps": eps, "weight_decay": decay}


def _setup(args: Mapping[str, Any], size: int, report: Report) -> dict[str, Any]:
    """The run's ``setup`` (framework hf): the TrainingArguments that count its steps."""
    return {
        "dataset_size": size,
        "batch_size": int(_number(args, "per_device_train_batch_size", 8, report)),
        "devices": int(_number(args, "nproc_per_node", 1, report)),
        "grad_accum": int(_number(args, "gradient_accumulation_steps", 1, report)),
        "drop_last": bool(args.get("dataloader_drop_last", False)),
        "framework": "hf",
    }


def _steps_per_epoch(setup: dict[str, Any]) -> int:
    """HF Trainer's optimizer updates per epoch (``recipes.setup_counts``); 0: none."""
    counts = resolve_setup(Setup(**{**setup, "epochs": 1}))
    return counts.steps_per_epoch if counts is not None else 0


def _length(args: Mapping[str, Any], given: Mapping[str, Any], report: Report) -> dict[str, Any]:
    """The run length (``epochs`` and ``steps_per_epoch``, or a ``setup`` that gives them)
    and its total optimizer steps ``T``, as HF's Trainer counts them."""
    max_steps = int(_number(args, "max_steps", -1, report))
    raw = given.get(DATASET_NAME)
    if raw is not None:
        report.origins[("setup", "dataset_size")] = (Where(1, 1), DATASET_NAME)
    size = raw if isinstance(raw, int | float) and not isinstance(raw, bool) and raw >= 1 else None
    if max_steps > 0:
        if size is None:
            return {"epochs": 1, "steps_per_epoch": max_steps, "T": max_steps}
        setup = {**_setup(args, int(size), report), "max_steps": max_steps}
        return {"setup": setup, "T": max_steps}
    epochs = _number(args, "num_train_epochs", 3.0, report)
    if STEPS_NAME in given and size is None:  # the updates per epoch, counted by the user
        per_epoch = given[STEPS_NAME]
        if not is_number(per_epoch):
            raise unreadable(Where(1, 1), f"{STEPS_NAME} must be a number")
        report.origins[("steps_per_epoch",)] = (Where(1, 1), STEPS_NAME)
        total = math.ceil(epochs * int(per_epoch))  # HF: ceil(num_train_epochs * updates)
        if float(epochs).is_integer():
            return {"epochs": int(epochs), "steps_per_epoch": int(per_epoch), "T": total}
        report.warn("import_hf_fractional_epochs", epochs=repr(epochs), steps=str(total))
        return {"epochs": 1, "steps_per_epoch": total, "T": total}
    if size is None:
        report.need(given.get(DATASET_NAME, Missing({DATASET_NAME: Where(1, 1)})))
        return {"epochs": 1, "steps_per_epoch": 1, "T": 1}
    setup = _setup(args, int(size), report)
    total = math.ceil(epochs * _steps_per_epoch(setup))
    if float(epochs).is_integer():
        setup["epochs"] = int(epochs)
    else:  # HF stops at max_steps = ceil(num_train_epochs * updates), part way into an epoch
        report.warn("import_hf_fractional_epochs", epochs=repr(epochs), steps=str(total))
        setup["max_steps"] = max(total, 1)
    return {"setup": setup, "T": max(total, 1)}


def _kwargs(args: Mapping[str, Any]) -> dict[str, Any]:
    raw = args.get("lr_scheduler_kwargs") or {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise unreadable(Where(1, 1), "lr_scheduler_kwargs must be a JSON object") from None
    if not isinstance(raw, dict):
        raise unreadable(Where(1, 1), "lr_scheduler_kwargs must be an object")
    return dict(raw)


def hf_args_spec(
    raw: Mapping[str, Any], given: Mapping[str, Any], report: Report
) -> dict[str, Any]:
    args = {k: _value(v, k, given) for k, v in raw.items()}
    lr = float(_number(args, "learning_rate", 5e-5, report))
    name = str(report.need(args.get("lr_scheduler_type", "linear")))
    length = _length(args, given, report)
    warmup = _number(args, "warmup_steps", 0, report)
    if "warmup_ratio" in args:
        ratio = _number(args, "warmup_ratio", 0.0, report)
        report.warn("import_hf_warmup_ratio", version=TRANSFORMERS_SEMANTICS, ratio=repr(ratio))
        warmup = warmup if warmup > 0 else ratio
    report.raise_errors()
    w = hf_warmup_steps(warmup, length["T"])
    try:
        recipe = hf_scheduler(
            name,
            num_warmup_steps=w,
            num_training_steps=length["T"],
            lr_init=lr,
            kwargs=_kwargs(args),
        )
    except (RecipeError, TypeError) as exc:
        field = getattr(exc, "field", "lr_scheduler_kwargs")
        raise ImportRefused(hf_refusal(Where(1, 1), field, str(exc))) from None
    for text in recipe.warnings:
        report.warn("import_note", detail=text)
    interval = "epoch" if recipe.scheduler["type"] == "ReduceLROnPlateau" else "step"
    spec = {
        "scheduler": recipe.scheduler,
        "optimizer": _optimizer(args, lr, report),
        "interval": interval,
    }
    for key in ("epochs", "steps_per_epoch", "setup"):
        if key in length:
            spec[key] = length[key]
    report.warn(
        "import_hf_semantics", version=TRANSFORMERS_SEMANTICS, warmup=str(w), total=str(length["T"])
    )
    return spec
