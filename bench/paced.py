"""How much CPU a paced training job uses: why paced jobs get a pool of their own.

Each case runs the training loop (``lrscope.training.loop.train``) in this process on one
torch thread for a few wall-clock seconds and reports CPU seconds per wall second (1.0: it
keeps a core busy). The baseline is the same run at full speed, measured side by side in
the same process; the ratio says how much of a worker a paced job really uses.

    python bench/paced.py [--seconds S]

Cases: the page's default run (over-fitting task) at the page's live pace (about 15 s a
run), and the largest model a job may ask for (width 256, 6 hidden layers) at batch 256 at
50 steps a second. Beside each: the share of a core it needs (its pace x the CPU a step takes
at full speed) and what ``caps.cpu_share`` estimates from the spec, against
``LRSCOPE_PACED_MAX_CPU`` (a job under it is paced: it holds no CPU worker).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import torch

from lrscope.catalog import default_catalog
from lrscope.settings import Limits, Settings
from lrscope.training.jobs.caps import cpu_share
from lrscope.training.loop import train
from lrscope.training.spec import parse_train_spec, resolve_train

PAGE = {  # the page's default Train run (README: the over-fitting demo)
    "scheduler": {"type": "StepLR", "step_size": 30},
    "task": {"name": "overfit"},
    "epochs": 100,
}
BIG = {
    "scheduler": {"type": "StepLR", "step_size": 30},
    "task": {"name": "spirals", "train_size": 5000, "val_size": 500},
    "model": {"width": 256, "depth": 6},
    "batch_size": 256,
    "epochs": 2000,
}


def measure(spec: dict[str, Any], seconds: float) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, optimizer steps) of ``spec``'s loop, stopped after
    ``seconds``."""
    plan = resolve_train(parse_train_spec(spec), default_catalog(), Limits())
    start_wall, start_cpu = time.monotonic(), time.process_time()

    def should_stop() -> str | None:
        return "stopped" if time.monotonic() - start_wall > seconds else None

    steps = 0
    for event in train(plan, should_stop):
        steps = max(steps, event.get("steps_run", 0), event.get("step", -1) + 1)
    return time.process_time() - start_cpu, time.monotonic() - start_wall, steps


def live_pace(spec: dict[str, Any]) -> float:
    """The page's pace (frontend/js/train/form.js livePace): the run in about 15 s."""
    plan = resolve_train(parse_train_spec(spec), default_catalog(), Limits())
    return float(max(1, round(plan.num_steps / 15)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as a worker runs
    budget = Settings().paced_max_cpu
    cases = [
        ("page default", PAGE, live_pace(PAGE)),
        ("largest model, batch 256", BIG, 50.0),
    ]
    print(f"paced when the estimated share of a core is at most {budget}")
    print(
        f"{'case':26} {'pace':>6} {'CPU ms/step':>12} {'needs':>6} {'estimate':>9} "
        f"{'paced CPU/wall':>15} {'full':>6} {'ratio':>6}"
    )
    for name, spec, pace in cases:
        full_cpu, full_wall, full_steps = measure(spec, args.seconds)  # the baseline
        cpu, wall, _ = measure({**spec, "steps_per_second": pace}, args.seconds)
        per_step = full_cpu / max(1, full_steps)
        # "full": the CPU/wall of the same run at full speed (1.0 on an idle core; lower
        # when the machine is shared); the paced share is the fraction of a worker it holds.
        estimate = cpu_share({**parse_train_spec(spec).model_dump(), "steps_per_second": pace})
        print(
            f"{name:26} {pace:>4.0f}/s {per_step * 1000:>12.2f} {pace * per_step:>6.3f} "
            f"{estimate or 0:>9.3f} {cpu / wall:>15.3f} {full_cpu / full_wall:>6.3f} "
            f"{(cpu / wall) / (full_cpu / full_wall):>6.3f}"
        )
    print("a paced job needs about pace x CPU per step of a core; the rest of its worker idles")


if __name__ == "__main__":
    main()
