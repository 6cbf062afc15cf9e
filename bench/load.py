"""Cheap requests under heavy load: does health (and a cache hit) stay near idle?

Starts its own ``lrscope serve`` on a free loopback port (``--backend`` picks the source
tree; ``--baseline`` measures another tree the same way in the same run, first), then
measures, with httpx:

- idle: ``GET /api/health`` and a cached ``POST /api/schedule``, one at a time;
- load: ``--clients`` concurrent clients each posting ``--per-client`` uncached exact
  schedules (a new ``T_max`` each, so none is a cache hit), while a probe keeps asking
  for health and a cache hit; the table shows each against idle (p95 ratio);
- exact: one 2M-point ``max_points: 0`` answer (~72 MB of JSON), asked with
  ``Accept-Encoding: gzip`` (as browsers ask) and without, with health probed meanwhile:
  the worst health latency is how long that answer stalls everyone else.

The probe runs in a process of its own, and the heavy clients read the bytes as sent
(no decompression, no JSON parsing), so the bench's own work never shows up as the
server's latency. Heavy clients ask for gzip unless ``--encoding identity``.

Bounded: at most clients x per-client heavy requests, loopback only, servers stopped at exit.

    python bench/load.py [--clients 50] [--per-client 2] [--backend DIR] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
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
ENCODINGS = {"gzip": "gzip, deflate", "identity": "identity"}


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


def _probe_loop(url: str, conn: Connection) -> None:
    """In the probe's own process: health and a cache hit, every 20 ms, until told to stop."""
    out: dict[str, list[float]] = {"health": [], "cache hit": []}
    with httpx.Client(base_url=url, timeout=600) as client:
        client.post("/api/schedule", json=CACHED)
        conn.send("ready")
        while not conn.poll():
            for name, method, kw in (
                ("health", "GET", {}),
                ("cache hit", "POST", {"json": CACHED}),
            ):
                start = time.perf_counter()
                client.request(method, "/api/health" if name == "health" else "/api/schedule", **kw)
                out[name].append(time.perf_counter() - start)
            time.sleep(0.02)
    conn.send(out)


class Probe:
    """Health and cache-hit latencies seen from another process while the block runs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.results: dict[str, list[float]] = {}

    def __enter__(self) -> Probe:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._proc = context.Process(target=_probe_loop, args=(self.url, child), daemon=True)
        self._proc.start()
        assert self._conn.recv() == "ready"
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self.results = self._conn.recv()
        self._proc.join(30)


async def raw_post(
    client: httpx.AsyncClient, body: dict[str, Any], accept: str
) -> tuple[float, int, int]:
    """Seconds, status and bytes on the wire of one POST /api/schedule, read as sent."""
    start = time.perf_counter()
    size = 0
    headers = {"accept-encoding": accept}
    async with client.stream("POST", "/api/schedule", json=body, headers=headers) as r:
        async for chunk in r.aiter_raw():
            size += len(chunk)
    return time.perf_counter() - start, r.status_code, size


def idle(url: str, n: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"health": [], "cache hit": []}
    with httpx.Client(base_url=url, timeout=60) as client:
        client.post("/api/schedule", json=CACHED)
        for _ in range(n):
            for name, method, kw in (
                ("health", "GET", {}),
                ("cache hit", "POST", {"json": CACHED}),
            ):
                start = time.perf_counter()
                client.request(method, "/api/health" if name == "health" else "/api/schedule", **kw)
                out[name].append(time.perf_counter() - start)
    return out


async def under_load(url: str, clients: int, per_client: int, accept: str) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=clients + 4)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        heavy_times: list[float] = []
        statuses: dict[int, int] = {}
        counter = iter(range(clients * per_client))

        async def one_client() -> None:
            for _ in range(per_client):
                dt, status, _ = await raw_post(client, heavy(next(counter)), accept)
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    heavy_times.append(dt)

        start = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        wall = time.perf_counter() - start
        return {"heavy (uncached)": heavy_times, "statuses": statuses, "wall": wall}


async def exact(url: str, accept: str) -> tuple[float, int, int]:
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:
        return await raw_post(client, EXACT_2M, accept)


def row(name: str, values: list[float], idle_p95: float | None) -> str:
    if not values:
        return f"{name:<22} (none)"
    p50, p95, p99 = pct(values, 0.5), pct(values, 0.95), pct(values, 0.99)
    ratio = f"{p95 / idle_p95:8.1f}x" if idle_p95 else " " * 9
    return f"{name:<22}{len(values):>6}{p50:>10.1f}{p95:>10.1f}{p99:>10.1f}{ratio}"


def measure(url: str, args: argparse.Namespace) -> None:
    base = idle(url, 40)
    with Probe(url) as probe:
        loaded = asyncio.run(
            under_load(url, args.clients, args.per_client, ENCODINGS[args.encoding])
        )
    heavy_n = len(loaded["heavy (uncached)"])
    print(f"{'':<22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'p95/idle':>9}")
    for name in ("health", "cache hit"):
        print(row(f"{name} idle", base[name], None))
        print(row(f"{name} under load", probe.results[name], pct(base[name], 0.95)))
    print(row("heavy (uncached)", loaded["heavy (uncached)"], None))
    wall = loaded["wall"]
    print(f"heavy ({args.encoding}): {heavy_n / wall:.1f} req/s over {wall:.1f} s; "
          f"statuses {loaded['statuses']}")  # fmt: skip
    for _ in range(args.exact_repeat):
        for encoding in ("gzip", "identity"):
            with Probe(url) as probe:
                dt, status, size = asyncio.run(exact(url, ENCODINGS[encoding]))
            worst = max(probe.results["health"]) * 1000
            print(f"2M-point exact answer, {encoding:<8}: {status} in {dt:5.2f} s, "
                  f"{size / 1e6:5.1f} MB sent; worst health meanwhile {worst:4.0f} ms")  # fmt: skip


def run_one(backend: Path, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="lrscope-load-") as tmp:
        port = free_port()
        proc = start_server(backend.resolve(), Path(tmp), port)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_ready(url, proc)
            print(f"server: {backend} ({args.clients} heavy clients x {args.per_client}); "
                  f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
            measure(url, args)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=2)
    parser.add_argument("--backend", type=Path, default=REPO / "backend")
    parser.add_argument("--baseline", type=Path, help="another tree's backend/, measured first")
    what = "what the heavy clients accept (default gzip, as browsers)"
    parser.add_argument("--encoding", choices=sorted(ENCODINGS), default="gzip", help=what)
    parser.add_argument("--exact-repeat", type=int, default=2, help="2M-point answers per encoding")
    args = parser.parse_args()
    for backend in (args.baseline, args.backend):
        if backend is not None:
            run_one(backend, args)


if __name__ == "__main__":
    main()
