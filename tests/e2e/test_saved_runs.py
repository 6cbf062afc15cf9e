"""Saved runs in the page: a browser lists its own runs by default and everyone's on
request; a teacher enters the admin token (kept for the tab) to see who started each run
and stop any of them. Two browser contexts are two students (two cookies)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import LAPTOP, Watch, guard, open_app, screenshot
from tests.helpers.servers import serve_subprocess

ADMIN = "teacher-" + "s" * 24
JOB = {"scheduler": {"type": "StepLR", "step_size": 1}, "epochs": 2}


@pytest.fixture(scope="module")
def classroom_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        **os.environ,
        "LRSCOPE_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "LRSCOPE_ADMIN_TOKEN": ADMIN,
        "LRSCOPE_WORKERS": "0",  # every job waits in the queue: runs to stop, no CPU used
        "LRSCOPE_ABANDON_AFTER_S": "600",
        "LRSCOPE_PREWARM_WORKERS": "0",
    }
    log: Path = tmp_path_factory.mktemp("server") / "server.log"
    with serve_subprocess(log, env=env) as served:
        yield served.url


def _student(browser: Any, watch: Watch, url: str) -> Any:
    page = browser.new_context(viewport=LAPTOP).new_page()
    guard(page, watch)
    open_app(page, url)
    return page


def _start_job(page: Any, url: str) -> str:
    """A job started with this browser's cookie (the page's own request context)."""
    response = page.request.post(f"{url}/api/jobs", data=JOB)
    assert response.status == 202, response.text()
    return str(response.json()["id"])


def _items(page: Any) -> Any:
    return page.locator(".train-saved-item")


def _item(page: Any, run: str) -> Any:
    return page.locator(f'.train-saved-item[data-run-id="{run}"]')


def _open_saved(page: Any) -> Any:
    saved = page.locator("details.train-saved")
    saved.locator("summary").click()
    return saved


def test_your_runs_everyones_and_the_teachers(browser: Any, classroom_url: str) -> None:
    watch = Watch()
    watch.allow("status of 403")  # the browser's note on the wrong admin token's answer
    url = classroom_url
    alice, bob = _student(browser, watch, url), _student(browser, watch, url)
    hers = _start_job(alice, url)
    his = _start_job(bob, url)

    saved = _open_saved(alice)
    expect(_items(alice)).to_have_count(1)  # only hers
    expect(_item(alice, hers).locator(".train-saved-stop")).to_be_visible()  # hers to stop
    saved.get_by_label("Everyone's runs").check()
    expect(_items(alice)).to_have_count(2)
    expect(_item(alice, hers)).to_contain_text("yours")
    expect(_item(alice, his)).not_to_contain_text("yours")
    expect(_item(alice, his).locator(".train-saved-stop")).to_have_count(0)  # not hers
    assert " by " not in saved.inner_text()  # who started what: the admin's view only
    saved.scroll_into_view_if_needed()
    screenshot(alice, "lrscope-saved-runs-everyone")

    teacher = _student(browser, watch, url)
    saved = _open_saved(teacher)
    expect(_items(teacher)).to_have_count(0)
    saved.get_by_label("Teacher's admin token").fill("a-wrong-guess")
    saved.get_by_role("button", name="Use").click()
    expect(saved.locator("[role=status]")).to_contain_text("not the server's admin token")
    saved.get_by_label("Teacher's admin token").fill(ADMIN)
    saved.get_by_role("button", name="Use").click()
    saved.get_by_label("Everyone's runs").check()
    expect(saved.locator(".train-admin-on")).to_be_visible()
    expect(_items(teacher)).to_have_count(2)
    expect(_item(teacher, hers)).to_contain_text(" · by ")
    expect(_item(teacher, his)).to_contain_text(" · by ")
    assert teacher.evaluate("() => sessionStorage.getItem('lrscope.adminToken')") == ADMIN
    saved.scroll_into_view_if_needed()
    screenshot(teacher, "lrscope-saved-runs-admin")
    _item(teacher, hers).locator(".train-saved-stop").click()
    expect(saved.locator("[role=status]")).to_contain_text(f"Run {hers} is stopped.")
    assert teacher.request.get(f"{url}/api/jobs/{hers}").json()["status"] == "cancelled"
    expect(_item(teacher, hers).locator(".train-saved-stop")).to_have_count(0)
    saved.get_by_role("button", name="Forget").click()
    expect(saved.locator(".train-admin-on")).to_be_hidden()
    assert teacher.evaluate("() => sessionStorage.getItem('lrscope.adminToken')") is None
    # In Chinese: the same controls, in real Chinese.
    teacher.select_option("#lang-select", "zh")
    expect(saved.get_by_label("所有人的训练")).to_be_checked()
    expect(saved.get_by_label("教师管理员令牌")).to_be_visible()
    expect(saved.get_by_role("button", name="忘记")).to_be_visible()
    screenshot(teacher, "lrscope-saved-runs-zh")
    assert watch.external == [] and watch.unexpected_errors() == []
    for page in (alice, bob, teacher):
        page.context.close()
