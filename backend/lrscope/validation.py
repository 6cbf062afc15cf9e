"""Check a RunSpec against the catalog before torch runs, and resolve it for evaluation.

Every problem becomes an error item ``{"loc", "msg", "type"}`` whose ``loc`` points at the
field (inside nested schedulers too), in words a student understands. Torch accepts many
arguments that later crash or silently give nonsense; the rules below catch those first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lrscope.catalog import Catalog, OptimizerInfo, Param, SchedulerInfo
from lrscope.expressions import ExpressionError, compile_expression
from lrscope.settings import Limits
from lrscope.specs import MetricSpec, OptimizerSpec, RunSpec, SchedulerSpec, SyntheticMetric

Loc = tuple[str | int, ...]


class SpecError(ValueError):
    """One or more user-fixable problems with a spec."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors


def error(loc: Loc, msg: str, kind: str = "value_error") -> dict[str, Any]:
    return {"loc": list(loc), "msg": msg, "type": kind}


@dataclass
class ResolvedOptimizer:
    info: OptimizerInfo
    kwargs: dict[str, Any]
    groups: list[dict[str, Any]]


@dataclass
class ResolvedScheduler:
    info: SchedulerInfo
    kwargs: dict[str, Any]
    children: list[ResolvedScheduler] = field(default_factory=list)
    loc: Loc = ()


@dataclass
class ResolvedRun:
    scheduler: ResolvedScheduler
    optimizer: ResolvedOptimizer
    epochs: int
    steps_per_epoch: int
    interval: str
    metric: list[float] | None
    max_points: int
    warnings: list[str]

    @property
    def num_steps(self) -> int:
        """Optimizer steps, and so points, in the run."""
        return self.epochs * self.steps_per_epoch

    @property
    def scheduler_values(self) -> int:
        """Distinct scheduler states the run uses (one per epoch or one per step)."""
        return self.epochs if self.interval == "epoch" else self.num_steps


@dataclass
class _Context:
    catalog: Catalog
    limits: Limits
    num_groups: int
    group_lrs: list[float]
    optimizer: ResolvedOptimizer | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, loc: Loc, msg: str, kind: str = "value_error") -> None:
        self.errors.append(error(loc, msg, kind))


# --- single values ----------------------------------------------------------------------
def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _bounds_message(p: Param, v: float) -> str | None:
    if p.minimum is not None and v < p.minimum:
        return f"must be at least {_fmt(p.minimum)}, got {_fmt(v)}"
    if p.exclusive_minimum is not None and v <= p.exclusive_minimum:
        return f"must be greater than {_fmt(p.exclusive_minimum)}, got {_fmt(v)}"
    if p.maximum is not None and v > p.maximum:
        return f"must be at most {_fmt(p.maximum)}, got {_fmt(v)}"
    if p.exclusive_maximum is not None and v >= p.exclusive_maximum:
        return f"must be less than {_fmt(p.exclusive_maximum)}, got {_fmt(v)}"
    return None


def _fmt(v: float) -> str:
    return repr(int(v)) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else repr(v)


def _number(ctx: _Context, p: Param, v: Any, loc: Loc, integer: bool) -> Any:
    if not _is_number(v):
        ctx.fail(loc, f"must be {'a whole number' if integer else 'a number'}, got {_describe(v)}")
        return None
    if not math.isfinite(v):
        ctx.fail(loc, "must be a finite number")
        return None
    if integer:
        if isinstance(v, float) and not v.is_integer():
            ctx.fail(loc, f"must be a whole number, got {v!r}")
            return None
        v = int(v)
        if abs(v) > 10**12:
            ctx.fail(loc, f"is too large ({v})")
            return None
    else:
        v = float(v)  # torch checks isinstance(x, float) in places; JSON 1 arrives as int
    msg = _bounds_message(p, v)
    if msg:
        ctx.fail(loc, msg)
        return None
    return v


