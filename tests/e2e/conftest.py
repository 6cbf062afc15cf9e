"""Browser tests: a real lrscope server (subprocess) driven by Debian's Chromium.

Every page a test opens aborts requests to anything but the test server and records
console errors; the `page` fixture fails the test if either happened. Shared code lives in
``tests/helpers`` (``browser``: Chromium and page helpers; ``servers``: the launcher).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, LAPTOP, Server, Watch, guard
from tests.helpers.servers import serve_subprocess


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {**os.environ, "LRSCOPE_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serve_subprocess(log, env=env) as served:
        yield Server(served.url, served.process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


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
