"""Calls that build an optimizer or a scheduler -> their lrscope specs: ``torch.optim``
optimizers (one group or a list of param-group dicts), every ``lr_scheduler`` class in the
catalog (children and lambdas included) and Hugging Face's schedule functions (through
``lrscope.recipes.hf``, the exact formulas)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from lrscope.catalog import Catalog, constructor_params
from lrscope.errors import Loc
from lrscope.importing.formulas import callable_node, formula
from lrscope.importing.problems import ImportRefused, Report, Where, unreadable
from lrscope.importing.python_values import Values, source_of, where
from lrscope.recipes.hf import RecipeError, hf_scheduler

# Constructor arguments that are no part of a schedule's shape.
IGNORED_ARGUMENTS = ("last_epoch", "verbose")
# transformers.optimization's functions: the get_scheduler name and positional arguments
# after the optimizer (``last_epoch`` is dropped).
_W, _T = "num_warmup_steps", "num_training_steps"
HF_FUNCTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "get_linear_schedule_with_warmup": ("linear", (_W, _T)),
    "get_cosine_schedule_with_warmup": ("cosine", (_W, _T, "num_cycles")),
    "get_cosine_with_hard_restarts_schedule_with_warmup": (
        "cosine_with_restarts",
        (_W, _T, "num_cycles"),
    ),
    "get_polynomial_decay_schedule_with_warmup": ("polynomial", (_W, _T, "lr_end", "power")),
    "get_constant_schedule": ("constant", ()),
    "get_constant_schedule_with_warmup": ("constant_with_warmup", (_W,)),
    "get_inverse_sqrt_schedule": ("inverse_sqrt", (_W, "timescale")),
    "get_cosine_with_min_lr_schedule_with_warmup": (
        "cosine_with_min_lr",
        (_W, _T, "num_cycles", "last_epoch", "min_lr", "min_lr_rate"),
    ),
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate": (
        "cosine_warmup_with_min_lr",
        (_W, _T, "num_cycles", "last_epoch", "min_lr", "min_lr_rate", "warmup_lr_rate"),
    ),
    "get_wsd_schedule": (
        "warmup_stable_decay",
        (_W, "num_decay_steps", _T, "num_stable_steps", "warmup_type", "decay_type"),
    ),
    "get_reduce_on_plateau_schedule": ("reduce_lr_on_plateau", ()),
}


@dataclass
class Built:
    """An optimizer or scheduler the text constructs, as a spec, with where its values are."""

    kind: str  # "optimizer" | "scheduler"
    spec: dict[str, Any]
    where: Where
    origins: dict[Loc, tuple[Where, str | None]] = field(default_factory=dict)
    optimizer: Built | None = None
    hf: bool = False
    children: list[Built] = field(default_factory=list)


def _json(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def call_name(node: ast.Call) -> str:
    return source_of(node.func)


def _bind(node: ast.Call, names: list[str]) -> dict[str, ast.expr]:
    """The call's arguments by parameter name (positional ones in ``names``' order)."""
    if any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        raise unreadable(where(node), "*args and **kwargs cannot be read; write the arguments out")
    if len(node.args) > len(names):
        raise unreadable(
            where(node), f"{call_name(node)} takes at most {len(names)} positional arguments"
        )
    bound = dict(zip(names, node.args, strict=False))
    for k in node.keywords:
        assert k.arg is not None
        bound[k.arg] = k.value
    return bound


class Builder:
    """Reads constructor calls against the catalog; ``objects`` maps a node to what it built."""

    def __init__(self, catalog: Catalog, values: Values, report: Report, text: str) -> None:
        self.catalog, self.values, self.report, self.text = catalog, values, report, text
        self.functions: dict[str, ast.FunctionDef] = {}

    def kind_of(self, node: ast.Call) -> str | None:
        name = call_name(node)
        tail = name.rsplit(".", 1)[-1]
        if tail in self.catalog.optimizers and (name == tail or "optim" in name):
            return "optimizer"
        if tail in self.catalog.schedulers and (
            name == tail or "lr_scheduler" in name or "optim" in name
        ):
            return "scheduler"
        if tail in HF_FUNCTIONS or tail == "get_scheduler":
            return "hf"
        return None

    def build(self, node: ast.Call) -> Built | None:
        kind = self.kind_of(node)
        if kind == "optimizer":
            return self.optimizer(node)
        if kind == "scheduler":
            return self.scheduler(node)
        if kind == "hf":
            return self.hf(node)
        return None

    def _origin(self, arg: ast.AST) -> tuple[Where, str | None]:
        text = source_of(arg)
        return where(arg), text if text in self.values.given else None

    def optimizer(self, node: ast.Call) -> Built:
        name = call_name(node).rsplit(".", 1)[-1]
        info = self.catalog.optimizers[name]
        bound = _bind(node, constructor_params(info.cls))
        spec: dict[str, Any] = {"type": name}
        built = Built("optimizer", spec, where(node))
        params = bound.pop("params", None)
        groups = self.values.of(params) if params is not None else None
        if isinstance(groups, list | tuple) and groups and all(isinstance(g, dict) for g in groups):
            nodes = params.elts if isinstance(params, ast.List | ast.Tuple) else []
            spec["param_groups"] = [
                self._group(built, g, group, nodes) for g, group in enumerate(groups)
            ]
        for key, arg in bound.items():
            spec[key] = _json(self.report.need(self.values.of(arg)))
            built.origins[(key,)] = self._origin(arg)
        return built

    def _group(
        self, built: Built, g: int, group: dict[str, Any], nodes: list[ast.expr]
    ) -> dict[str, Any]:
        """One param group's overrides (its ``params`` are the model's, not the spec's)."""
        node = nodes[g] if g < len(nodes) else None
        overrides = {}
        for key, value in group.items():
            if key == "params":
                continue
            overrides[key] = _json(self.report.need(value))
            at = where(node) if node is not None else built.where
            built.origins[("param_groups", g, key)] = (at, None)
        return overrides

    def _optimizer_of(self, arg: ast.AST | None) -> Built | None:
        value = self.values.of(arg) if arg is not None else None
        return value if isinstance(value, Built) and value.kind == "optimizer" else None

    def scheduler(self, node: ast.Call) -> Built:
        name = call_name(node).rsplit(".", 1)[-1]
        info = self.catalog.schedulers[name]
        bound = _bind(node, constructor_params(info.cls))
        built = Built("scheduler", {"type": name}, where(node))
        built.optimizer = self._optimizer_of(bound.pop("optimizer", None))
        for key, arg in bound.items():
            if key in IGNORED_ARGUMENTS:
                self.report.warn("import_argument_ignored", name=key, line=str(where(arg).line))
                continue
            param = info.param(key)
            if param is not None and param.type == "schedulers":
                self._children(built, key, arg)
                continue
            if param is not None and param.type == "expression":
                value = self._expression(arg, param.variable or "epoch")
            else:
                value = self.values.of(arg)
            built.spec[key] = _json(self.report.need(value))
            built.origins[(key,)] = self._origin(arg)
        return built

    def _children(self, built: Built, key: str, arg: ast.AST) -> None:
        value = self.values.of(arg)
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, Built) and v.kind == "scheduler" for v in value
        ):
            raise unreadable(where(arg), "schedulers must be a list of schedulers built above")
        built.children = list(value)
        built.spec[key] = [c.spec for c in value]
        for i, child in enumerate(value):
            for loc, origin in child.origins.items():
                built.origins[(key, i, *loc)] = origin
            built.origins.setdefault((key, i), (child.where, None))
            if built.optimizer is None:
                built.optimizer = child.optimizer

    def _expression(self, arg: ast.AST, variable: str) -> Any:
        items = arg.elts if isinstance(arg, ast.List | ast.Tuple) else None
        if items is not None:
            return [self._expression(item, variable) for item in items]
        lam = callable_node(arg, self.functions, self.values.env)
        if lam is None:
            value = self.values.of(arg)
            if isinstance(value, str):
                return value
            raise unreadable(where(arg), "expected a lambda or a function with one return line")
        return formula(lam, variable, self.values, self.text)

    def hf(self, node: ast.Call) -> Built:
        tail = call_name(node).rsplit(".", 1)[-1]
        if tail == "get_scheduler":
            bound = _bind(node, ["name", "optimizer", _W, _T, "scheduler_specific_kwargs"])
            sched = self._hf_name(bound.pop("name", None))
            extra = self.report.need(self.values.of(bound.pop("scheduler_specific_kwargs", None)))
            kwargs = dict(extra) if isinstance(extra, dict) else {}
        else:
            sched, positional = HF_FUNCTIONS[tail]
            bound = _bind(node, ["optimizer", *positional])
            kwargs = {}
        optimizer = self._optimizer_of(bound.pop("optimizer", None))
        bound.pop("last_epoch", None)
        warmup = self.report.need(self.values.of(bound.pop(_W, None)))
        total = self.report.need(self.values.of(bound.pop(_T, None)))
        for key, arg in bound.items():
            kwargs[key] = self.report.need(self.values.of(arg))
        if self.report.errors:
            return Built("scheduler", {"type": "LambdaLR", "lr_lambda": "1"}, where(node), hf=True)
        return self._recipe(node, str(sched), warmup, total, kwargs, optimizer)

    def _hf_name(self, node: ast.expr | None) -> Any:
        """``"cosine"``, ``SchedulerType.COSINE`` or a name the text leaves open."""
        if isinstance(node, ast.Attribute) and source_of(node.value).endswith("SchedulerType"):
            return node.attr.lower()
        return self.report.need(self.values.of(node))

    def _recipe(
        self,
        node: ast.Call,
        name: str,
        warmup: Any,
        total: Any,
        kwargs: dict[str, Any],
        optimizer: Built | None,
    ) -> Built:
        lr = self.optimizer_lr(optimizer)
        try:
            recipe = hf_scheduler(
                name, num_warmup_steps=warmup, num_training_steps=total, lr_init=lr, kwargs=kwargs
            )
        except (RecipeError, TypeError) as exc:
            raise ImportRefused(
                hf_refusal(where(node), getattr(exc, "field", name), str(exc))
            ) from None
        for text in recipe.warnings:
            self.report.warn("import_note", detail=text)
        built = Built("scheduler", recipe.scheduler, where(node), optimizer=optimizer, hf=True)
        return built

    def optimizer_lr(self, optimizer: Built | None) -> float:
        """``optimizer.defaults["lr"]``: its lr argument, or the class default."""
        if optimizer is None:
            return 0.1
        lr = optimizer.spec.get("lr")
        if isinstance(lr, int | float):
            return float(lr)
        param = self.catalog.optimizers[optimizer.spec["type"]].param("lr")
        return float(param.default) if param and isinstance(param.default, int | float) else 0.001


def hf_refusal(at: Where, field_name: str, detail: str) -> dict[str, Any]:
    """HF's own refusal of a schedule's arguments (transformers would raise the same)."""
    return unreadable(at, f"{field_name}: {detail}").item
