"""Front-end speed: edit -> redrawn chart, and first load -> first chart, in Chromium.

Starts the real server on a free port, opens the page with 1 and then 5 overlaid
10,000-step curves, and edits a parameter of the selected curve again and again (a new
value each time, so the server's response cache never answers). The page marks
"lrscope:chart-rendered" when Plotly has drawn; the time is taken at the next animation
frame after that, i.e. when the new chart can be on screen.

Baseline, measured in the same run and the same page: the bare POST /api/schedule round
trip of the same spec (fetch + JSON parse). The ratio says what the page adds on top.

    python bench/ui.py [--edits 40] [--loads 8]

Target: edit -> redraw p95 <= 100 ms.

Page weight (``--weight``): cold first loads (a fresh browser context each, so an empty
cache) of the real page and of a bare page that only loads the wheel's full plotly.js
(/vendor/plotly.min.js from the same server) and draws one line, alternating, side by side
in the same run. Bytes on the wire are what Chromium received (CDP Network.loadingFinished
encodedDataLength: compressed bodies and headers); time to first chart is the page's
"lrscope:first-chart" mark (the bare page's: Plotly.newPlot resolved), from navigation
start. ``--mbps``/``--rtt-ms`` throttle the link (CDP network emulation), e.g. a shared
classroom Wi-Fi. One untimed load of each first fills the server's compress-once cache.

    python bench/ui.py --weight [--loads 5] [--mbps 20 --rtt-ms 30]

Target: a cold first load transfers under 1.5 MB and draws its first chart well before
the bare full-plotly page does.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
STEPS = {"epochs": 100, "steps_per_epoch": 100}  # 10,000 optimizer steps
SGD: dict[str, Any] = {"type": "SGD", "lr": 0.1, "momentum": 0.9}
CURVES: list[dict[str, Any]] = [
    {"scheduler": {"type": "OneCycleLR", "max_lr": 0.1}, "optimizer": SGD, **STEPS},
    {
        "scheduler": {"type": "CosineAnnealingLR", "T_max": 10_000},
        "optimizer": SGD,
        "interval": "step",
        **STEPS,
    },
    {
        "scheduler": {"type": "CyclicLR", "base_lr": 0.01, "max_lr": 0.1, "step_size_up": 1000},
        "optimizer": SGD,
        **STEPS,
    },
    {
        "scheduler": {
            "type": "SequentialLR",
            "milestones": [500],
            "schedulers": [
                {"type": "LinearLR", "start_factor": 0.01, "total_iters": 500},
                {"type": "CosineAnnealingLR", "T_max": 9500, "eta_min": 0.001},
            ],
        },
        "optimizer": SGD,
        "interval": "step",
        **STEPS,
    },
    {
        "scheduler": {
            "type": "LambdaLR",
            "lr_lambda": "min((epoch + 1) / 1000, (1000 / (epoch + 1)) ** 0.5)",
        },
        "optimizer": SGD,
        "interval": "step",
        **STEPS,
    },
]
# A function, not an expression: Playwright evaluates bare expressions with eval, which
# the page's CSP refuses.
IDLE = "() => document.body.dataset.state === 'idle'"
# The edited field: OneCycleLR's max_lr (the first curve is selected).
EDIT_PATH = "scheduler.max_lr"


def link(curves: list[dict[str, Any]]) -> str:
    state = {
        "v": 1,
        "c": [{"n": f"curve {i + 1}", "s": s} for i, s in enumerate(curves)],
        "i": 0,
        "x": "step",
        "y": "linear",
        "l": "en",
    }
    raw = base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")
    return f"#s={raw}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log_path = Path(data_dir) / "server.log"
    with log_path.open("wb") as log:  # a file, not a pipe nobody drains
        process = subprocess.Popen(
            [sys.executable, "-m", "lrscope", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "LRSCOPE_DATA_DIR": data_dir},
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not answer /api/health in 90 s")


EDIT_JS = """
async ([path, value]) => {
  const input = document.querySelector(`#editor [data-path="${path}"] input`);
  const drawn = new Promise((resolve) => {
    window.addEventListener("lrscope:rendered", () => {
      requestAnimationFrame(() => resolve(performance.now()));
    }, { once: true });
  });
  performance.mark("bench:edit");
  const start = performance.now();
  input.value = String(value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const end = await drawn;
  performance.measure("bench:edit-to-redraw", "bench:edit", "lrscope:chart-rendered");
  return end - start;
}
"""

FETCH_JS = """
async (spec) => {
  const start = performance.now();
  const response = await fetch("/api/schedule", {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(spec)});
  await response.json();
  return performance.now() - start;
}
"""


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench_edits(browser: Any, url: str, count: int, edits: int) -> tuple[list[float], list[float]]:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url + "/" + link(CURVES[:count]))
    page.wait_for_function(IDLE, timeout=60_000)
    redraw: list[float] = []
    baseline: list[float] = []
    for i in range(edits + 3):
        value = round(0.1 + 0.0001 * (i + 1) + 0.01 * count, 6)  # never the same spec twice
        ms = page.evaluate(EDIT_JS, [EDIT_PATH, value])
        page.wait_for_function(IDLE)
        spec = {**CURVES[0], "scheduler": {**CURVES[0]["scheduler"], "max_lr": value + 0.5}}
        api_ms = page.evaluate(FETCH_JS, spec)
        if i >= 3:  # warm-up edits are not counted
            redraw.append(ms)
            baseline.append(api_ms)
    page.close()
    return redraw, baseline


MARKS_JS = """() => Object.fromEntries(
  ['lrscope:catalog-ready', 'lrscope:plotly-ready', 'lrscope:first-chart']
    .map((name) => [name.split(':')[1], performance.getEntriesByName(name)[0].startTime]))"""


def bench_loads(browser: Any, url: str, loads: int) -> dict[str, list[float]]:
    """Fresh pages (the browser cache is warm after the first): ms from navigation start."""
    times: dict[str, list[float]] = {}
    for _ in range(loads):
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url + "/")
        page.wait_for_function(
            "() => performance.getEntriesByName('lrscope:first-chart').length > 0", timeout=60_000
        )
        for name, ms in page.evaluate(MARKS_JS).items():
            times.setdefault(name, []).append(ms)
        page.close()
    return times


BARE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head>
<body><div id="chart" style="width:900px;height:450px"></div>
<script src="/vendor/plotly.min.js"></script>
<script>
Plotly.newPlot("chart", [{type: "scatter", mode: "lines", y: [1, 0.5, 0.25, 0.125]}])
  .then(() => performance.mark("bench:first-chart"));
</script></body></html>"""
FIRST_CHART = {"real": "lrscope:first-chart", "bare": "bench:first-chart"}


def cold_load(browser: Any, url: str, kind: str, link: tuple[float, float]) -> dict[str, Any]:
    """One load in an empty cache: bytes Chromium received, requests, ms to first chart."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    mbps, rtt_ms = link
    if mbps:
        rate = mbps * 1e6 / 8  # bytes per second, each way
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": rtt_ms,
                "downloadThroughput": rate,
                "uploadThroughput": rate,
            },
        )
    urls: dict[str, str] = {}
    received: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    target = url + "/"
    if kind == "bare":
        target = url + "/bench-bare.html"  # same origin; the HTML itself is not from the server
        page.route(target, lambda route: route.fulfill(body=BARE_PAGE, content_type="text/html"))
    mark = FIRST_CHART[kind]
    page.goto(target)
    page.wait_for_function(
        f"() => performance.getEntriesByName('{mark}').length > 0", timeout=300_000
    )
    first_ms = page.evaluate(f"() => performance.getEntriesByName('{mark}')[0].startTime")
    marks: dict[str, float] = {}
    if kind == "real":
        page.wait_for_function(IDLE, timeout=300_000)
        marks = page.evaluate(MARKS_JS)
    quiet_since, seen = time.monotonic(), -1
    while time.monotonic() - quiet_since < 1.5:  # until no request started or ended for 1.5 s
        page.wait_for_timeout(100)
        if len(urls) + len(received) != seen:
            seen, quiet_since = len(urls) + len(received), time.monotonic()
    sizes = {urls.get(rid, rid).removeprefix(url): n for rid, n in received.items()}
    context.close()
    return {
        "first_ms": first_ms,
        "bytes": sum(sizes.values()),
        "requests": len(urls),
        "sizes": sizes,
        "marks": marks,
    }


def bench_weight(browser: Any, url: str, loads: int, link: tuple[float, float]) -> None:
    cold_load(browser, url, "real", (0, 0))  # fill the server's compress-once cache
    cold_load(browser, url, "bare", (0, 0))
    runs: dict[str, list[dict[str, Any]]] = {"real": [], "bare": []}
    for i in range(loads):
        for kind in ("real", "bare") if i % 2 == 0 else ("bare", "real"):
            runs[kind].append(cold_load(browser, url, kind, link))
    where = f"{link[0]:g} Mbit/s, {link[1]:g} ms latency" if link[0] else "loopback, no throttle"
    print(f"page weight, cold cache, {loads} loads each, alternating; link: {where}")
    for kind, label in (("real", "lrscope page"), ("bare", "bare page, full plotly.js")):
        first = [r["first_ms"] for r in runs[kind]]
        sent = [r["bytes"] for r in runs[kind]]
        print(
            f"  {label:27s} {statistics.median(sent) / 1e6:6.3f} MB on the wire "
            f"in {runs[kind][0]['requests']} requests; first chart {summary(first)}"
        )
    for name in ("catalog-ready", "plotly-ready"):
        at = [r["marks"][name] for r in runs["real"]]
        print(f"    real page: {name:13s} at {summary(at)}")
    biggest = sorted(runs["real"][0]["sizes"].items(), key=lambda item: -item[1])[:5]
    print("  largest transfers of the real page: " + ", ".join(f"{u} {n:,} B" for u, n in biggest))
    real = statistics.median(r["first_ms"] for r in runs["real"])
    bare = statistics.median(r["first_ms"] for r in runs["bare"])
    real_mb = statistics.median(r["bytes"] for r in runs["real"]) / 1e6
    print(f"  ratio (median first chart): bare / real = {bare / real:.2f}x")
    verdict = "meets" if real_mb < 1.5 and real < bare else "misses"
    print(f"target < 1.5 MB and first chart before the bare page: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--loads", type=int, default=8)
    parser.add_argument("--weight", action="store_true", help="page weight, cold loads only")
    parser.add_argument("--mbps", type=float, default=0, help="--weight: throttle the link")
    parser.add_argument("--rtt-ms", type=float, default=0, help="--weight: added latency")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as data_dir:
        process, url = start_server(data_dir)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                if args.weight:
                    bench_weight(browser, url, args.loads, (args.mbps, args.rtt_ms))
                    browser.close()
                    return
                print(f"lrscope UI bench: {url}, {args.edits} edits per case, 10,000-step curves")
                worst = 0.0
                for count in (1, 5):
                    redraw, api = bench_edits(browser, url, count, args.edits)
                    worst = max(worst, p95(redraw))
                    ratio = statistics.median(redraw) / statistics.median(api)
                    print(f"edit -> redraw, {count} curve(s): {summary(redraw)}")
                    print(
                        f"  baseline POST /api/schedule: {summary(api)}   "
                        f"ratio (median) {ratio:.2f}x"
                    )
                loads = bench_loads(browser, url, args.loads)
                first = loads["first-chart"]
                print(
                    f"first load -> first chart:     {summary(first)}   (cold: {first[0]:.1f} ms)"
                )
                print(f"  of which catalog answered:   {summary(loads['catalog-ready'])}")
                print(f"  of which plotly.js ran:      {summary(loads['plotly-ready'])}")
                verdict = "meets" if worst <= 100 else "misses"
                print(f"target edit -> redraw p95 <= 100 ms: {verdict} ({worst:.1f} ms)")
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
