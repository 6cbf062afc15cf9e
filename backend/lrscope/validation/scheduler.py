"""The scheduler tree: each node's type and arguments, its children, and the structure
rules, with every problem located in the nested spec."""

from __future__ import annotations

from typing import Any

import lrscope.validation.arguments as arguments
import lrscope.validation.rules as rules
from lrscope.errors import Loc, describe
from lrscope.validation.context import Context, RunFacts
from lrscope.validation.resolved import ResolvedScheduler


def resolve_scheduler(
    ctx: Context,
    facts: RunFacts,
    spec: dict[str, Any],
    loc: Loc = ("scheduler",),
    depth: int = 1,
    inside_sequential: bool = False,
) -> ResolvedScheduler | None:
    """The checked scheduler tree, or None when a node's type is missing or unknown."""
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
    kwargs = arguments.check_args(ctx, info, args, loc, facts.num_groups)
    resolved = ResolvedScheduler(info, kwargs, [], loc)
    below = inside_sequential or rules.kind_of(info) == "sequential"
    for p in info.params:
        if p.type == "schedulers" and p.name in args:
            resolved.children = _resolve_children(
                ctx, facts, args[p.name], (*loc, p.name), depth, below
            )
    if not ctx.failed_under(loc):
        rules.check_structure(ctx, facts, resolved, inside_sequential)
    return resolved


def _resolve_children(
    ctx: Context, facts: RunFacts, raw: Any, loc: Loc, depth: int, inside_sequential: bool
) -> list[ResolvedScheduler]:
    if not isinstance(raw, list) or not raw:
        ctx.fail(loc, f"must be a non-empty list of scheduler specs, got {describe(raw)}")
        return []
    if len(raw) > ctx.limits.max_children:
        ctx.fail(loc, f"has {len(raw)} schedulers; at most {ctx.limits.max_children} are allowed")
        return []
    children = []
    for i, child in enumerate(raw):
        if not isinstance(child, dict):
            ctx.fail((*loc, i), f"must be a scheduler spec object, got {describe(child)}")
            continue
        resolved = resolve_scheduler(ctx, facts, child, (*loc, i), depth + 1, inside_sequential)
        if resolved is not None:
            children.append(resolved)
    return children


def default_interval(ctx: Context, raw: dict[str, Any]) -> str:
    """ "step" when any scheduler anywhere in the tree is a per-batch one (OneCycleLR,
    CyclicLR), else "epoch"."""
    stack = [raw]
    while stack:
        node = stack.pop()
        info = ctx.catalog.schedulers.get(node.get("type", "")) if isinstance(node, dict) else None
        if info is None:
            continue
        if info.step_unit == "step":
            return "step"
        for p in info.params:
            if p.type == "schedulers" and isinstance(node.get(p.name), list):
                stack.extend(c for c in node[p.name] if isinstance(c, dict))
    return "epoch"
