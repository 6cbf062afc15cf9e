"""Watch the model: the Train panel's decision-boundary heatmap follows a 2-D run as it
streams (its z changes from one epoch to the next), shows the training points, speaks both
languages, replays a saved run, and makes a high learning rate's thrashing visible beside
a decayed one's settling."""

from __future__ import annotations

import itertools
import json
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.test_train import (
    WAIT_MS,
    curves_link,
    panel,
    row,
    start_run,
    wait_status,
)
from tests.helpers.browser import LAPTOP, PHONE, Server, open_app, screenshot

SHOTS = Path("/tmp/shots-boundary")
HIGH = {
    "scheduler": {"type": "LambdaLR", "lr_lambda": "1"},
    "optimizer": {"type": "SGD", "lr": 0.3, "momentum": 0.9},
    "epochs": 40,
}
DECAYED = {**HIGH, "scheduler": {"type": "CosineAnnealingLR", "T_max": 40}}

FRAME = """() => {
  const gd = document.getElementById('train-boundary-plot');
  if (!gd || !gd.data || !gd.data.length || !gd.dataset.epoch) return null;
  const heat = gd.data.find((t) => t.type === 'heatmap');
  const points = gd.data.filter((t) => t.type === 'scatter' && t.meta.kind === 'points');
  return {epoch: Number(gd.dataset.epoch), z: JSON.stringify(heat.z),
          points: points.map((t) => t.x.length), types: gd.data.map((t) => t.type)};
}"""


def frame(page: Any) -> dict[str, Any] | None:
    return page.evaluate(FRAME)  # type: ignore[no-any-return]


def wait_epoch_past(page: Any, epoch: int) -> dict[str, Any]:
    page.wait_for_function(
        f"(e) => {{ const f = ({FRAME})(); return f !== null && f.epoch > e; }}",
        arg=epoch,
        timeout=WAIT_MS,
    )
    found = frame(page)
    assert found is not None
    return found


