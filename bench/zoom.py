"""A zoomed window (``range`` on ``POST /api/schedule``) of a 1,000,000-step run, timed
against the whole run decimated and against the naive torch loop stepped up to the window.

The fast replay path evaluates whole runs, so a window costs about what the whole curve
does (its state depends on every step before it); this prints how much, and that the
window's values equal torch's bit for bit. Timings are process CPU time.

    python bench/zoom.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import torch
from torch.optim import lr_scheduler

from lrscope.engine import evaluate

N = 1_000_000
WARMUP = 10_000
SPEC: dict[str, Any] = {
    "scheduler": {
        "type": "SequentialLR",
        "milestones": [WARMUP],
        "schedulers": [
            {"type": "LinearLR", "start_factor": 0.01, "total_iters": WARMUP},
            {"type": "CosineAnnealingLR", "T_max": N - WARMUP},
        ],
    },
    "optimizer": {"type": "AdamW", "lr": 3e-4},
    "epochs": N,
    "interval": "step",
}


def cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def naive(stop: int) -> list[float]:
    """The loop a user writes, stepped until the window's last step."""
    opt = torch.optim.AdamW([torch.zeros(1, requires_grad=True)], lr=3e-4)
    first = lr_scheduler.LinearLR(opt, start_factor=0.01, total_iters=WARMUP)
    second = lr_scheduler.CosineAnnealingLR(opt, T_max=N - WARMUP)
    sched = lr_scheduler.SequentialLR(opt, [first, second], milestones=[WARMUP])
    out = []
    for _ in range(stop):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


def main() -> None:
    evaluate({**SPEC, "epochs": 1000})  # warm up imports and caches
    whole, _ = cpu(lambda: evaluate(SPEC))
    windows = {"20 steps at 370,000": (369_990, 370_010), "one step at 999,999": (999_999, N)}
    naive_s, reference = cpu(lambda: naive(370_010))
    print(f"whole run (decimated to 2000 points): {whole:.3f} s")
    print(f"naive torch loop to step 370,010:     {naive_s:.3f} s")
    for label, (a, b) in windows.items():
        took, out = cpu(lambda a=a, b=b: evaluate({**SPEC, "range": {"start": a, "stop": b}}))
        assert out["x"] == list(range(a, b))
        if b <= len(reference):
            assert out["groups"][0]["lr"] == reference[a:b], "window differs from torch"
            print(f"  bitwise equal to torch over {label}")
        print(
            f"window {label}: {took:.3f} s = {took / whole:.2f}x the whole run, "
            f"{naive_s / took:.1f}x faster than the naive loop to 370,010"
        )


if __name__ == "__main__":
    main()
