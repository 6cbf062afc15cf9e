"""What the decision boundary costs a training run: the same run with ``"boundary": false``
(the baseline) and with its frames, measured side by side in this process.

Runs alternate (off, on, off, ...) with one torch thread, so a shared machine's load hits
both alike; each run's CPU time (``time.process_time``) is taken, and the best of each
(the least disturbed) is the headline, medians follow. Also printed: the bytes the frames
and the start event's grid add to the run's events, as JSON.

    python bench/boundary.py [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

CASES: dict[str, dict[str, Any]] = {
    "page default (overfit, StepLR(30), 100 epochs)": {
        "task": {"name": "overfit"},
        "scheduler": {"type": "StepLR", "step_size": 30},
        "epochs": 100,
    },
    "spirals, 30 epochs, batch 16": {
        "task": {"name": "spirals"},
        "scheduler": {"type": "StepLR", "step_size": 10},
        "epochs": 30,
        "batch_size": 16,
    },
}


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), allow_nan=False))


def main() -> None:
    import torch

    from lrscope.catalog import default_catalog
    from lrscope.settings import Limits
    from lrscope.training.loop import run_to_end
    from lrscope.training.spec import parse_train_spec, resolve_train

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    catalog, limits = default_catalog(), Limits()
    for name, spec in CASES.items():
        times: dict[bool, list[float]] = {False: [], True: []}
        events: dict[bool, list[dict[str, Any]]] = {}
        for _ in range(args.repeats):
            for on in (False, True):
                plan = resolve_train(parse_train_spec({**spec, "boundary": on}), catalog, limits)
                start = time.process_time()
                events[on] = run_to_end(plan)
                times[on].append(time.process_time() - start)
        frames = [e for e in events[True] if e["type"] == "boundary"]
        extra = _size(events[True]) - _size(events[False])
        print(f"{name}:")
        for on in (False, True):
            label = "with frames " if on else "no boundary "
            print(
                f"  {label} best {min(times[on]) * 1000:7.1f} ms CPU, "
                f"median {statistics.median(times[on]) * 1000:7.1f} ms"
            )
        print(
            f"  ratio (with / without): best {min(times[True]) / min(times[False]):.3f}, "
            f"median {statistics.median(times[True]) / statistics.median(times[False]):.3f}"
        )
        print(
            f"  {len(frames)} frames; events {_size(events[False]):,} -> "
            f"{_size(events[True]):,} bytes (+{extra:,})"
        )


if __name__ == "__main__":
    main()