def _describe(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f"the text {v[:40]!r}"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return repr(v)


def _value(ctx: _Context, p: Param, v: Any, loc: Loc) -> Any:
    """Check one argument value; return it converted for torch (None when it failed)."""
    if v is None:
        if p.nullable:
            return None
        ctx.fail(loc, "must not be null")
        return None
    if p.per_group and isinstance(v, list) and p.type != "schedulers":
        if len(v) != ctx.num_groups:
            ctx.fail(
                loc,
                f"has {len(v)} values but the optimizer has {ctx.num_groups} param group(s); "
                "give one value per group, or a single value for all",
            )
            return None
        single = Param(**{**p.__dict__, "per_group": False})
        items = [_value(ctx, single, item, (*loc, i)) for i, item in enumerate(v)]
        return None if any(i is None for i in items) else items
    if p.type in ("number", "integer"):
        return _number(ctx, p, v, loc, integer=p.type == "integer")
    if p.type == "boolean":
        if not isinstance(v, bool):
            ctx.fail(loc, f"must be true or false, got {_describe(v)}")
            return None
        return v
    if p.type == "enum":
        if v not in (p.enum or []):
            choices = ", ".join(repr(c) for c in p.enum or [])
            ctx.fail(loc, f"must be one of {choices}; got {_describe(v)}", "enum")
            return None
        return v
    if p.type == "string":
        if not isinstance(v, str) or len(v) > 200:
            ctx.fail(loc, f"must be a short text, got {_describe(v)}")
            return None
        return v
    if p.type == "expression":
        if not isinstance(v, str):
            ctx.fail(loc, f"must be an expression in '{p.variable}' written as text, e.g. "
                          f"\"0.95 ** {p.variable}\"; got {_describe(v)}")
            return None
        try:
            return compile_expression(
                v, p.variable or "epoch", max_length=ctx.limits.max_expression_length
            )
        except ExpressionError as exc:
            ctx.fail(loc, str(exc), "expression")
            return None
    if p.type in ("integer_list", "number_list", "number_pair"):
        if not isinstance(v, list):
            ctx.fail(loc, f"must be a list of numbers, got {_describe(v)}")
            return None
        if p.type == "number_pair" and len(v) != 2:
            ctx.fail(loc, f"must be a list of two numbers, got {len(v)}")
            return None
        if len(v) > ctx.limits.max_list_length:
            ctx.fail(loc, f"has {len(v)} items; at most {ctx.limits.max_list_length} are allowed")
            return None
        item = Param(**{**p.__dict__, "type": "integer" if p.type == "integer_list" else "number"})
        items = [_number(ctx, item, x, (*loc, i), p.type == "integer_list") for i, x in enumerate(v)]
        if any(i is None for i in items):
            return None
        return tuple(items) if p.type == "number_pair" else items
    if p.type == "json":
        return tuple(v) if isinstance(v, list) else v
    ctx.fail(loc, f"has a type ({p.type}) this service cannot take")
    return None


# --- optimizer --------------------------------------------------------------------------
def _check_args(
    ctx: _Context, info: OptimizerInfo | SchedulerInfo, args: dict[str, Any], loc: Loc
) -> dict[str, Any]:
    known = {p.name: p for p in info.params}
    out: dict[str, Any] = {}
    for name, v in args.items():
        if name not in known:
            hint = ", ".join(known) or "none"
            ctx.fail((*loc, name), f"is not an argument of {info.name} (its arguments: {hint})",
                     "extra_forbidden")
            continue
        if known[name].type == "schedulers":
            continue  # resolved by the caller, recursively
        checked = _value(ctx, known[name], v, (*loc, name))
        if checked is not None or v is None:
            out[name] = checked
    for p in info.params:
        if p.required and p.name not in args:
            ctx.fail((*loc, p.name), f"is required by {info.name}", "missing")
    return out


def _resolve_optimizer(ctx: _Context, spec: OptimizerSpec, loc: Loc) -> ResolvedOptimizer | None:
    info = ctx.catalog.optimizers.get(spec.type)
    if info is None:
        ctx.fail((*loc, "type"), f"unknown optimizer {spec.type!r}; choose one of "
                 + ", ".join(ctx.catalog.optimizers), "unknown_type")
        return None
    kwargs = _check_args(ctx, info, spec.arguments(), loc)
    groups: list[dict[str, Any]] = []
    raw_groups = spec.param_groups if spec.param_groups is not None else [{}]
    if not 1 <= len(raw_groups) <= ctx.limits.max_param_groups:
        ctx.fail((*loc, "param_groups"),
                 f"must hold 1 to {ctx.limits.max_param_groups} groups, got {len(raw_groups)}")
        return None
    for i, group in enumerate(raw_groups):
        groups.append(_check_args(ctx, info, group, (*loc, "param_groups", i)))
    lr_param = info.param("lr")
    default_lr = lr_param.default if lr_param and _is_number(lr_param.default) else 0.001
    ctx.num_groups = len(groups)
    ctx.group_lrs = [float(g.get("lr", kwargs.get("lr", default_lr))) for g in groups]
    return ResolvedOptimizer(info, kwargs, groups)


# --- schedulers -------------------------------------------------------------------------
def _resolve_scheduler(
    ctx: _Context, spec: dict[str, Any], loc: Loc, depth: int, span: int
) -> ResolvedScheduler | None:
    """``span``: how many of this scheduler's values the run uses (its steps + 1)."""
    if depth > ctx.limits.max_depth:
        ctx.fail(loc, f"schedulers are nested too deeply (at most {ctx.limits.max_depth} levels)")
        return None
    kind = spec.get("type")
    if not isinstance(kind, str):
        ctx.fail((*loc, "type"), "is required: the name of a torch.optim.lr_scheduler class",
                 "missing")
        return None
    info = ctx.catalog.schedulers.get(kind)
    if info is None:
        ctx.fail((*loc, "type"), f"unknown scheduler {kind!r}; choose one of "
                 + ", ".join(ctx.catalog.schedulers), "unknown_type")
        return None
    args = {k: v for k, v in spec.items() if k != "type"}
    kwargs = _check_args(ctx, info, args, loc)
    resolved = ResolvedScheduler(info, kwargs, [], loc)
    for p in info.params:
        if p.type == "schedulers" and p.name in args:
            resolved.children = _resolve_children(ctx, resolved, args[p.name], (*loc, p.name),
                                                  depth, span)
    rule = RULES.get(info.name)
    if rule is not None and not any(_under(e["loc"], loc) for e in ctx.errors):
        rule(ctx, resolved, span)
    return resolved


def _under(err_loc: list[Any], loc: Loc) -> bool:
    return tuple(err_loc[: len(loc)]) == loc and len(err_loc) >= len(loc)


def _resolve_children(
    ctx: _Context, parent: ResolvedScheduler, raw: Any, loc: Loc, depth: int, span: int
) -> list[ResolvedScheduler]:
    if not isinstance(raw, list) or not raw:
        ctx.fail(loc, "must be a non-empty list of scheduler specs")
        return []
    if len(raw) > ctx.limits.max_children:
        ctx.fail(loc, f"has {len(raw)} schedulers; at most {ctx.limits.max_children} are allowed")
        return []
    spans = [span] * len(raw)
    milestones = parent.kwargs.get("milestones")
    if parent.info.name == "SequentialLR" and isinstance(milestones, list):
        bounds = [0, *milestones, max(span, milestones[-1] if milestones else 0)]
        spans = [max(0, bounds[i + 1] - bounds[i]) for i in range(len(raw))]
        if len(spans) < len(raw):
            spans += [span] * (len(raw) - len(spans))
    children = []
    for i, child in enumerate(raw):
        if not isinstance(child, dict):
            ctx.fail((*loc, i), f"must be a scheduler spec object, got {_describe(child)}")
            continue
        resolved = _resolve_scheduler(ctx, child, (*loc, i), depth + 1, spans[i])
        if resolved is not None:
            children.append(resolved)
    return children


def _gt(ctx: _Context, r: ResolvedScheduler, name: str, value: float, msg: str) -> None:
    ctx.fail((*r.loc, name), msg.format(value=_fmt(value)))


def _rule_sequential(ctx: _Context, r: ResolvedScheduler, span: int) -> None:
    ms = r.kwargs.get("milestones", [])
    n = len(r.children)
    if len(ms) != n - 1:
        ctx.fail((*r.loc, "milestones"),
                 f"needs exactly one milestone fewer than schedulers: {n} scheduler(s) need "
                 f"{n - 1} milestone(s), got {len(ms)}")
        return
    if any(b <= a for a, b in zip(ms, ms[1:])):
        ctx.fail((*r.loc, "milestones"), "must be strictly increasing, e.g. [5, 50]")
    for i, child in enumerate(r.children):
        name = child.info.name
        if child.info.needs_metric:
            ctx.fail((*r.loc, "schedulers", i, "type"),
                     f"{name} cannot go inside SequentialLR: it needs a metric at every step")
        elif name == "ChainedScheduler" and i > 0:
            ctx.fail((*r.loc, "schedulers", i, "type"),
                     "torch cannot switch to a ChainedScheduler at a milestone "
                     "(it raises NotImplementedError); put it first or restructure")
        elif name == "ChainedScheduler":
            ctx.warnings.append(
                "A ChainedScheduler as the first child of SequentialLR gets one extra step "
                "when SequentialLR starts (a torch quirk): its values start one step ahead.")
        elif name == "SequentialLR":
            ctx.warnings.append(
                "A SequentialLR nested inside another SequentialLR switches to its next "
                "scheduler one epoch early (a torch quirk); the curve shows what torch does.")


def _rule_chained(ctx: _Context, r: ResolvedScheduler, span: int) -> None:
    for i, child in enumerate(r.children):
        if child.info.needs_metric:
            ctx.fail((*r.loc, "schedulers", i, "type"),
                     f"{child.info.name} cannot go inside ChainedScheduler: it needs a metric")


def _rule_growth(ctx: _Context, r: ResolvedScheduler, span: int) -> None:
    gamma = r.kwargs.get("gamma", 0.1)
    if gamma > 1:
        ctx.warnings.append(f"{r.info.name}: gamma = {_fmt(gamma)} is above 1, so the learning "
                            "rate grows instead of decaying.")


def _rule_cosine(ctx: _Context, r: ResolvedScheduler, span: int) -> None:
    t_max, eta_min = r.kwargs.get("T_max", 1), r.kwargs.get("eta_min", 0.0)
    if span - 1 > t_max:
        ctx.warnings.append(
            f"CosineAnnealingLR runs {span - 1} steps but T_max = {t_max}: past T_max the cosine "
            "rises again towards the initial rate (torch does not hold it at eta_min).")
    if any(eta_min > lr for lr in ctx.group_lrs):
        ctx.warnings.append(f"CosineAnnealingLR: eta_min = {_fmt(eta_min)} is above the initial "
                            "learning rate, so the curve goes up instead of down.")


def _cycles_momentum(ctx: _Context, r: ResolvedScheduler) -> None:
    if not r.kwargs.get("cycle_momentum", True) or ctx.optimizer is None:
        return
    opt = ctx.optimizer
    if opt.info.momentum is None:
        ctx.fail((*r.loc, "cycle_momentum"),
                 f"{opt.info.name} has no momentum or betas to cycle; set cycle_momentum to "
                 "false or pick an optimizer with momentum (SGD, RMSprop) or betas (Adam...)")
    elif opt.info.momentum == "momentum":
        momenta = [g.get("momentum", opt.kwargs.get("momentum", 0)) for g in opt.groups]
        if any(m == 0 for m in momenta):
            ctx.warnings.append(
                f"{r.info.name} with cycle_momentum=true switches momentum on: the optimizer "
                "had momentum = 0, and torch overwrites it with the cycled momentum.")


def _rule_cyclic(ctx: _Context, r: ResolvedScheduler, span: int) -> None:
    base = _per_group(r.kwargs["base_lr"], ctx.num_groups)
    top = _per_group(r.kwargs["max_lr"], ctx.num_groups)
    for g, (b, m) in enumerate(zip(base, top)):
        if m < b:
            loc = (*r.loc, "max_lr", g) if isinstance(r.kwargs["max_lr"], list) else (*r.loc, "max_lr")
            ctx.fail(loc, f"must be at least base_lr ({_fmt(b)}), got {_fmt(m)}")
    _cycles_momentum(ctx, r)


def _rule_onecycle(ctx: _Context, r: ResolvedScheduler, span: int) -> None:
    kw = r.kwargs
    total = kw.get("total_steps")
    if total is None and kw.get("epochs") is not None and kw.get("steps_per_epoch") is not None:
        total = kw["epochs"] * kw["steps_per_epoch"]
    elif total is None and (kw.get("epochs") is None) != (kw.get("steps_per_epoch") is None):
        ctx.fail((*r.loc, "steps_per_epoch" if kw.get("epochs") else "epochs"),
                 "give both epochs and steps_per_epoch, or total_steps, or neither "
                 "(then total_steps is the run length)")
        return
    if total is None:
        total = max(span, 2)
        kw["total_steps"] = total
        kw.pop("epochs", None)
        kw.pop("steps_per_epoch", None)
    where = "total_steps" if kw.get("total_steps") is not None else "epochs"
    if total < span:
        ctx.fail((*r.loc, where),
                 f"the schedule has {total} steps but the run steps it {span} times; torch "
                 f"raises an error past the end. Use total_steps >= {span} (or leave it out)")
        return
    pct = kw.get("pct_start", 0.3)
    phases = [pct * total - 1, total - pct * total]
    if kw.get("three_phase"):
        phases = [pct * total - 1, pct * total - 1, total + 1 - 2 * pct * total]
    if any(p <= 0 for p in phases):
        ctx.fail((*r.loc, "pct_start"),
                 f"pct_start = {_fmt(pct)} with total_steps = {total} leaves a phase with no "
                 "steps (torch divides by zero); move pct_start towards the middle")
    _cycles_momentum(ctx, r)


def _per_group(v: Any, n: int) -> list[Any]:
    return list(v) if isinstance(v, list) else [v] * n


RULES: dict[str, Callable[[_Context, ResolvedScheduler, int], None]] = {
    "SequentialLR": _rule_sequential,
    "ChainedScheduler": _rule_chained,
    "StepLR": _rule_growth,
    "MultiStepLR": _rule_growth,
    "ExponentialLR": _rule_growth,
    "CosineAnnealingLR": _rule_cosine,
    "CyclicLR": _rule_cyclic,
    "OneCycleLR": _rule_onecycle,
}


# --- the run ----------------------------------------------------------------------------
def synthetic_metric(spec: SyntheticMetric, count: int) -> list[float]:
    """A seeded validation-loss curve: exponential decay to a floor, with relative noise."""
    import random

    rng = random.Random(spec.seed)
    span = spec.initial - spec.final
    return [
        (spec.final + span * math.exp(-k / spec.decay_steps)) * (1 + spec.noise * rng.gauss(0, 1))
        for k in range(count)
    ]


def _metric(ctx: _Context, metric: MetricSpec | None, needed: int) -> list[float]:
    if metric is not None and metric.values is not None:
        values = metric.values
        if len(values) < needed:
            ctx.fail(("metric", "values"),
                     f"has {len(values)} values but the scheduler is stepped {needed} times; "
                     "give one value per step (extra values are unused)")
        for i, v in enumerate(values[:needed]):
            if not math.isfinite(v):
                ctx.fail(("metric", "values", i), "must be a finite number")
                break
        return list(values[:needed])
    return synthetic_metric(metric.synthetic if metric and metric.synthetic else SyntheticMetric(),
                            needed)


def default_interval(info: SchedulerInfo, children: list[ResolvedScheduler]) -> str:
    if info.step_unit == "step" or any(default_interval(c.info, c.children) == "step"
                                       for c in children):
        return "step"
    return "epoch"


def resolve_run(run: RunSpec, catalog: Catalog, limits: Limits) -> ResolvedRun:
    """Validate ``run`` completely; raise SpecError listing every problem found."""
    ctx = _Context(catalog, limits, 1, [0.1], None)
    ctx.optimizer = _resolve_optimizer(ctx, run.optimizer, ("optimizer",))
    num_steps = run.epochs * run.steps_per_epoch
    if num_steps > limits.max_total_steps:
        ctx.fail(("epochs",), f"epochs x steps_per_epoch = {num_steps:,} steps; at most "
                 f"{limits.max_total_steps:,} are allowed")
        raise SpecError(ctx.errors)
    raw = {"type": run.scheduler.type, **run.scheduler.arguments()}
    info = catalog.schedulers.get(run.scheduler.type)
    interval = run.interval or (info.step_unit if info else "epoch")
    if run.interval is None and info is not None and info.composite:
        interval = _composite_interval(catalog, raw)
    values = run.epochs if interval == "epoch" else num_steps
    # The scheduler is built once (its step 0) and stepped once per later value.
    scheduler = _resolve_scheduler(ctx, raw, ("scheduler",), 1, values)
    metric = None
    if scheduler is not None and scheduler.info.needs_metric:
        metric = _metric(ctx, run.metric, values - 1)
    elif run.metric is not None and (run.metric.values or run.metric.synthetic):
        ctx.warnings.append("A metric was given but the scheduler does not use one; ignored.")
    if ctx.errors or scheduler is None or ctx.optimizer is None:
        raise SpecError(ctx.errors or [error(("scheduler",), "is invalid")])
    return ResolvedRun(scheduler, ctx.optimizer, run.epochs, run.steps_per_epoch, interval,
                       metric, run.max_points, ctx.warnings)


def _composite_interval(catalog: Catalog, raw: dict[str, Any]) -> str:
    stack = [raw]
    while stack:
        node = stack.pop()
        info = catalog.schedulers.get(node.get("type", "")) if isinstance(node, dict) else None
        if info is None:
            continue
        if info.step_unit == "step":
            return "step"
        for p in info.params:
            if p.type == "schedulers" and isinstance(node.get(p.name), list):
                stack.extend(c for c in node[p.name] if isinstance(c, dict))
    return "epoch"
