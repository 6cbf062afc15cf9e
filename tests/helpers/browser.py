"""What the browser tests share: Debian's Chromium and how to launch it, the guard on every
page, opening the app, waiting for it, reading the chart."""

from __future__ import annotations

import base64
import json
import subprocess
import urllib.request
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Debian's Chromium, never a downloaded one; the flags keep it off the (closed) network.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


@dataclass
class Watch:
    """What a page did that a test must not allow: outside requests, console errors."""

    external: list[str] = dataclass_field(default_factory=list)
    errors: list[str] = dataclass_field(default_factory=list)
    allowed: list[str] = dataclass_field(default_factory=list)

    def allow(self, fragment: str) -> None:
        """Tolerate console errors containing `fragment` (e.g. the browser's note on a 422)."""
        self.allowed.append(fragment)

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(a in e for a in self.allowed)]


def open_app(page: Any, url: str, hash_: str = "") -> None:
    page.goto(url + "/" + (f"#{hash_}" if hash_ else ""))
    wait_idle(page)


def wait_idle(page: Any, timeout: float = 20_000) -> None:
    """Wait until no evaluation is pending and the chart shows the latest answers."""
    page.wait_for_function(
        "() => document.body.dataset.state === 'idle' && document.getElementById('chart').data",
        timeout=timeout,
    )


def traces(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(
        """() => document.getElementById('chart').data.map(t => ({
            name: t.name, x: Array.from(t.x), y: Array.from(t.y), yaxis: t.yaxis || 'y',
            visible: t.visible, opacity: t.opacity, color: t.line.color}))"""
    )


def link_state(page: Any) -> dict[str, Any]:
    """The state encoded in the page's URL hash (waits for the debounced write)."""
    page.wait_for_function("() => !document.documentElement.dataset.linkPending")
    hash_ = page.evaluate("location.hash")
    assert hash_.startswith("#s="), hash_
    raw = hash_[3:]
    return json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def encode_link(state: dict[str, Any]) -> str:
    raw = base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")
    return f"s={raw}"


def field(page: Any, path: str) -> Any:
    """The first input/select of the editor field for a spec path like 'scheduler.gamma'."""
    return page.locator(f'#editor [data-path="{path}"]').locator("input, select, textarea").first


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def api_ready(spec: dict[str, Any]) -> dict[str, Any]:
    """The RunSpec as the page sends it: no metric unless the scheduler needs one."""
    out = dict(spec)
    if out.get("scheduler", {}).get("type") != "ReduceLROnPlateau":
        out.pop("metric", None)
    return out


def drawn(x: list[Any], y: list[float]) -> tuple[list[Any], list[float]]:
    """What the chart draws of a series: flat runs thinned to one point in n/100 (exact for
    the eye, since the dropped points equal both neighbours)."""
    n = len(y)
    gap = max(1, n // 100)
    keep: list[int] = []
    last = -(10**9)
    for i in range(n):
        if i in (0, n - 1) or y[i] != y[i - 1] or y[i] != y[i + 1] or i - last >= gap:
            keep.append(i)
            last = i
    return [x[i] for i in keep], [y[i] for i in keep]


def assert_trace(
    trace: dict[str, Any],
    result: dict[str, Any],
    key: str = "lr",
    group: int = 0,
    x_key: str = "epoch",
) -> None:
    """The trace shows exactly the API's values for that group (no rounding, no reordering)."""
    x, y = drawn(result[x_key], result["groups"][group][key])
    assert trace["y"] == y
    assert trace["x"] == x


def guard(page: Any, watch: Watch) -> None:
    def route(route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            watch.external.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: watch.errors.append(f"uncaught: {exc}"))
