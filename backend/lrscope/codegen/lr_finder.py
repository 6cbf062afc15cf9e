"""An LR range test -> a plain-torch script that runs the same sweep on the user's own
model and data loader (no dependency beyond torch).

The script sets every param group's ``lr`` to the sweep's rate before each optimizer step
(the formula of ``training/range_test_spec.py``, written with the same constants, so its
``lrs`` are the job's bit for bit), smooths the loss and stops as the job does, puts the
model and optimizer back as they were, and prints the three suggestions of
``training/lr_suggestions.py`` (steepest, valley, minimum / 10), written out in plain
Python. Run as is, it sweeps a stand-in model on random data.
"""

from __future__ import annotations

from lrscope.codegen.script import _call
from lrscope.training.range_test_plan import RangeTestPlan

_RATE = {
    "exp": "MIN_LR * (MAX_LR / MIN_LR) ** r",
    "linear": "MIN_LR + (MAX_LR - MIN_LR) * r",
}

_SWEEP = '''

def lr_at(i):
    """The learning rate of sweep step i (0-based)."""
    r = i / (STEPS - 1)
    return {rate}


def range_test(model, train_loader, loss_fn, optimizer):
    """Sweep the learning rate over STEPS batches; returns (lrs, smoothed losses).

    The model and optimizer are put back as they were afterwards."""
    saved = copy.deepcopy(model.state_dict()), copy.deepcopy(optimizer.state_dict())
    lrs, losses = [], []
    avg, best = 0.0, math.inf
    batches = iter(train_loader)
    model.train()
    for i in range(STEPS):
        try:
            inputs, targets = next(batches)
        except StopIteration:  # start the loader again, as a new epoch
            batches = iter(train_loader)
            inputs, targets = next(batches)
        for group in optimizer.param_groups:
            group["lr"] = lr_at(i)
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
        # fastai's and Lightning's bias-corrected moving average of the loss
        avg = BETA * avg + (1 - BETA) * loss.item()
        smoothed = avg / (1 - BETA ** (i + 1))
        lrs.append(optimizer.param_groups[0]["lr"])
        losses.append(smoothed if math.isfinite(smoothed) else None)
        if math.isfinite(smoothed):
            best = min(best, smoothed)
        if not math.isfinite(smoothed) or smoothed > DIVERGE_FACTOR * best:
            break  # diverged: the common rule (fastai, Lightning)
    model.load_state_dict(saved[0])
    optimizer.load_state_dict(saved[1])
    return lrs, losses


def _finite(losses, indices):
    return [i for i in indices if losses[i] is not None and math.isfinite(losses[i])]


def steepest(lrs, losses):
    """Steepest descent of the smoothed loss against log10(lr), skipping the first 10 and
    the last point (Lightning's suggestion()); gradient as numpy.gradient computes it."""
    kept = _finite(losses, range(10, len(losses) - 1))
    if len(kept) < 2:
        return None
    y = [losses[i] for i in kept]
    x = [math.log10(lrs[i]) for i in kept]
    grads = [(y[1] - y[0]) / (x[1] - x[0])]
    for k in range(1, len(y) - 1):
        h1, h2 = x[k] - x[k - 1], x[k + 1] - x[k]
        grads.append(
            (h1**2 * y[k + 1] + (h2**2 - h1**2) * y[k] - h2**2 * y[k - 1])
            / (h1 * h2 * (h1 + h2))
        )
    grads.append((y[-1] - y[-2]) / (x[-1] - x[-2]))
    return kept[min(range(len(grads)), key=grads.__getitem__)]


def _fastai_window(losses):
    """The points fastai's lr_find keeps: [STEPS // 10 : -5], cut at the first NaN."""
    window = range(len(losses))[STEPS // 10 : -5]
    for i in window:
        if losses[i] is None or math.isnan(losses[i]):
            return range(window.start, i)
    return window


def valley(losses):
    """fastai's valley: halfway into the longest run of decreasing losses."""
    window = _fastai_window(losses)
    part = [losses[i] for i in window]
    n = len(part)
    if n == 0:
        return None
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(i):
            if part[i] < part[j] and lds[i] < lds[j] + 1:
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    return window.start + max_start + int(sections) + int(sections / 2)


def minimum(losses):
    """fastai's minimum: the lowest smoothed loss (suggest its lr / 10)."""
    finite = _finite(losses, _fastai_window(losses))
    return min(finite, key=losses.__getitem__) if finite else None


def suggestions(lrs, losses):
    """{{name: suggested lr or None}}: steepest, valley and minimum / 10."""
    found = {{"steepest": steepest(lrs, losses), "valley": valley(losses)}}
    found["minimum"] = minimum(losses)
    out = {{}}
    for name, i in found.items():
        out[name] = None if i is None else lrs[i] / (10 if name == "minimum" else 1)
    return out
'''

_MAIN = """

if __name__ == "__main__":
    # Stand-in model and data: replace them with yours (any model, loss and DataLoader).
    torch.manual_seed(0)
    inputs = torch.randn(256, 2)
    targets = (inputs[:, 0] * inputs[:, 1] > 0).long()
    train_loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(inputs, targets), batch_size=BATCH_SIZE, shuffle=True
    )
    model = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.ReLU(), torch.nn.Linear(32, 2))
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = {optimizer}
    lrs, losses = range_test(model, train_loader, loss_fn, optimizer)
    print(f"{{len(lrs)}} steps, from lr {{lrs[0]:.3g}} to {{lrs[-1]:.3g}}")
    for name, lr in suggestions(lrs, losses).items():
        print(f"{{name:>8}}: {{lr}}")
"""


def render_lr_finder(plan: RangeTestPlan) -> str:
    """The script for ``plan``'s sweep, optimizer and batch size."""
    spec = plan.range_test
    opt = plan.optimizer
    kwargs = {**{k: v for k, v in opt.kwargs.items() if k != "lr"}}
    optimizer = _call(opt.info.name, "model.parameters()", {"lr": _Name("MIN_LR"), **kwargs})
    head = [
        f'"""LR range test (LR finder): {spec.steps} steps, lr {spec.min_lr!r} to '
        f"{spec.max_lr!r} ({spec.mode}), {opt.info.name}.",
        "",
        "Generated by lrscope; plain PyTorch. Call range_test(model, train_loader, loss_fn,",
        "optimizer) with your own, then suggestions(lrs, losses). Each step's rate is",
        "lr_at(i), the rate lrscope's range test job used at that step, bit for bit.",
        '"""',
        "",
        "import copy",
        "import math",
        "",
        "import torch",
        f"from torch.optim import {opt.info.name}",
        "",
        f"MIN_LR, MAX_LR, STEPS = {spec.min_lr!r}, {spec.max_lr!r}, {spec.steps!r}",
        f"BETA, DIVERGE_FACTOR = {spec.smooth!r}, {spec.diverge_factor!r}",
        f"BATCH_SIZE = {plan.spec.batch_size!r}",
    ]
    body = _SWEEP.format(rate=_RATE[spec.mode]) + _MAIN.format(optimizer=optimizer)
    return "\n".join(head) + "\n" + body


class _Name(str):
    """A name written as is in a call (``lr=MIN_LR``)."""

    def __repr__(self) -> str:
        return str(self)