def api_job(url: str, run_id: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/api/jobs/{run_id}", timeout=30) as response:
        return dict(json.loads(response.read()))


def shot(page: Any, name: str) -> None:
    page.locator(".train-boundary").scroll_into_view_if_needed()
    screenshot(page, name)
    SHOTS.mkdir(exist_ok=True)
    page.locator(".train-plot").screenshot(path=str(SHOTS / f"{name}.png"))


def late_change(z: list[list[list[float]]]) -> float:
    """Mean change of P(class 1) per grid point between successive frames, second half."""
    half = z[len(z) // 2 :]
    steps = [
        sum(abs(a - b) for ra, rb in zip(f, g, strict=True) for a, b in zip(ra, rb, strict=True))
        for f, g in itertools.pairwise(half)
    ]
    return sum(steps) / len(steps)


def test_the_boundary_streams_with_a_spirals_run_in_both_languages(
    page: Any, server: Server
) -> None:
    open_app(page, server.url, curves_link(("high lr", HIGH)))
    boundary = page.locator(".train-boundary")
    run = start_run(page, task="spirals", batch=16, epochs=30)  # paced: about 15 s
    expect(boundary).to_be_visible(timeout=WAIT_MS)
    first = wait_epoch_past(page, 0)
    second = wait_epoch_past(page, first["epoch"])
    assert second["z"] != first["z"]  # the heatmap moved on with the model
    assert first["types"] == ["heatmap", "scatter", "scatter"]
    assert sum(first["points"]) == 400 and min(first["points"]) > 0  # both classes
    wait_status(page, run, "completed")
    last = wait_epoch_past(page, 29)
    saved = api_job(server.url, run)
    assert json.loads(last["z"]) == saved["series"]["boundary"]["z"][-1]
    expect(boundary.locator(".train-boundary-epoch")).to_have_text(
        "high lr · lr 0.3 · spirals · schedule rescaled · epoch 30 of 30"
    )
    expect(boundary.locator("h3")).to_have_text("Decision boundary")
    shot(page, "boundary-en")

    page.select_option("#lang-select", "zh")
    expect(boundary.locator("h3")).to_have_text("决策边界")
    page.wait_for_function(
        "() => document.querySelector('.train-boundary-epoch').textContent.includes('第 30/30 轮')"
    )
    expect(boundary.get_by_label("显示的轮次")).to_be_visible()
    shot(page, "boundary-zh")

    # The slider steps back to an earlier epoch's frame.
    slider = boundary.get_by_label("显示的轮次")
    slider.fill("0")
    page.wait_for_function(f"() => ({FRAME})().epoch === 0")
    assert json.loads(frame(page)["z"]) == saved["series"]["boundary"]["z"][0]  # type: ignore[index]


def test_a_high_lr_thrashes_and_a_decayed_one_settles(
    page: Any, new_page: Any, server: Server
) -> None:
    open_app(page, server.url, curves_link(("high lr", HIGH), ("decayed", DECAYED)))
    form = panel(page)
    form.get_by_label("Full speed").check()
    high = start_run(page, task="spirals", batch=16)
    wait_status(page, high, "completed")
    page.wait_for_function(f"() => ({FRAME})()?.epoch === 40")
    shot(page, "boundary-high-lr")
    form.get_by_label("Schedule (curve)").select_option(label="decayed")
    decayed = start_run(page, task="spirals", batch=16)
    wait_status(page, decayed, "completed")
    expect(page.locator(".train-boundary-epoch")).to_have_text(
        "decayed · lr 0.3 · spirals · epoch 40 of 40", timeout=WAIT_MS
    )
    shot(page, "boundary-decayed")
    # What the two pictures show, in numbers: the constant high rate keeps moving the
    # boundary late in the run; the decayed one has all but stopped.
    thrash = late_change(api_job(server.url, high)["series"]["boundary"]["z"])
    settle = late_change(api_job(server.url, decayed)["series"]["boundary"]["z"])
    assert thrash > 2 * settle, (thrash, settle)

    # On a phone the boundary goes below the loss chart, within the screen.
    page.set_viewport_size(PHONE)
    page.wait_for_function("() => document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator("#train-boundary-plot")).to_be_visible()
    shot(page, "boundary-phone")
    page.set_viewport_size(LAPTOP)

    # Hiding the newest run shows the other one's boundary.
    page.get_by_role("button", name="Hide “decayed · lr 0.3 · spirals” in the chart").click()
    expect(page.locator(".train-boundary-epoch")).to_have_text(
        "high lr · lr 0.3 · spirals · epoch 40 of 40"
    )

    # A saved run, opened from its link elsewhere, replays its boundary (shown again first:
    # the link carries which runs are hidden).
    page.get_by_role("button", name="Show “decayed · lr 0.3 · spirals” in the chart").click()
    expect(page.locator(".train-boundary-epoch")).to_have_text(
        "decayed · lr 0.3 · spirals · epoch 40 of 40"
    )
    other = new_page()
    other.goto(page.url)
    wait_status(other, decayed, "completed")
    expect(other.locator(".train-boundary-epoch")).to_have_text(
        "decayed · lr 0.3 · spirals · epoch 40 of 40", timeout=WAIT_MS
    )
    replayed = frame(other)
    assert replayed is not None
    assert json.loads(replayed["z"]) == api_job(server.url, decayed)["series"]["boundary"]["z"][-1]


def test_a_regression_run_shows_no_boundary(page: Any, server: Server) -> None:
    open_app(page, server.url, curves_link(("high lr", {**HIGH, "epochs": 3})))
    panel(page).get_by_label("Full speed").check()
    run = start_run(page, task="sine", batch=50)
    wait_status(page, run, "completed")
    expect(row(page, run)).to_be_visible()
    expect(page.locator(".train-boundary")).to_be_hidden()
    assert api_job(server.url, run)["series"]["boundary"] is None
