"""Training-job speed through the whole service against the same loop run bare.

- bare: ``lrscope.training.loop`` in this process, one torch thread, as a script runs it
  (building data, model, optimizer and scheduler included) -- the baseline;
- service: ``POST /api/jobs`` on a real uvicorn server, the job in a worker process forked
  from the warm fork server, its events streamed over ``WS /ws/jobs/{id}`` to the end.

Runs alternate (bare, service, bare, ...), so a shared machine's load hits both alike;
the best run of each (the least disturbed) is the headline, medians follow. Also
measured: the time from ``POST`` to the job's first event from its worker (``start``) and
to its first training event, with a warm worker.

    python bench/training.py [--quick] [--repeats N]

Targets: service overhead <= 5 % of steps per second; POST -> first event <= 0.5 s.

Heavy imports sit inside functions: a worker process imports the main script (as every
``forkserver``/``spawn`` child does), and it should not pay for this one's imports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

SPEC: dict[str, Any] = {
    "scheduler": {"type": "OneCycleLR", "max_lr": 0.2},
    "task": {"name": "spirals"},
    "epochs": 400,
}


class Server:
    """The app on uvicorn in a thread, on a free port, with a warm fork server."""

    def __init__(self, data_dir: Path) -> None:
        import uvicorn

        from lrscope.settings import Settings
        from lrscope.web.app import create_app

        settings = Settings(data_dir=data_dir, workers=1, prewarm_workers=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(create_app(settings), log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join()
        self.sock.close()


async def run_job(port: int, spec: dict[str, Any]) -> dict[str, float]:
    """POST a job and stream it to the end; times are seconds after the POST began."""
    import httpx
    from websockets.asyncio.client import connect

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
        t0 = time.perf_counter()
        response = await http.post("/api/jobs", json=spec)
        accepted = time.perf_counter() - t0
        job = response.json()["id"]
        times: dict[str, float] = {"accepted": accepted}
        steps = 0
        messages = 0
        async with connect(f"ws://127.0.0.1:{port}/ws/jobs/{job}", max_size=None) as ws:
            async for message in ws:
                now = time.perf_counter() - t0
                messages += 1
                for event in json.loads(message):
                    kind = event["type"]
                    if kind == "start":
                        times.setdefault("first_event", now)
                    elif kind in ("step", "metrics"):
                        if "first_metrics" not in times:
                            times["first_metrics"] = now
                            times["first_step"] = event["step"]
                    elif kind == "done":
                        assert event["status"] == "completed", event
                        steps = event["steps_run"]
                        times["done"] = now
    times["steps"] = steps
    times["messages"] = messages
    return times


def bare(spec: dict[str, Any]) -> tuple[float, int]:
    from lrscope.catalog import default_catalog
    from lrscope.settings import Limits
    from lrscope.training.loop import run_to_end
    from lrscope.training.spec import parse_train_spec, resolve_train

    start = time.perf_counter()
    plan = resolve_train(parse_train_spec(spec), default_catalog(), Limits())
    events = run_to_end(plan)
    elapsed = time.perf_counter() - start
    assert events[-1]["status"] == "completed"
    return elapsed, events[-1]["steps_run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a shorter job, 3 repeats")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    spec = {**SPEC, "epochs": 80} if args.quick else SPEC
    repeats = 3 if args.quick else args.repeats
    import torch

    torch.set_num_threads(1)  # as in a worker
    bare(spec)  # warm this process (lazy torch imports) before timing

    with tempfile.TemporaryDirectory() as tmp, Server(Path(tmp)) as server:
        asyncio.run(run_job(server.port, {**spec, "epochs": 1}))  # warm the worker path
        bare_rates, service_rates, first, first_metrics, accepted = [], [], [], [], []
        steady: list[float] = []
        messages = 0.0
        for _ in range(repeats):
            elapsed, steps = bare(spec)
            bare_rates.append(steps / elapsed)
            t = asyncio.run(run_job(server.port, spec))
            service_rates.append(t["steps"] / t["done"])
            # Training alone: from the first training event to the end (no start-up).
            steady.append((t["steps"] - 1 - t["first_step"]) / (t["done"] - t["first_metrics"]))
            first.append(t["first_event"])
            first_metrics.append(t["first_metrics"])
            accepted.append(t["accepted"])
            messages = t["messages"] / t["done"]

    print(f"job: {spec['task']['name']}, {steps} optimizer steps, {repeats} alternating runs")
    for label, pick in (("best of runs", max), ("median", statistics.median)):
        b, s = pick(bare_rates), pick(service_rates)
        print(f"{label}:")
        print(f"  bare loop, one process     {b:9.0f} steps/s")
        t = pick(steady)
        print(f"  through the service        {s:9.0f} steps/s  (POST to done)")
        print(f"  service, training alone    {t:9.0f} steps/s  (first training event to done)")
        print(f"  service overhead           {b / s - 1:9.1%}   target <= 5 %")
        print(f"  overhead, training alone   {b / t - 1:9.1%}")
    print(f"POST -> 202                  {statistics.median(accepted) * 1000:9.1f} ms")
    print(
        f"POST -> first event (start)  {statistics.median(first) * 1000:9.1f} ms"
        f"   target <= 500 ms (warm worker)"
    )
    print(f"POST -> first metrics event  {statistics.median(first_metrics) * 1000:9.1f} ms")
    print(f"WebSocket messages per s     {messages:9.1f}   (cap ~20)")
    print(f"raw steps/s: bare {[round(r) for r in bare_rates]}")
    print(f"          service {[round(r) for r in service_rates]}")


if __name__ == "__main__":
    main()
