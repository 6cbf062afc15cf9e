"""Schedule evaluation speed against the loop a user writes, measured side by side.

For each scheduler, param-group count and length, two ways to get every learning rate:

- naive: the loop a user writes, ``opt.step(); sched.step()`` and read each group's lr
  (and momentum) from ``param_groups`` -- torch's own numbers, the baseline;
- lrscope: ``evaluate()`` as ``POST /api/schedule`` runs it (spec parsing, validation,
  the exact curves, decimation to max_points=2000).

"equal" compares the exact values, bit for bit: all of them through ``evaluate`` with
max_points=0 for 10k steps, and the engine's full exact curve for 1M steps. The headline
then goes through the real HTTP route (``POST /api/schedule`` on the app), first request
and cached repeat. Timings are process CPU time, robust on a shared machine (``--wall``
for wall-clock time; on an idle machine the two agree, the work being single-threaded).

    python bench/schedule.py [--quick] [--wall]     # --quick: 10k steps only
    python bench/schedule.py --headline             # only the 1M warmup + cosine

Target: a 1,000,000-step warmup + cosine through POST /api/schedule at least 20x faster
than the naive loop, values bitwise equal.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from array import array
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import torch
from torch.optim import lr_scheduler

from lrscope.catalog import default_catalog
from lrscope.engine import evaluate, exact_curves, replay, self_check
from lrscope.settings import Limits, Settings
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run

clock = time.process_time
GROUP_LRS = [0.1, 0.05, 0.2, 0.01]
# 4 groups x 1M steps exceeds the service's default work budget; the bench lifts it.
LIMITS = Limits(max_total_steps=5_000_000)

Case = tuple[Callable[[int], dict[str, Any]], Callable[[torch.optim.Optimizer, int], Any]]
CASES: dict[str, Case] = {
    "StepLR": (
        lambda n: {"type": "StepLR", "step_size": n // 10, "gamma": 0.5},
        lambda opt, n: lr_scheduler.StepLR(opt, step_size=n // 10, gamma=0.5),
    ),
    "CosineAnnealingLR": (
        lambda n: {"type": "CosineAnnealingLR", "T_max": n},
        lambda opt, n: lr_scheduler.CosineAnnealingLR(opt, T_max=n),
    ),
    "OneCycleLR": (
        lambda n: {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": n},
        lambda opt, n: lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=n),
    ),
    "CyclicLR": (
        lambda n: {"type": "CyclicLR", "base_lr": 0.001, "max_lr": 0.1, "step_size_up": n // 20},
        lambda opt, n: lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=n // 20),
    ),
    "Seq(Linear,Cosine)": (  # 1% linear warmup, then cosine: the headline
        lambda n: {
            "type": "SequentialLR",
            "milestones": [n // 100],
            "schedulers": [
                {"type": "LinearLR", "start_factor": 0.01, "total_iters": n // 100},
                {"type": "CosineAnnealingLR", "T_max": n - n // 100},
            ],
        },
        lambda opt, n: lr_scheduler.SequentialLR(
            opt,
            milestones=[n // 100],
            schedulers=[
                lr_scheduler.LinearLR(opt, start_factor=0.01, total_iters=n // 100),
                lr_scheduler.CosineAnnealingLR(opt, T_max=n - n // 100),
            ],
        ),
    ),
}
HEADLINE = "Seq(Linear,Cosine)"


def run_spec(case: str, groups: int, n: int, max_points: int = 2000) -> dict[str, Any]:
    return {
        "scheduler": CASES[case][0](n),
        "optimizer": {
            "type": "SGD",
            "lr": 0.1,
            "momentum": 0.9,
            "param_groups": [{"lr": lr} for lr in GROUP_LRS[:groups]],
        },
        "epochs": 100,
        "steps_per_epoch": n // 100,
        "interval": "step",
        "max_points": max_points,
    }


def naive(case: str, groups: int, n: int) -> tuple[float, list[list[float]], list[list[float]]]:
    """The user's loop; returns seconds, and each group's lr and momentum per step."""
    params = [
        {"params": [torch.zeros(2, 2, requires_grad=True)], "lr": lr} for lr in GROUP_LRS[:groups]
    ]
    opt = torch.optim.SGD(params, lr=0.1, momentum=0.9)
    sched = CASES[case][1](opt, n)
    lrs: list[list[float]] = [[] for _ in range(groups)]
    momenta: list[list[float]] = [[] for _ in range(groups)]
    start = clock()
    for _ in range(n):
        for g, group in enumerate(opt.param_groups):
            lrs[g].append(group["lr"])
            momenta[g].append(group["momentum"])
        opt.step()
        sched.step()
    return clock() - start, lrs, momenta


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def same_bits(a: list[list[float]], b: list[list[float]]) -> bool:
    return len(a) == len(b) and all(
        array("d", x).tobytes() == array("d", y).tobytes() for x, y in zip(a, b, strict=True)
    )


def exact_values(case: str, groups: int, n: int) -> tuple[list[list[float]], list[list[float]]]:
    """Every value lrscope computes: via evaluate (max_points=0) for 10k, the engine for 1M."""
    if n <= 100_000:
        out = evaluate(run_spec(case, groups, n, max_points=0), limits=LIMITS)
        return [g["lr"] for g in out["groups"]], [g["momentum"] for g in out["groups"]]
    run = resolve_run(RunSpec.model_validate(run_spec(case, groups, n)), default_catalog(), LIMITS)
    exact = exact_curves(run)
    return exact.lr, exact.momentum or []


def row(case: str, groups: int, n: int, results: dict[Any, Any]) -> None:
    naive_s, lrs, momenta = naive(case, groups, n)
    spec = run_spec(case, groups, n)
    ours_s = best_of(3 if n > 100_000 else 7, lambda: evaluate(spec, limits=LIMITS))
    exact_lr, exact_momentum = exact_values(case, groups, n)
    equal = same_bits(exact_lr, lrs) and same_bits(exact_momentum, momenta)
    run = resolve_run(RunSpec.model_validate(spec), default_catalog(), LIMITS)
    path = (
        "replica"
        if replay.fast_curves(run, self_check.disabled_replicas()) is not None
        else "stepping"
    )
    results[case, groups, n] = (naive_s, equal)
    print(
        f"{case:<20} {groups:>2} {n:>9,} | {naive_s / n * 1e6:9.3f} {ours_s / n * 1e6:9.3f} "
        f"{naive_s / ours_s:8.1f}x | {'yes' if equal else 'NO':<5} {path}",
        flush=True,
    )


def http(n: int, naive_s: float | None, equal: bool | None) -> None:
    """The headline through the real route: first request, then the cached repeat."""
    with warnings.catch_warnings():  # starlette's TestClient warns about httpx on import
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from lrscope.web.app import create_app

    client = TestClient(create_app(Settings(), jobs=SimpleNamespace()))  # no job workers
    warm = run_spec("StepLR", 1, 10_000)
    assert client.post("/api/schedule", json=warm).status_code == 200
    firsts = []
    for max_points in (2000, 1999, 1998):  # a new cache key each time: really computed
        body = run_spec(HEADLINE, 1, n, max_points)
        start = clock()
        response = client.post("/api/schedule", json=body)
        firsts.append(clock() - start)
        assert response.status_code == 200, response.text
    first = statistics.median(firsts)
    cached = best_of(21, lambda: client.post("/api/schedule", json=run_spec(HEADLINE, 1, n)))
    print(f"\nPOST /api/schedule, {n:,}-step warmup + cosine, 1 group, max_points 2000:")
    print(f"  first request   {first * 1e3:9.1f} ms", end="")
    if naive_s is not None:
        target = " (target >= 20x)" if n >= 1_000_000 else ""
        print(
            f"   naive loop {naive_s:.2f} s -> {naive_s / first:.1f}x faster{target}, "
            f"values bitwise equal: {'yes' if equal else 'NO'}",
            end="",
        )
    print(f"\n  cached repeat   {cached * 1e3:9.3f} ms", end="")
    if naive_s is not None:
        print(f"   -> {naive_s / cached:,.0f}x faster", end="")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k steps only (skip 1M rows)")
    parser.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    parser.add_argument(
        "--headline", action="store_true", help="only the 1M-step warmup + cosine, 1 group"
    )
    args = parser.parse_args(argv)
    global clock
    clock = time.perf_counter if args.wall else time.process_time
    lengths = [10_000] if args.quick else [10_000, 1_000_000]
    torch.set_num_threads(1)
    self_check.self_check()  # once per process, as the service does at its first request
    evaluate(run_spec("StepLR", 1, 10_000))  # warm up torch's lazy imports
    print(
        f"torch {torch.__version__}, python {sys.version.split()[0]}, "
        f"{'wall-clock' if args.wall else 'CPU'} time per step "
        "(lrscope: median of repeats; naive: timed once)"
    )
    print(
        f"{'scheduler':<20} {'G':>2} {'steps':>9} | {'naive us':>9} {'lrscope':>9} "
        f"{'ratio':>9} | equal path"
    )
    results: dict[Any, Any] = {}
    if args.headline:
        lengths = [1_000_000]
    for n in lengths:
        for case in [HEADLINE] if args.headline else CASES:
            for groups in (1,) if args.headline else (1, 4):
                row(case, groups, n, results)
    n = lengths[-1]
    naive_s, equal = results[HEADLINE, 1, n]
    http(n, naive_s, equal)
    return 0 if all(eq for _, eq in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
