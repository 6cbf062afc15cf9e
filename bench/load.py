"""Cheap requests under heavy load: does health (and a cache hit) stay near idle?

Starts its own ``lrscope serve`` on a free loopback port (``--backend`` picks the source
tree, so a baseline checkout can be measured the same way), then measures, with httpx:

- idle: ``GET /api/health`` and a cached ``POST /api/schedule``, one at a time;
- load: ``--clients`` concurrent clients each posting ``--per-client`` uncached exact
  schedules (a new ``T_max`` each, so none is a cache hit), while one probe keeps asking
  for health and a cache hit; the table shows each against idle (p95 ratio);
- exact: one 2M-point ``max_points: 0`` answer (~80 MB), with health probed meanwhile:
  the worst health latency is how long that answer stalls everyone else.

Bounded: at most clients x per-client heavy requests, loopback only, server stopped at exit.

    python bench/load.py [--clients 50] [--per-client 2] [--backend DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
CACHED = {"scheduler": {"type": "StepLR", "step_size": 3}, "epochs": 50}
EXACT_2M = {
    "scheduler": {"type": "CosineAnnealingLR", "T_max": 1000},
    "epochs": 2_000_000,
    "max_points": 0,
}


def heavy(k: int) -> dict[str, Any]:
    """An uncached exact evaluation: 200k optimizer steps of cosine, a new T_max each."""
    scheduler = {"type": "CosineAnnealingLR", "T_max": 1000 + k}
    return {"scheduler": scheduler, "epochs": 20_000, "steps_per_epoch": 10, "interval": "step"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(backend: Path, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(backend), "LRSCOPE_PREWARM_WORKERS": "0"}
    cmd = [sys.executable, "-m", "lrscope", "serve", "--port", str(port)]
    cmd += ["--data-dir", str(data_dir)]
    log = (data_dir / "server.log").open("wb")
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited; see its server.log")
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start within 120 s")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def timed(client: httpx.AsyncClient, method: str, path: str, **kw: Any) -> tuple[float, int]:
    start = time.perf_counter()
    r = await client.request(method, path, **kw)
    return time.perf_counter() - start, r.status_code


async def idle(client: httpx.AsyncClient, n: int) -> dict[str, list[float]]:
    await client.post("/api/schedule", json=CACHED)
    out: dict[str, list[float]] = {"health": [], "cache hit": []}
    for _ in range(n):
        out["health"].append((await timed(client, "GET", "/api/health"))[0])
        out["cache hit"].append((await timed(client, "POST", "/api/schedule", json=CACHED))[0])
    return out


async def probe(
    client: httpx.AsyncClient, stop: asyncio.Event, out: dict[str, list[float]]
) -> None:
    while not stop.is_set():
        out["health"].append((await timed(client, "GET", "/api/health"))[0])
        out["cache hit"].append((await timed(client, "POST", "/api/schedule", json=CACHED))[0])
        await asyncio.sleep(0.02)


async def under_load(url: str, clients: int, per_client: int) -> tuple[dict[str, Any], float]:
    limits = httpx.Limits(max_connections=clients + 4)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        stop = asyncio.Event()
        cheap: dict[str, list[float]] = {"health": [], "cache hit": []}
        heavy_times: list[float] = []
        statuses: dict[int, int] = {}
        counter = iter(range(clients * per_client))

        async def one_client() -> None:
            for _ in range(per_client):
                k = next(counter)
                dt, status = await timed(client, "POST", "/api/schedule", json=heavy(k))
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    heavy_times.append(dt)

        prober = asyncio.create_task(probe(client, stop, cheap))
        start = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        wall = time.perf_counter() - start
        stop.set()
        await prober
        return {**cheap, "heavy (uncached)": heavy_times, "statuses": statuses}, wall


async def exact_stall(url: str) -> tuple[float, float, int]:
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:
        stop = asyncio.Event()
        cheap: dict[str, list[float]] = {"health": [], "cache hit": []}
        prober = asyncio.create_task(probe(client, stop, cheap))
        dt, status = await timed(client, "POST", "/api/schedule", json=EXACT_2M)
        stop.set()
        await prober
        return dt, max(cheap["health"]) * 1000, status


def row(name: str, values: list[float], idle_p95: float | None) -> str:
    if not values:
        return f"{name:<22} (none)"
    p50, p95, p99 = pct(values, 0.5), pct(values, 0.95), pct(values, 0.99)
    ratio = f"{p95 / idle_p95:8.1f}x" if idle_p95 else " " * 9
    return f"{name:<22}{len(values):>6}{p50:>10.1f}{p95:>10.1f}{p99:>10.1f}{ratio}"


async def measure(url: str, clients: int, per_client: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        base = await idle(client, 40)
    loaded, wall = await under_load(url, clients, per_client)
    heavy_n = len(loaded["heavy (uncached)"])
    print(f"{'':<22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'p95/idle':>9}")
    for name in ("health", "cache hit"):
        print(row(f"{name} idle", base[name], None))
        print(row(f"{name} under load", loaded[name], pct(base[name], 0.95)))
    print(row("heavy (uncached)", loaded["heavy (uncached)"], None))
    print(f"heavy: {heavy_n / wall:.1f} req/s over {wall:.1f} s; statuses {loaded['statuses']}")
    dt, worst, status = await exact_stall(url)
    print(f"2M-point exact answer: {status} in {dt:.2f} s; worst health meanwhile {worst:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=2)
    parser.add_argument("--backend", type=Path, default=REPO / "backend")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lrscope-load-") as tmp:
        port = free_port()
        proc = start_server(args.backend.resolve(), Path(tmp), port)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_ready(url, proc)
            print(f"server: {args.backend} ({args.clients} heavy clients x {args.per_client})")
            asyncio.run(measure(url, args.clients, args.per_client))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
