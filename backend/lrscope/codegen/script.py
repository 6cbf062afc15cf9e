"""RunSpec -> a PyTorch script that reproduces the curve exactly.

The script builds the optimizer and scheduler with the same arguments, in the same order,
as the engine does, and runs a training-loop skeleton with ``scheduler.step()`` placed for
the interval. It records the learning rate each optimizer step uses in ``history``, so a
user (and the tests) can check it against lrscope's curve.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lrscope.catalog import constructor_params
from lrscope.codegen.loop import modules_of, render_loop, scheduler_imports
from lrscope.codegen.resume import resume_block
from lrscope.spec import RunSpec, SyntheticMetric
from lrscope.spec.formula import Expression, used_math_names, uses_math_module
from lrscope.validation import ResolvedRun, ResolvedScheduler
from lrscope.validation.resume import scheduler_steps_taken


class _Raw(str):
    """Source text emitted as is (variable names of child schedulers)."""


def _literal(value: Any) -> str:
    if isinstance(value, _Raw):
        return str(value)
    if isinstance(value, Expression):
        return f"lambda {value.variable}: {value.source.strip()}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)  # repr of a float round-trips exactly


def _call(name: str, first: str | None, kwargs: dict[str, Any], indent: str = "") -> str:
    args = ([first] if first else []) + [f"{k}={_literal(v)}" for k, v in kwargs.items()]
    one_line = f"{name}({', '.join(args)})"
    if len(indent) + len(one_line) <= 88:
        return one_line
    inner = "".join(f"{indent}    {a},\n" for a in args)
    return f"{name}(\n{inner}{indent})"


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: set[str] = set()
        self.classes: list[str] = []
        self.math: set[str] = set()
        self.math_module = False  # some formula writes math.NAME

    def variable(self, base: str) -> str:
        name, n = base, 2
        while name in self.names:
            name, n = f"{base}_{n}", n + 1
        self.names.add(name)
        return name

    def scheduler(self, spec: ResolvedScheduler, top: bool) -> str:
        """Emit children first, in order (the order torch sees them built), then this one."""
        kwargs = dict(spec.kwargs)
        for value in kwargs.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, Expression):
                    self.math |= used_math_names(item)
                    self.math_module |= uses_math_module(item)
        if spec.children:
            kwargs["schedulers"] = _Raw(
                "[" + ", ".join(self.scheduler(c, False) for c in spec.children) + "]"
            )
        cls = spec.info.name
        if cls not in self.classes:
            self.classes.append(cls)
        name = "scheduler" if top else self.variable(_snake(cls))
        params = constructor_params(spec.info.cls)
        if params and params[0] == "optimizer":
            call = _call(cls, "optimizer", kwargs)
        else:  # ChainedScheduler takes its schedulers first
            call = _call(
                cls,
                None,
                {**kwargs, **({"optimizer": _Raw("optimizer")} if "optimizer" in params else {})},
            )
        self.lines.append(f"{name} = {call}")
        return name


def optimizer_lines(resolved: ResolvedRun) -> list[str]:
    opt = resolved.optimizer
    groups = opt.groups
    if len(groups) == 1 and not groups[0]:
        return [
            "model = torch.nn.Linear(4, 1)  # stand-in: use your model",
            f"optimizer = {_call(opt.info.name, 'model.parameters()', opt.kwargs)}",
        ]
    lines = [
        f"# {len(groups)} parameter groups: one stand-in layer each; use your model's parts",
        f"model = torch.nn.ModuleList(torch.nn.Linear(4, 1) for _ in range({len(groups)}))",
        "param_groups = [",
    ]
    for g, overrides in enumerate(groups):
        entries = [f'"params": model[{g}].parameters()'] + [
            f'"{k}": {_literal(v)}' for k, v in overrides.items()
        ]
        lines.append("    {" + ", ".join(entries) + "},")
    lines.append("]")
    lines.append(f"optimizer = {_call(opt.info.name, 'param_groups', opt.kwargs)}")
    return lines


def _metric_lines(run: RunSpec, resolved: ResolvedRun) -> list[str]:
    if resolved.metric is None:
        return []
    # The loop also steps after its last epoch; that value is never used, so the synthetic
    # curve gets one more point and given values are padded with their last one.
    count = len(resolved.metric) + 1
    if run.metric is not None and run.metric.values is not None:
        given = list(run.metric.values[:count])
        given += [given[-1] if given else 0.0] * (count - len(given))
        return [
            "# the validation loss at each scheduler step (as given to lrscope)",
            f"val_losses = {_literal(given)}",
        ]

    s = run.metric.synthetic if run.metric and run.metric.synthetic else SyntheticMetric()
    return [
        "# stand-in for your validation loss: lrscope's seeded synthetic curve",
        f"rng = random.Random({s.seed})",
        "val_losses = [",
        f"    ({s.final!r} + {s.initial - s.final!r} * math.exp(-k / {s.decay_steps!r}))",
        f"    * (1 + {s.noise!r} * rng.gauss(0, 1))",
        f"    for k in range({count})",
        "]",
    ]


def _resume_lines(resolved: ResolvedRun, indent: str) -> list[str]:
    """The loop's resume (resume.py), or nothing for a run without one."""
    if resolved.resume is None:
        return []
    spec = resolved.scheduler
    if resolved.resume.how == "last_epoch":
        taken = scheduler_steps_taken(resolved)
        spec = replace(spec, kwargs={**spec.kwargs, "last_epoch": taken - 1})
    w = _Writer()
    w.names.update({"model", "optimizer", "scheduler", "history", "val_losses", "rng"})
    w.scheduler(spec, top=True)
    return resume_block(resolved.resume, optimizer_lines(resolved), w.lines, indent)


