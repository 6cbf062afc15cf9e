"""Check a RunSpec against the catalog before torch runs, and resolve it for evaluation.

Every problem becomes an error item ``{"loc", "msg", "type"}`` whose ``loc`` points at the
field (inside nested schedulers too), in words a student understands. Single values are
checked in ``arguments.py``; rules across fields, and what torch accepts but then crashes
on, in ``rules.py``; how often torch steps each scheduler, in ``plan.py``.
"""

from __future__ import annotations

import ast
import math
import random
import re
from dataclasses import dataclass, field
from typing import Any

import torch
from pydantic import ValidationError

from lrscope import arguments, plan, rules
from lrscope.catalog import Catalog, OptimizerInfo, SchedulerInfo
from lrscope.expressions import Expression, parse
from lrscope.settings import Limits
from lrscope.specs import MetricSpec, OptimizerSpec, RunSpec, SyntheticMetric

Loc = tuple[str | int, ...]
# One unit of work: one scheduler computing one param group's rate once (a formula adds a
# tenth per operation in it). A run may cost WORK_PER_STEP x max_total_steps units (the
# longest run of one scheduler on two groups) and return NUMBERS_PER_STEP x as many numbers.
WORK_PER_STEP = 2
NUMBERS_PER_STEP = 4  # x, epoch, lr and momentum of one group


class SpecError(ValueError):
    """One or more user-fixable problems with a spec."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors

    @classmethod
    def from_pydantic(cls, exc: ValidationError) -> SpecError:
        """Pydantic's located errors, in the one error shape."""
        return cls([plain_issue(e) for e in exc.errors()])


def plain_issue(e: Any) -> dict[str, Any]:
    """A pydantic error as ``{"loc", "msg", "type"}``, worded like the spec's own checks
    ("must be at least 1, got 0") rather than pydantic's ("Input should be ...")."""
    ctx = e.get("ctx") or {}
    got = f", got {arguments.describe(e['input'])}" if "input" in e else ""
    plain = {
        "greater_than_equal": lambda: f"must be at least {ctx.get('ge')}{got}",
        "greater_than": lambda: f"must be greater than {ctx.get('gt')}{got}",
        "less_than_equal": lambda: f"must be at most {ctx.get('le')}{got}",
        "less_than": lambda: f"must be less than {ctx.get('lt')}{got}",
        "int_type": lambda: f"must be a whole number{got}",
        "int_parsing": lambda: f"must be a whole number{got}",
        "int_from_float": lambda: f"must be a whole number{got}",
        "float_type": lambda: f"must be a number{got}",
        "float_parsing": lambda: f"must be a number{got}",
        "finite_number": lambda: f"must be a finite number{got}",
        "bool_type": lambda: f"must be true or false{got}",
        "bool_parsing": lambda: f"must be true or false{got}",
        "string_type": lambda: f"must be text{got}",
        "string_unicode": lambda: "must be valid Unicode text (it holds a lone surrogate)",
        "list_type": lambda: f"must be a list{got}",
        "dict_type": lambda: f"must be an object{got}",
        "model_type": lambda: f"must be an object{got}",
        "model_attributes_type": lambda: f"must be an object{got}",
        "literal_error": lambda: f"must be {ctx.get('expected')}{got}",
        "enum": lambda: f"must be {ctx.get('expected')}{got}",
        "missing": lambda: "required",
        "json_invalid": lambda: f"the body is not valid JSON: {ctx.get('error')}",
        "extra_forbidden": lambda: "is not a field here; check the spelling",
        "too_short": lambda: f"must have at least {ctx.get('min_length')} items",
        "too_long": lambda: f"must have at most {ctx.get('max_length')} items",
    }.get(e["type"])
    loc = [_printable(part) if isinstance(part, str) else part for part in e["loc"]]
    return {"loc": loc, "msg": _printable(plain() if plain else e["msg"]), "type": e["type"]}


