"""Labels, keyboard use, layouts (laptop, projector, phone) and the static files' rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers.browser import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    Server,
    field,
    open_app,
    screenshot,
    traces,
    wait_idle,
)

FRONTEND = Path(__file__).resolve().parents[2] / "backend" / "lrscope" / "web" / "static"

UNLABELLED_JS = """() => {
  const named = (el) => {
    if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return true;
    if (el.labels && el.labels.length) return true;
    if (el.tagName === 'BUTTON' && el.textContent.trim()) return true;
    return false;
  };
  return Array.from(document.querySelectorAll('input, select, textarea, button'))
    .filter((el) => el.offsetParent !== null && !named(el))
    .map((el) => el.outerHTML.slice(0, 120));
}"""


def test_every_visible_control_has_a_label(page: Any, server: Server) -> None:
    open_app(page, server.url)
    for preset in ["warmup-cosine", "plateau", "onecycle"]:
        page.select_option("#preset-select", preset)
        wait_idle(page)
        page.get_by_role("button", name="Add a param group").click()
        wait_idle(page)
        assert page.evaluate(UNLABELLED_JS) == [], preset


def test_the_editor_works_from_the_keyboard(page: Any, server: Server) -> None:
    open_app(page, server.url)
    field(page, "scheduler").focus()
    page.keyboard.press("End")  # the last scheduler in the list
    wait_idle(page)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('[data-path]').dataset.path")
    assert focused.startswith("scheduler.")
    page.keyboard.type("7")
    wait_idle(page)
    assert page.locator("#teach-title").inner_text() != "About StepLR"


def test_arrow_keys_nudge_a_number_and_redraw(page: Any, server: Server) -> None:
    open_app(page, server.url)
    before = traces(page)[0]["y"]
    gamma = field(page, "scheduler.gamma")
    gamma.focus()
    page.keyboard.press("ArrowUp")
    wait_idle(page)
    assert gamma.input_value() == "0.11"
    step = field(page, "scheduler.step_size")
    step.focus()
    page.keyboard.press("Shift+ArrowDown")
    wait_idle(page)
    assert step.input_value() == "20"
    assert traces(page)[0]["y"] != before


def test_the_page_is_laid_out_for_laptop_projector_and_phone(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "onecycle")
    wait_idle(page)
    page.get_by_role("button", name="Duplicate “OneCycleLR(max_lr=0.1)”").click()
    field(page, "scheduler.pct_start").fill("0.1")
    wait_idle(page)
    for name, size in [("laptop", LAPTOP), ("phone", PHONE), ("projector", PROJECTOR)]:
        page.set_viewport_size(size)
        if name == "projector":
            page.click("#classroom-open")
            page.click("#classroom-start")
        page.wait_for_timeout(400)
        chart = page.locator("#chart").bounding_box()
        assert chart is not None
        # The chart fits the width and, on every screen, gets a good share of the height.
        assert chart["x"] >= 0 and chart["x"] + chart["width"] <= size["width"] + 1, name
        assert chart["height"] >= 0.35 * size["height"], name
        no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert no_overflow, f"horizontal scroll on {name}"
        screenshot(page, f"lrscope-{name}")
    assert len(traces(page)) == 4  # two curves, each with a momentum trace


def test_the_chart_toolbar_offers_no_upload_to_plotly_cloud(page: Any, server: Server) -> None:
    # plotly.js 4 adds a "Share chart" button that uploads the data to cloud.plotly.com.
    open_app(page, server.url)
    page.hover("#chart")
    titles = page.eval_on_selector_all(
        "#chart .modebar-btn", "(buttons) => buttons.map((b) => b.dataset.title || '')"
    )
    assert any("PNG" in title for title in titles), titles  # the toolbar is there
    assert not any("Share" in title or "Cloud" in title for title in titles), titles
    assert page.locator("#chart .modebar a[href*='plotly']").count() == 0  # nor the logo


def test_the_toolbar_goes_when_the_window_narrows_to_a_phone(page: Any, server: Server) -> None:
    open_app(page, server.url)
    assert page.locator("#chart .modebar-btn").count() > 0
    page.set_viewport_size(PHONE)
    page.wait_for_function("() => !document.querySelector('#chart .modebar-btn')")
    page.set_viewport_size(LAPTOP)  # and comes back
    page.wait_for_function("() => Boolean(document.querySelector('#chart .modebar-btn'))")