def _step_call(interval: str, has_metric: bool) -> str:
    if has_metric:
        return "scheduler.step(val_losses[k])"
    if interval == "fractional":  # torch's CosineAnnealingWarmRestarts docstring example
        return "scheduler.step(epoch + batch / STEPS_PER_EPOCH)"
    return "scheduler.step()"


def training_loop(resolved: ResolvedRun, counters: tuple[str, ...] = ()) -> list[str]:
    """The training-loop skeleton every export shares, up to ``optimizer.step()``: it records
    each group's lr before the step; ``counters`` are set up before the loop."""
    return [
        f"EPOCHS, STEPS_PER_EPOCH = {resolved.epochs}, {resolved.steps_per_epoch}",
        "history = []  # history[i][g]: lr of group g used by optimizer step i",
        *counters,
        "for epoch in range(EPOCHS):",
        "    for batch in range(STEPS_PER_EPOCH):",
        "        optimizer.zero_grad()",
        "        loss = sum(p.pow(2).sum() for p in model.parameters())  # stand-in loss",
        "        loss.backward()",
        '        history.append([group["lr"] for group in optimizer.param_groups])',
        "        optimizer.step()",
    ]


def render(run: RunSpec, resolved: ResolvedRun) -> str:
    """The script for ``run`` (already resolved, so filled-in values are explicit)."""
    w = _Writer()
    w.names.update({"model", "optimizer", "scheduler", "history", "val_losses", "rng"})
    if resolved.loop is not None:
        lines = optimizer_lines(resolved), _metric_lines(run, resolved)
        return render_loop(resolved, w, *lines, modules_of(resolved.scheduler))
    w.scheduler(resolved.scheduler, top=True)
    metric = _metric_lines(run, resolved)
    has_metric = resolved.metric is not None
    step_call = _step_call(resolved.interval, has_metric)
    per_step = resolved.interval in ("step", "fractional")
    counter = ["k = 0  # scheduler steps so far"] if has_metric else []
    bump = ["k += 1"] if has_metric else []

    imports = []
    if metric and "rng = random" in "\n".join(metric):
        imports += ["import math", "import random"]
    elif w.math_module:
        imports.append("import math")
    if w.math:
        imports.append(f"from math import {', '.join(sorted(w.math))}")
    imports += [
        "",
        "import torch",
        f"from torch.optim import {resolved.optimizer.info.name}",
        *scheduler_imports(modules_of(resolved.scheduler)),
    ]
    head = [
        f'"""{resolved.scheduler.info.name}: {resolved.epochs} epoch(s) of '
        f"{resolved.steps_per_epoch} step(s), scheduler.step() every {resolved.interval}.",
        "",
        "Generated by lrscope; `history` ends up holding the learning rate of each",
        'parameter group at every optimizer step, exactly as lrscope plotted it."""',
    ]
    loop = training_loop(resolved, tuple(counter))
    if resolved.num_steps < resolved.epochs * resolved.steps_per_epoch:  # setup's max_steps
        loop[1:1] = [f"MAX_STEPS = {resolved.num_steps}  # the run stops part way through an epoch"]
        at = loop.index("    for batch in range(STEPS_PER_EPOCH):") + 1
        loop[at:at] = ["        if len(history) == MAX_STEPS:", "            break"]
    pad = "        " if per_step else "    "
    loop += [f"{pad}{step_call}", *(pad + b for b in bump), *_resume_lines(resolved, pad)]
    parts = [*head, "", *imports, "", *optimizer_lines(resolved), *w.lines]
    if metric:
        parts += ["", *metric]
    parts += ["", *loop]
    return "\n".join(parts) + "\n"
