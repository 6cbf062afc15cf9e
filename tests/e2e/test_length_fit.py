"""The schedule the student sees is the schedule that trains: the CyclicLR preset (10 epochs
x 1,000 steps) on the over-fitting task (5 batches an epoch) makes the run form say the
lengths differ and offer both ways. (a) The schedule's own length: the run trains 10,000
steps and its learning rate really cycles. (b) Rescaled to the task: the rescaled curve is
drawn on the schedule chart, named as such, and the run's rates equal it exactly. Both
languages; screenshots in the artifacts folder (``length-fit-*.png``)."""

from __future__ import annotations

import itertools
import json
import urllib.request
from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import Server, open_app, screenshot, wait_idle

WAIT_MS = 180_000  # a bound for a shared 2-core machine, not a timing assertion
TALL = {"width": 1366, "height": 1800}  # room for the form and the charts in one screenshot

CURVE_TRACE = """(name) => {
  const gd = document.getElementById('chart');
  const trace = (gd.data || []).find((t) => t.name === name);
  return trace ? {x: trace.x, y: trace.y} : null;
}"""
RUN_LR = """(id) => {
  const gd = document.getElementById('train-chart');
  const trace = (gd.data || []).find((t) => t.meta && t.meta.run === id && t.meta.kind === 'lr');
  return trace ? trace.y : [];
}"""


def panel(page: Any) -> Any:
    return page.locator("#train-panel")


def notice(page: Any) -> Any:
    return page.locator('#train-panel [data-role="length-fit"]')


def run_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(".run-row", "rows => rows.map(r => r.dataset.runId)")


def start(page: Any, button: str = "Start run") -> str:
    expect(notice(page)).to_have_attribute("data-state", "known")  # the form has settled
    before = set(run_ids(page))
    panel(page).get_by_role("button", name=button).click()
    page.wait_for_function(
        "(n) => document.querySelectorAll('.run-row[data-run-id]').length > n",
        arg=len(before),
        timeout=WAIT_MS,
    )
    (new,) = set(run_ids(page)) - before
    expect(page.locator(f'.run-row[data-run-id="{new}"]')).to_have_attribute(
        "data-status", "completed", timeout=WAIT_MS
    )
    return str(new)


def api_job(url: str, run_id: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/api/jobs/{run_id}", timeout=30) as response:
        return dict(json.loads(response.read()))


def maxima(values: list[float]) -> int:
    """Interior local maxima (a plateau counts once)."""
    ups = [b > a for a, b in itertools.pairwise(values) if a != b]
    return sum(1 for a, b in itertools.pairwise(ups) if a and not b)


def pick_cyclic_preset(new_page: Any, server: Server) -> Any:
    page = new_page(TALL)
    open_app(page, server.url)
    page.select_option("#preset-select", "cyclic")
    wait_idle(page)
    form = panel(page)
    # First: a focused field's hint is unclamped, so leaving "Full speed" for the Start
    # button would shrink the form under the pointer between mouse down and up.
    form.get_by_label("Full speed").check()
    form.get_by_label("Task").select_option("overfit")
    form.get_by_label("Batch size").fill("8")  # 40 samples: 5 batches an epoch
    return page


def test_the_cyclic_preset_trains_its_own_length_and_really_cycles(
    new_page: Any, server: Server
) -> None:
    page = pick_cyclic_preset(new_page, server)
    expect(notice(page)).to_be_visible()
    expect(notice(page)).to_contain_text("10,000 steps")
    expect(notice(page)).to_contain_text("50 steps")
    own = notice(page).locator('[data-option="schedule"] input')
    expect(own).to_be_checked()  # the schedule's own length, when it fits, comes first
    screenshot(panel(page).locator(".train-form"), "length-fit-notice-en")
    run = start(page)
    job = api_job(server.url, run)
    assert job["start"]["fit"]["to"] == "schedule" and job["done"]["fit"]["to"] == "schedule"
    assert job["start"]["num_steps"] == 10_000 and job["start"]["steps_per_epoch"] == 1_000
    lrs = job["series"]["steps"]["groups"][0]["lr"]
    assert maxima(lrs) >= 2 and max(lrs) > 0.09  # it climbs to max_lr and cycles
    drawn = page.evaluate(RUN_LR, run)
    assert maxima(drawn) >= 2  # and the page's LR trace shows the cycles
    expect(page.locator(f'.run-row[data-run-id="{run}"]')).to_contain_text("own length")
    screenshot(panel(page), "length-fit-own-length-run")


def test_rescaled_to_the_task_the_run_follows_the_drawn_curve(
    new_page: Any, server: Server
) -> None:
    page = pick_cyclic_preset(new_page, server)
    expect(notice(page)).to_be_visible()
    notice(page).locator('[data-option="task"]').click()
    expect(notice(page)).to_contain_text("step_size_up 2000 → 10")
    name = "CyclicLR · rescaled to 50 steps"
    page.wait_for_function(f"() => ({CURVE_TRACE})({json.dumps(name)}) !== null")
    wait_idle(page)
    curve = page.evaluate(CURVE_TRACE, name)
    assert len(curve["y"]) == 50 and maxima(curve["y"]) >= 2  # 2.5 cycles in 50 steps
    preset = panel(page).get_by_label("Schedule (curve)").locator("option").first.text_content()
    original = page.evaluate(CURVE_TRACE, preset)
    assert preset != name and original is not None  # both on the chart, over 10 epochs
    assert original["x"][-1] > 9.5 and curve["x"][-1] > 9.5  # the last step of epoch 10
    assert len(original["y"]) > len(curve["y"])
    screenshot(page.locator("#chart"), "length-fit-rescaled-curve")
    run = start(page)
    job = api_job(server.url, run)
    assert job["start"]["fit"]["to"] == "task" and job["start"]["fit"]["rescaled"]
    steps = job["series"]["steps"]
    lrs = steps["groups"][0]["lr"]
    assert len(lrs) == 50 and steps["step"] == list(range(50))
    assert lrs == curve["y"]  # exactly the drawn curve's values
    expect(page.locator(f'.run-row[data-run-id="{run}"]')).to_contain_text("rescaled")
    page.select_option("#lang-select", "zh")
    expect(notice(page).locator("legend")).to_have_text("调度与任务的长度不同")
    expect(notice(page)).to_contain_text("把调度缩放到这次运行")
    zh_name = "CyclicLR · 缩放到 50 步"
    page.wait_for_function(f"() => ({CURVE_TRACE})({json.dumps(zh_name)}) !== null")
    assert page.evaluate(CURVE_TRACE, zh_name)["y"] == curve["y"]
    screenshot(page, "length-fit-rescaled-zh")


def test_a_schedule_too_long_to_train_offers_the_nearest_that_fits(
    new_page: Any, server: Server
) -> None:
    page = pick_cyclic_preset(new_page, server)
    page.select_option("#lang-select", "zh")
    editor_steps = page.locator('#editor [data-path="steps_per_epoch"] input').first
    editor_steps.fill("20000")  # 10 x 20,000 = 200,000 steps: over the job cap
    wait_idle(page)
    expect(notice(page).locator('[data-role="too-long"]')).to_contain_text("太长")
    nearest = notice(page).locator('[data-option="nearest"] input')
    expect(nearest).to_be_checked()
    expect(notice(page).locator('[data-option="nearest"]')).to_contain_text("100,000")
    screenshot(panel(page).locator(".train-form"), "length-fit-too-long-zh")
