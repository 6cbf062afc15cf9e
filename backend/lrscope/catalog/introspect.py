"""Reading the installed torch: schedulers and optimizers from signatures and docstrings.

Signatures and docstrings say most of it; the curated overlay (``overlay.py``) adds what
they cannot: bounds, the step unit, which arguments are expressions. A scheduler that a
future torch adds shows up here from its signature alone.
"""

from __future__ import annotations

import collections.abc
import functools
import inspect
import re
import typing
from typing import Any, Literal

import torch
import torch.optim
import torch.optim.lr_scheduler as lr_scheduler
import torch.optim.swa_utils as swa_utils

from lrscope.catalog.intervals import intervals_of
from lrscope.catalog.model import (
    SERVICE_ARGS,
    Catalog,
    OptimizerInfo,
    Param,
    ParamType,
    SchedulerInfo,
)
from lrscope.catalog.overlay import (
    EXCLUDED_OPTIMIZERS,
    EXCLUDED_SCHEDULERS,
    IMPLEMENTATION_ARGS,
    OPTIMIZER_OVERLAY,
    OVERLAY,
)


# --- reading signatures ----------------------------------------------------------------
def _annotation_namespace(module: Any) -> dict[str, Any]:
    # torch annotates under `from __future__ import annotations` with names imported only
    # under TYPE_CHECKING, so get_type_hints fails; give eval_str the names it needs.
    ns: dict[str, Any] = {}
    ns.update(vars(typing))
    ns.update({k: getattr(collections.abc, k) for k in collections.abc.__all__})
    ns.update(vars(module))
    ns.update(
        Optimizer=torch.optim.Optimizer,
        LRScheduler=lr_scheduler.LRScheduler,
        Tensor=torch.Tensor,
    )
    return ns


def _signature(cls: Any) -> inspect.Signature:
    module = inspect.getmodule(cls)
    try:
        return inspect.signature(cls.__init__, eval_str=True, globals=_annotation_namespace(module))
    except Exception:  # unknown annotation names: fall back to the raw strings
        return inspect.signature(cls.__init__)


def constructor_params(cls: type) -> list[str]:
    """Names of the constructor's parameters, in order, without ``self``."""
    return [p for p in inspect.signature(cls).parameters if p != "self"]


def _is_scheduler_type(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, lr_scheduler.LRScheduler)


def _classify(annotation: Any, default: Any) -> tuple[ParamType, bool, bool, list[Any] | None]:
    """Map an annotation to (type, nullable, per_group, enum)."""
    if annotation is inspect.Parameter.empty or isinstance(annotation, str):
        return _classify_default(default)
    args = list(typing.get_args(annotation))
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        nullable = type(None) in args
        options = [a for a in args if a is not type(None) and a is not torch.Tensor]
        scalar = [a for a in options if typing.get_origin(a) not in (list, tuple)]
        lists = [a for a in options if typing.get_origin(a) is list]
        if len(scalar) == 1 and len(lists) == 1:
            tp, _, _, enum = _classify(scalar[0], default)
            return tp, nullable, True, enum
        if len(options) == 1:
            tp, _, per_group, enum = _classify(options[0], default)
            return tp, nullable, per_group, enum
        return "json", nullable, False, None
    if origin is typing.Literal:
        return "enum", False, False, args
    if origin is collections.abc.Callable or annotation is collections.abc.Callable:
        return "expression", False, False, None
    if origin in (list, collections.abc.Iterable, collections.abc.Sequence):
        item = args[0] if args else Any
        if _is_scheduler_type(item):
            return "schedulers", False, False, None
        if item is int:
            return "integer_list", False, False, None
        if item is float:
            return "number_list", False, False, None
        return "json", False, False, None
    if origin is tuple:
        plain = [a for a in args if a is float or _is_numberish(a)]
        if len(args) == 2 and len(plain) == 2:
            return "number_pair", False, False, None
        return "json", False, False, None
    simple: dict[Any, ParamType] = {int: "integer", float: "number", bool: "boolean", str: "string"}
    if annotation in simple:
        return simple[annotation], False, False, None
    return _classify_default(default)


def _is_numberish(tp: Any) -> bool:
    args = typing.get_args(tp)
    return bool(args) and all(a in (float, int, torch.Tensor) for a in args)


def _classify_default(default: Any) -> tuple[ParamType, bool, bool, list[Any] | None]:
    if isinstance(default, bool):
        return "boolean", False, False, None
    if isinstance(default, int):
        return "integer", False, False, None
    if isinstance(default, float):
        return "number", False, False, None
    if isinstance(default, str):
        return "string", False, False, None
    return "json", default is None, False, None


_ARG_LINE = re.compile(r"^\s{4,}(\w+)\s*\(([^)]*)\)\s*:\s*(.*)$")


