"""Browser tests: a real lrscope server (subprocess) driven by Debian's Chromium.

Server, Watch and free_port live in e2e_helpers (import them from there); they are
re-exported here for modules that import them from conftest.

Every page a test opens aborts requests to anything but the test server and records
console errors; the `page` fixture fails the test if either happened.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from e2e_helpers import LAPTOP, Server, Watch, free_port

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


__all__ = ["Server", "Watch", "free_port"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "LRSCOPE_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "lrscope", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        # The README promises that `lrscope serve` prints its URL once it is ready: wait for
        # that line, then the first request must succeed without any retry.
        announcement = f"lrscope is running at {url}/"
        deadline = time.monotonic() + 90
        while announcement not in log_path.read_text():
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the server never printed its URL:\n{log_path.read_text()}")
            time.sleep(0.1)
        with urllib.request.urlopen(url + "/api/health", timeout=10) as response:
            assert response.status == 200, log_path.read_text()
        yield Server(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


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


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    yield ctx
    ctx.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def new_page(context: Any, watch: Watch) -> Iterator[Any]:
    """A factory of guarded pages; checks after the test that none misbehaved."""

    def make(viewport: dict[str, int] | None = None) -> Any:
        page = context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        guard(page, watch)
        return page

    yield make
    assert watch.external == [], f"requests left the machine: {watch.external}"
    assert watch.unexpected_errors() == [], f"console errors: {watch.errors}"


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()