def _printable(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate sent in the JSON ("\ud800") is echoed
    escaped, where it would otherwise break the error response itself."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


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

    def walk(self) -> list[ResolvedScheduler]:
        return [self, *(n for c in self.children for n in c.walk())]


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
class Context:
    """What checking one run has learnt so far; rules read it and add to it."""

    catalog: Catalog
    limits: Limits
    num_groups: int = 1
    group_lrs: list[float] = field(default_factory=lambda: [0.1])
    optimizer: ResolvedOptimizer | None = None
    unit: str = "epoch"  # what one scheduler step stands for
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, loc: Loc, msg: str, kind: str = "value_error") -> None:
        self.errors.append(error(loc, msg, kind))

    def warn(self, msg: str) -> None:
        if msg not in self.warnings:
            self.warnings.append(msg)

    def failed_under(self, loc: Loc) -> bool:
        return any(tuple(e["loc"][: len(loc)]) == loc for e in self.errors)


# --- optimizer ----------------------------------------------------------------------------
def _resolve_optimizer(ctx: Context, spec: OptimizerSpec, loc: Loc) -> ResolvedOptimizer | None:
    info = ctx.catalog.optimizers.get(spec.type)
    if info is None:
        ctx.fail(
            (*loc, "type"),
            f"unknown optimizer {spec.type[:40]!r}; choose one of "
            + ", ".join(ctx.catalog.optimizers),
            "unknown_type",
        )
        return None
    kwargs = arguments.check_args(ctx, info, spec.arguments(), loc)
    raw_groups = spec.param_groups if spec.param_groups is not None else [{}]
    if not 1 <= len(raw_groups) <= ctx.limits.max_param_groups:
        ctx.fail(
            (*loc, "param_groups"),
            f"must hold 1 to {ctx.limits.max_param_groups} groups, got {len(raw_groups)}",
        )
        return None
    groups = [
        arguments.check_args(ctx, info, g, (*loc, "param_groups", i))
        for i, g in enumerate(raw_groups)
    ]
    lr_param = info.param("lr")
    default_lr = lr_param.default if lr_param and arguments.is_number(lr_param.default) else 0.001
    ctx.num_groups = len(groups)
    # A value that failed its check (null, text...) is already reported: use the default.
    lrs = [g.get("lr", kwargs.get("lr", default_lr)) for g in groups]
    ctx.group_lrs = [float(v) if arguments.is_number(v) else float(default_lr) for v in lrs]
    resolved = ResolvedOptimizer(info, kwargs, groups)
    if not ctx.failed_under(loc):
        rules.check_optimizer(ctx, resolved, loc)
    if not ctx.failed_under(loc):
        _try_optimizer(ctx, resolved, loc)
    return resolved


# Words in torch's optimizer messages that name an argument otherwise.
_TORCH_WORDS = [
    ("adjust learning rate function", "adjust_lr_fn"),
    ("learning rate", "lr"),
    ("epsilon1", "eps"),
    ("epsilon", "eps"),
    ("beta", "betas"),
    ("eta", "etas"),
]


def _try_optimizer(ctx: Context, opt: ResolvedOptimizer, loc: Loc) -> None:
    """Build the optimizer once on a throwaway parameter: torch's own checks run now."""
    groups = [{"params": [torch.zeros(2, 2, requires_grad=True)], **g} for g in opt.groups]
    try:
        opt.info.cls(groups, **opt.kwargs).step()  # no gradients: changes nothing
    except Exception as exc:  # torch's message is the best explanation there is
        text = str(exc).lower()
        names = sorted((p.name for p in opt.info.params), key=len, reverse=True)
        found = next(
            (n for n in names if re.search(rf"\b{re.escape(n.lower())}\b", text)), None
        ) or next((n for w, n in _TORCH_WORDS if w in text), None)
        ctx.fail(
            (*loc, found) if found else loc, f"torch rejects this {opt.info.name} setting: {exc}"
        )