def _doc_parts(cls: type) -> tuple[str, str, dict[str, str]]:
    """Summary, cleaned docstring, and per-argument descriptions from the Args section."""
    doc = inspect.getdoc(cls) or ""
    summary = re.sub(r"\s+", " ", doc.split("\n\n", 1)[0]).strip()
    summary = re.sub(r":(?:class|meth|attr|func):`~?([^`]+)`", r"\1", summary).replace("``", "")
    descriptions: dict[str, str] = {}
    current: str | None = None
    in_args = False
    for line in doc.splitlines():
        if re.match(r"^\s*Args:\s*$", line):
            in_args = True
            continue
        if in_args and line and not line.startswith(" "):
            in_args = False
        if not in_args:
            continue
        m = _ARG_LINE.match("    " + line if not line.startswith("    ") else line)
        if m and len(line) - len(line.lstrip()) <= 4:
            current = m.group(1)
            descriptions[current] = m.group(3).strip()
        elif current and line.strip():
            descriptions[current] += " " + line.strip()
    clean = {
        k: re.sub(r":(?:class|meth|attr|func):`~?([^`]+)`", r"\1", v).replace("``", "")
        for k, v in descriptions.items()
    }
    return summary, doc, clean


def _params_of(cls: type, overlay: dict[str, dict[str, Any]], skip: set[str]) -> list[Param]:
    _, _, descriptions = _doc_parts(cls)
    params: list[Param] = []
    for p in _signature(cls).parameters.values():
        if p.name in skip or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        default = None if p.default is inspect.Parameter.empty else p.default
        tp, nullable, per_group, enum = _classify(p.annotation, default)
        extra = dict(overlay.get(p.name, {}))
        if default is not None and not _json_safe(default):
            default = None
        if isinstance(default, tuple):
            default = list(default)
        if tp == "expression" and "variable" not in extra:
            extra["variable"] = "epoch"
        if tp == "expression" and per_group:
            pass  # one expression per param group, as torch's lr_lambda list
        params.append(
            Param(
                name=p.name,
                type=extra.pop("type", tp),
                default=default,
                required=p.default is inspect.Parameter.empty,
                nullable=nullable or (p.default is None),
                enum=enum,
                per_group=extra.pop("per_group", per_group),
                description=extra.pop("description", descriptions.get(p.name, "")),
                **extra,
            )
        )
    return params


def _json_safe(value: Any) -> bool:
    if isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(v is None or _json_safe(v) for v in value)
    return False


def _step_unit(name: str) -> Literal["epoch", "step"]:
    unit = OVERLAY.get(name, {}).get("step_unit", "epoch")
    return "step" if unit == "step" else "epoch"


def _scheduler_info(name: str, cls: Any) -> SchedulerInfo:
    overlay = OVERLAY.get(name, {})
    params = _params_of(cls, overlay.get("params", {}), SERVICE_ARGS)
    summary, doc, _ = _doc_parts(cls)
    summary = overlay.get("summary", summary)
    step_params = inspect.signature(cls.step).parameters
    needs_metric = overlay.get("needs_metric", "metrics" in step_params)
    composite = any(p.type == "schedulers" for p in params)
    return SchedulerInfo(
        name=name,
        summary=summary,
        doc=doc,
        step_unit=_step_unit(name),
        needs_metric=needs_metric,
        composite=composite,
        params=params,
        cls=cls,
        intervals=intervals_of(cls, needs_metric, composite),
    )


def _optimizer_info(name: str, cls: type) -> OptimizerInfo:
    params = _params_of(cls, OPTIMIZER_OVERLAY, IMPLEMENTATION_ARGS | {"self"})
    names = {p.name for p in params}
    momentum: Literal["momentum", "betas"] | None = (
        "momentum" if "momentum" in names else "betas" if "betas" in names else None
    )
    summary, _, _ = _doc_parts(cls)
    return OptimizerInfo(name=name, summary=summary, momentum=momentum, params=params, cls=cls)


def build_catalog(extra_schedulers: dict[str, type] | None = None) -> Catalog:
    """Read the installed torch. ``extra_schedulers`` lets tests add a class of their own."""
    schedulers: dict[str, SchedulerInfo] = {}
    for name in lr_scheduler.__all__:
        if name in EXCLUDED_SCHEDULERS:
            continue
        schedulers[name] = _scheduler_info(name, getattr(lr_scheduler, name))
    for name, cls in _outside_all().items():
        schedulers.setdefault(name, _scheduler_info(name, cls))
    for name, cls in (extra_schedulers or {}).items():
        schedulers[name] = _scheduler_info(name, cls)
    optimizers: dict[str, OptimizerInfo] = {}
    for name in sorted(dir(torch.optim)):
        cls = getattr(torch.optim, name)
        if (
            isinstance(cls, type)
            and issubclass(cls, torch.optim.Optimizer)
            and name not in EXCLUDED_OPTIMIZERS
        ):
            optimizers[name] = _optimizer_info(name, cls)
    return Catalog(
        torch.__version__.split("+")[0],
        schedulers,
        optimizers,
        {**EXCLUDED_SCHEDULERS, **EXCLUDED_OPTIMIZERS},
    )


def _outside_all() -> dict[str, type]:
    """Schedulers torch defines outside ``lr_scheduler.__all__``: those of
    ``torch.optim.swa_utils`` (SWALR), found as the scheduler classes defined there."""
    return {
        name: cls
        for name, cls in vars(swa_utils).items()
        if _is_scheduler_type(cls)
        and cls.__module__ == swa_utils.__name__
        and name not in EXCLUDED_SCHEDULERS
    }


@functools.cache
def default_catalog() -> Catalog:
    return build_catalog()
