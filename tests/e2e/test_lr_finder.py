"""The LR range test in the Train panel, in English and Chinese: start it, watch the
log-x chart grow, see the three suggestions marked and explained, pick one and use it (the
editor's lr, or OneCycleLR's max_lr, becomes the suggested value); the code panel writes
the range test script."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import Server, encode_link, field, open_app

SHOTS = Path("/tmp/shots-lrfinder")
WAIT_MS = 120_000  # a bound for a shared 2-core machine, not a timing assertion
STEP = {
    "scheduler": {"type": "StepLR", "step_size": 30},
    "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9},
    "epochs": 100,
}
ONE_CYCLE = {
    "scheduler": {"type": "OneCycleLR", "max_lr": 0.1},
    "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9},
    "epochs": 10,
    "steps_per_epoch": 10,
}
WORDS = {
    "en": {"start": "Start range test", "use": "Use this LR", "pace": "Pace (steps/s)"},
    "zh": {"start": "开始范围测试", "use": "使用这个学习率", "pace": None},
}
SMOOTHED_LENGTH = """() => {
  const gd = document.getElementById('range-chart');
  const trace = (gd.data || []).find((t) => t.meta && t.meta.kind === 'smoothed');
  return trace ? trace.x.length : 0;
}"""


def link(name: str, spec: dict[str, Any]) -> str:
    return encode_link({"v": 1, "c": [{"n": name, "k": "#1f77b4", "s": spec}], "i": 0})


def api_job(url: str, job_id: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/api/jobs/{job_id}", timeout=30) as response:
        return dict(json.loads(response.read()))


def shoot(page: Any, section: Any, name: str) -> None:
    """A screenshot of the whole range test part (the page scrolls inside its columns, so
    the viewport is made tall enough to hold it)."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 2400})
    section.scroll_into_view_if_needed()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), clip=section.bounding_box())
    page.set_viewport_size(size)


@pytest.mark.parametrize(("lang", "curve", "target"), [
    ("en", STEP, "optimizer.lr"),
    ("zh", ONE_CYCLE, "scheduler.max_lr"),
])  # fmt: skip
def test_a_range_test_streams_suggests_and_sets_the_lr(
    page: Any, server: Server, lang: str, curve: dict[str, Any], target: str
) -> None:
    open_app(page, server.url, link("demo", curve))
    page.set_viewport_size({"width": 1280, "height": 900})
    if lang == "zh":
        page.select_option("#lang-select", "zh")
        expect(page.locator("#range-title")).to_have_text("学习率范围测试（LR finder）")
    section = page.locator("section.range-test")
    section.locator('[data-path="range_test.min_lr"] input').fill("0.0001")
    section.locator('[data-path="range_test.max_lr"] input').fill("10")
    section.locator('[data-path="range_test.steps"] input').fill("80")
    page.locator('#train-panel input[name="steps_per_second"]').fill("20")  # about 4 s
    section.get_by_role("button", name=WORDS[lang]["start"]).click()

    # The chart grows as the steps stream, on a log x axis.
    page.wait_for_function(f"() => ({SMOOTHED_LENGTH})() > 2", timeout=WAIT_MS)
    first = page.evaluate(SMOOTHED_LENGTH)
    page.wait_for_function(f"(n) => ({SMOOTHED_LENGTH})() > n", arg=first, timeout=WAIT_MS)
    assert page.evaluate("() => document.getElementById('range-chart').layout.xaxis.type") == "log"
    expect(section.locator(".range-results")).to_be_visible(timeout=WAIT_MS)

    job_id = section.get_attribute("data-job-id")
    done = api_job(server.url, job_id)["done"]
    suggested = {s["name"]: s["lr"] for s in done["suggestions"]}
    assert all(v is not None for v in suggested.values()), done
    # Each suggestion is a vertical line named in the legend, and a row with its line of text
    # (the chart redraws at most every so often: chart/throttled-draw.js, so wait for it).
    page.wait_for_function(
        """(n) => (document.getElementById('range-chart').data || [])
            .filter((t) => t.meta && t.meta.kind === 'suggestion').length === n""",
        arg=len(suggested),
        timeout=WAIT_MS,
    )
    lines = page.evaluate(
        """() => document.getElementById('range-chart').data
            .filter((t) => t.meta && t.meta.kind === 'suggestion')
            .map((t) => [t.meta.name, t.x[0], t.x[1]])"""
    )
    assert sorted(lines) == sorted([name, lr, lr] for name, lr in suggested.items())
    assert page.evaluate("() => document.getElementById('range-chart').layout.showlegend")
    rows = section.locator(".range-suggestion")
    expect(rows).to_have_count(3)
    for i in range(3):
        expect(rows.nth(i).locator(".field-hint")).not_to_be_empty()
    shoot(page, section, f"range-test-{lang}")

    # Pick the steepest descent and use it: the curve's editor field holds that rate.
    rows.filter(has=page.locator('input[value="steepest"]')).locator("input").check()
    section.get_by_role("button", name=WORDS[lang]["use"]).click()
    expected = float(f"{suggested['steepest']:.3g}")
    page.wait_for_function(
        '([path, v]) => Number(document.querySelector(`#editor [data-path="${path}"] input`)'
        "?.value) === v",
        arg=[target, expected],
        timeout=WAIT_MS,
    )
    assert float(field(page, target).input_value()) == expected
    expect(section.locator(".range-used")).to_contain_text(str(expected))
    shoot(page, section, f"range-test-{lang}-used")


def test_the_code_panel_writes_the_range_test_script(page: Any, server: Server) -> None:
    open_app(page, server.url, link("demo", STEP))
    page.locator('input[name="code-style"][value="lr_finder"]').check()
    expect(page.locator("#code-output")).to_contain_text("def range_test(", timeout=WAIT_MS)
    expect(page.locator("#code-output")).to_contain_text("SGD(model.parameters(), lr=MIN_LR")
    # The sweep's settings in the Train panel go into the script.
    page.locator('section.range-test [data-path="range_test.steps"] input').fill("250")
    page.locator('section.range-test [data-path="range_test.steps"] input').dispatch_event("change")
    expect(page.locator("#code-output")).to_contain_text(
        "STEPS = 1e-07, 10.0, 250", timeout=WAIT_MS
    )
    body = {"kind": "lr_range_test", "optimizer": STEP["optimizer"]}
    body["range_test"] = {"mode": "exp", "steps": 250}
    shown = page.locator("#code-output").text_content()
    assert shown == server.post("/api/range_test_code", body)["code"]
    shoot(page, page.locator("#code-panel"), "range-test-code")