# --- schedulers ---------------------------------------------------------------------------
def _resolve_scheduler(
    ctx: Context, spec: dict[str, Any], loc: Loc, depth: int, inside_sequential: bool
) -> ResolvedScheduler | None:
    if depth > ctx.limits.max_depth:
        ctx.fail(loc, f"schedulers are nested too deeply (at most {ctx.limits.max_depth} levels)")
        return None
    kind = spec.get("type")
    if not isinstance(kind, str):
        ctx.fail(
            (*loc, "type"), "is required: the name of a torch.optim.lr_scheduler class", "missing"
        )
        return None
    info = ctx.catalog.schedulers.get(kind)
    if info is None:
        ctx.fail(
            (*loc, "type"),
            f"unknown scheduler {kind[:40]!r}; choose one of " + ", ".join(ctx.catalog.schedulers),
            "unknown_type",
        )
        return None
    args = {k: v for k, v in spec.items() if k != "type"}
    resolved = ResolvedScheduler(info, arguments.check_args(ctx, info, args, loc), [], loc)
    below = inside_sequential or rules.kind_of(info) == "sequential"
    for p in info.params:
        if p.type == "schedulers" and p.name in args:
            resolved.children = _resolve_children(ctx, args[p.name], (*loc, p.name), depth, below)
    if not ctx.failed_under(loc):
        rules.check_structure(ctx, resolved, inside_sequential)
    return resolved


def _resolve_children(
    ctx: Context, raw: Any, loc: Loc, depth: int, inside_sequential: bool
) -> list[ResolvedScheduler]:
    if not isinstance(raw, list) or not raw:
        ctx.fail(loc, f"must be a non-empty list of scheduler specs, got {arguments.describe(raw)}")
        return []
    if len(raw) > ctx.limits.max_children:
        ctx.fail(loc, f"has {len(raw)} schedulers; at most {ctx.limits.max_children} are allowed")
        return []
    children = []
    for i, child in enumerate(raw):
        if not isinstance(child, dict):
            ctx.fail((*loc, i), f"must be a scheduler spec object, got {arguments.describe(child)}")
            continue
        resolved = _resolve_scheduler(ctx, child, (*loc, i), depth + 1, inside_sequential)
        if resolved is not None:
            children.append(resolved)
    return children


def _counter(r: ResolvedScheduler) -> plan.Counter:
    milestones = (
        list(r.kwargs.get("milestones", [])) if rules.kind_of(r.info) == "sequential" else []
    )
    return plan.Counter(rules.kind_of(r.info), milestones, [_counter(c) for c in r.children])


_OPERATIONS = (ast.BinOp, ast.UnaryOp, ast.Call, ast.Compare, ast.BoolOp, ast.IfExp)


def _formula_size(r: ResolvedScheduler) -> int:
    """Operations in the largest formula of ``r`` (each costs about a tenth of a step)."""
    exprs = [
        e
        for v in r.kwargs.values()
        for e in (v if isinstance(v, list) else [v])
        if isinstance(e, Expression)
    ]
    return max(
        (sum(isinstance(n, _OPERATIONS) for n in ast.walk(parse(e.source))) for e in exprs),
        default=0,
    )


def _check_run(ctx: Context, root: ResolvedScheduler, values: int, groups: int) -> None:
    """Replay torch's stepping on counters; apply the rules that need the counts; cap work."""
    counters = plan.simulate(_counter(root), values)
    work = 0.0
    for r, c in zip(root.walk(), counters.walk(), strict=True):
        rules.check_run(ctx, r, c)
        per = groups * (1 + _formula_size(r) / 10) if c.kind == "leaf" else 1
        work += c.computes * per
    budget = WORK_PER_STEP * ctx.limits.max_total_steps
    if work > budget:
        ctx.fail(
            ("epochs",),
            f"this run is too much work: about {work:,.0f} learning-rate computations "
            f"({values:,} scheduler steps x schedulers x param groups x formula size); "
            f"at most {budget:,} are allowed. Use fewer epochs or steps, fewer param "
            "groups or schedulers, or shorter formulas",
        )


