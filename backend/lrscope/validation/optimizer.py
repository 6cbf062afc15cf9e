"""The optimizer spec: its arguments, its param groups, and torch's own checks, run by
building it once on a throwaway parameter (the one build a request makes)."""

from __future__ import annotations

import re

import torch

import lrscope.validation.arguments as arguments
import lrscope.validation.rules as rules
from lrscope.errors import Loc
from lrscope.spec import OptimizerSpec
from lrscope.validation.context import Context
from lrscope.validation.resolved import ResolvedOptimizer

# Words in torch's optimizer messages that name an argument otherwise.
_TORCH_WORDS = [
    ("adjust learning rate function", "adjust_lr_fn"),
    ("learning rate", "lr"),
    ("epsilon1", "eps"),
    ("epsilon", "eps"),
    ("beta", "betas"),
    ("eta", "etas"),
]


def resolve_optimizer(ctx: Context, spec: OptimizerSpec, loc: Loc) -> ResolvedOptimizer | None:
    """The checked optimizer, or None when its type or param groups are unusable."""
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
    resolved = ResolvedOptimizer(info, kwargs, groups)
    if not ctx.failed_under(loc):
        rules.check_optimizer(ctx, resolved, loc)
    if not ctx.failed_under(loc):
        _build_once(ctx, resolved, loc)
    return resolved


def _build_once(ctx: Context, opt: ResolvedOptimizer, loc: Loc) -> None:
    """Build the optimizer on throwaway parameters and step it (no gradients: it changes
    nothing), so torch's own checks run now; keep the param groups as torch set them up."""
    # 2-D parameters, so that optimizers restricted to matrices (Muon) accept them.
    groups = [{"params": [torch.zeros(2, 2, requires_grad=True)], **g} for g in opt.groups]
    try:
        optimizer = opt.info.cls(groups, **opt.kwargs)
        optimizer.step()
    except Exception as exc:  # torch's message is the best explanation there is
        text = str(exc).lower()
        names = sorted((p.name for p in opt.info.params), key=len, reverse=True)
        found = next(
            (n for n in names if re.search(rf"\b{re.escape(n.lower())}\b", text)), None
        ) or next((n for w, n in _TORCH_WORDS if w in text), None)
        ctx.fail(
            (*loc, found) if found else loc, f"torch rejects this {opt.info.name} setting: {exc}"
        )
        return
    opt.built_groups = [
        {k: v for k, v in g.items() if k != "params"} for g in optimizer.param_groups
    ]
    opt.built_defaults = dict(optimizer.defaults)