# --- the run ------------------------------------------------------------------------------
def synthetic_metric(spec: SyntheticMetric, count: int) -> list[float]:
    """A seeded validation-loss curve: exponential decay to a floor, with relative noise."""
    rng = random.Random(spec.seed)
    span = spec.initial - spec.final
    return [
        (spec.final + span * math.exp(-k / spec.decay_steps)) * (1 + spec.noise * rng.gauss(0, 1))
        for k in range(count)
    ]


def _metric(ctx: Context, metric: MetricSpec | None, needed: int) -> list[float]:
    if metric is not None and metric.values is not None:
        values = metric.values
        if len(values) < needed:
            ctx.fail(
                ("metric", "values"),
                f"has {len(values)} values but the scheduler is stepped {needed} times; "
                "give one value per step (extra values are unused)",
            )
        for i, v in enumerate(values[:needed]):
            if not math.isfinite(v):
                ctx.fail(("metric", "values", i), "must be a finite number")
                break
        return list(values[:needed])
    if ctx.errors:  # the run will not be evaluated: do not spend time on the curve
        return []
    return synthetic_metric(
        metric.synthetic if metric and metric.synthetic else SyntheticMetric(), needed
    )


def _default_interval(catalog: Catalog, raw: dict[str, Any]) -> str:
    """ "step" when any scheduler in the tree is a per-batch one (OneCycleLR, CyclicLR)."""
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


def _check_size(ctx: Context, run: RunSpec, num_steps: int) -> None:
    points = num_steps if run.max_points == 0 else min(num_steps, run.max_points)
    per_group = 2 if ctx.optimizer is not None and ctx.optimizer.info.momentum else 1
    numbers = points * (2 + ctx.num_groups * per_group)
    allowed = NUMBERS_PER_STEP * ctx.limits.max_total_steps
    if numbers > allowed:
        ctx.fail(
            ("max_points",),
            f"the response would hold {numbers:,} numbers ({points:,} points); at most "
            f"{allowed:,} are allowed. Ask for fewer points (e.g. max_points = 2000 draws "
            "the same shape) or a shorter run",
        )


def resolve_run(run: RunSpec, catalog: Catalog, limits: Limits) -> ResolvedRun:
    """Validate ``run`` completely; raise SpecError listing every problem found."""
    ctx = Context(catalog, limits)
    ctx.optimizer = _resolve_optimizer(ctx, run.optimizer, ("optimizer",))
    num_steps = run.epochs * run.steps_per_epoch
    if num_steps > limits.max_total_steps:
        ctx.fail(
            ("epochs",),
            f"epochs x steps_per_epoch = {num_steps:,} steps; at most "
            f"{limits.max_total_steps:,} are allowed",
        )
        raise SpecError(ctx.errors)
    raw = {"type": run.scheduler.type, **run.scheduler.arguments()}
    interval = run.interval or _default_interval(catalog, raw)
    ctx.unit = interval
    values = run.epochs if interval == "epoch" else num_steps
    # The scheduler is built once (its step 0) and stepped once per later value.
    scheduler = _resolve_scheduler(ctx, raw, ("scheduler",), 1, False)
    if scheduler is not None and not ctx.errors:
        rules.check_tree(ctx, scheduler)
        _check_run(ctx, scheduler, values, ctx.num_groups)
    metric = None
    if scheduler is not None and scheduler.info.needs_metric:
        metric = _metric(ctx, run.metric, values - 1)
    elif run.metric is not None and (run.metric.values or run.metric.synthetic):
        ctx.warn("A metric was given but the scheduler does not use one; it is ignored.")
    _check_size(ctx, run, num_steps)
    if ctx.errors or scheduler is None or ctx.optimizer is None:
        raise SpecError(ctx.errors or [error(("scheduler",), "is invalid")])
    return ResolvedRun(
        scheduler,
        ctx.optimizer,
        run.epochs,
        run.steps_per_epoch,
        interval,
        metric,
        run.max_points,
        ctx.warnings,
    )
