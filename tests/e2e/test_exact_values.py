"""Exact values where the user looks (issue 8 §5): zooming re-fetches the steps in view
at full resolution, and "Value at step" reads each curve's exact lr and momentum."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import (
    Server,
    Watch,
    api_ready,
    drawn,
    encode_link,
    field,
    link_state,
    open_app,
    screenshot,
    traces,
    wait_idle,
)

# The case: 300,000 steps draw ~1,000 points; 36,990-37,010 must show real steps.
LONG = {"scheduler": {"type": "OneCycleLR", "max_lr": 0.1}, "epochs": 300_000}


def link(spec: dict[str, Any], lang: str = "en") -> str:
    state = {
        "v": 1,
        "c": [{"n": "1cycle", "k": "#1f77b4", "s": spec}],
        "i": 0,
        "x": "step",
        "l": lang,
    }
    return encode_link(state)


def lr_trace(page: Any) -> dict[str, Any]:
    return next(t for t in traces(page) if t["yaxis"] == "y")


def zoom(page: Any, lo: float, hi: float) -> None:
    page.evaluate(
        f"() => Plotly.relayout(document.getElementById('chart'), {{'xaxis.range': [{lo}, {hi}]}})"
    )
    page.wait_for_function("() => document.body.dataset.state === 'idle'")
    wait_idle(page)


def test_zooming_into_a_long_curve_shows_every_step_torch_takes(page: Any, server: Server) -> None:
    open_app(page, server.url, link(LONG))
    before = lr_trace(page)
    assert 37_000 not in before["x"] and len(before["x"]) < 3000
    zoom(page, 36_990, 37_010)
    page.wait_for_function(
        "() => document.getElementById('chart').data[0].x.includes(37000)", timeout=20_000
    )
    after = lr_trace(page)
    exact = server.post(
        "/api/schedule", {**LONG, "max_points": 0, "range": {"start": 36_990, "stop": 37_011}}
    )
    shown = dict(zip(after["x"], after["y"], strict=True))
    assert [shown[s] for s in range(36_990, 37_011)] == exact["groups"][0]["lr"]
    expect(page.locator("#warnings")).to_contain_text("Steps 36990–37010 in view")
    screenshot(page, "exact-zoomed")
    # Zooming out drops the window: the decimated curve again.
    page.evaluate(
        "() => Plotly.relayout(document.getElementById('chart'), {'xaxis.autorange': true})"
    )
    page.wait_for_function("() => !document.getElementById('chart').data[0].x.includes(36995)")
    assert lr_trace(page)["x"] == before["x"]


def test_a_mouse_drag_zoom_also_fetches_the_steps_in_view(page: Any, server: Server) -> None:
    spec = {
        "scheduler": {"type": "CosineAnnealingWarmRestarts", "T_0": 300},
        "epochs": 20_000,
        "interval": "step",
    }
    open_app(page, server.url, link(spec))
    count = len(lr_trace(page)["x"])
    box = page.locator("#chart .nsewdrag").first.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.40, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.42, y + 2, steps=4)
    page.mouse.move(box["x"] + box["width"] * 0.45, y + 3, steps=4)
    page.mouse.up()
    page.wait_for_function(
        f"() => document.getElementById('chart').data[0].x.length > {count}", timeout=20_000
    )
    wait_idle(page)
    lo, hi = page.evaluate("() => document.getElementById('chart').layout.xaxis.range")
    xs = [x for x in lr_trace(page)["x"] if lo <= x <= hi]
    assert xs == list(range(xs[0], xs[-1] + 1)) and len(xs) > 50  # every step in view
    screenshot(page, "exact-drag-zoom")


def test_value_at_step_reads_the_exact_lr_and_momentum(page: Any, server: Server) -> None:
    open_app(page, server.url, link(LONG))
    exact = server.post("/api/schedule", {**LONG, "range": {"start": 37_000, "stop": 37_001}})
    (group,) = exact["groups"]
    page.locator("#readout-step").fill("37000")
    values = page.locator("#readout-values li")
    expect(values).to_have_text(
        [f"1cycle: lr {group['lr'][0]!r} · momentum {group['momentum'][0]!r}"]
    )
    page.locator("#readout-step").fill("300000")
    expect(values).to_have_text(["1cycle: past the end of the run (300000 steps)"])
    screenshot(page, "exact-readout")


def test_value_at_step_in_chinese(page: Any, server: Server) -> None:
    spec = {"scheduler": {"type": "StepLR", "step_size": 30}, "epochs": 90}
    open_app(page, server.url, link(spec, "zh"))
    expect(page.locator("label[for=readout-step]")).to_have_text("某一优化器步的数值")
    page.locator("#readout-step").fill("30")
    expect(page.locator("#readout-values li")).to_have_text(
        ["1cycle: 学习率 0.010000000000000002 · 动量 0.9"]
    )
    screenshot(page, "exact-readout-zh")


def test_hf_presets_come_from_the_server_with_their_surprises(page: Any, server: Server) -> None:
    with urllib.request.urlopen(server.url + "/api/schedulers") as response:
        presets = json.load(response)["hf_presets"]["presets"]
    open_app(page, server.url)
    group = page.locator("#preset-select optgroup").filter(
        has=page.locator("option[value='hf-linear']")
    )
    expect(group).to_have_attribute("label", "Hugging Face (transformers 5.24, exact)")
    assert group.locator("option").all_inner_texts() == [p["name"] for p in presets]
    page.locator("#preset-select").select_option("hf-cosine_with_min_lr")
    wait_idle(page)
    expect(page.locator("#notice-text")).to_contain_text("optimizer.defaults['lr'] (5e-05)")
    spec = next(p["spec"] for p in presets if p["name"] == "cosine_with_min_lr")
    exact = server.post("/api/schedule", spec)
    shown = lr_trace(page)  # x axis: epochs, the page's default
    assert (shown["x"], shown["y"]) == drawn(exact["epoch"], exact["groups"][0]["lr"])
    expect(page.locator("#curve-list input.curve-name").first).to_have_value(
        "HF cosine_with_min_lr"
    )
    screenshot(page, "exact-hf-preset")


def test_the_code_panel_writes_the_hf_call_for_an_hf_preset(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("status of 422")  # the HF call refused for the edited curve, on purpose
    open_app(page, server.url)
    hf = page.locator("input[name=code-style][value=hf]")
    expect(hf).to_be_disabled()  # the default curve did not come from HF
    page.locator("#preset-select").select_option("hf-cosine_with_restarts")
    wait_idle(page)
    page.locator("#code-panel").scroll_into_view_if_needed()
    expect(hf).to_be_enabled()
    hf.check()
    code = page.locator("#code-output")
    expect(code).to_contain_text("get_scheduler('cosine_with_restarts', optimizer")
    expect(code).to_contain_text("scheduler_specific_kwargs={'num_cycles': 3}")
    screenshot(page, "exact-hf-code")
    # Edited by hand (HF's floor and formula follow the lr): the HF call no longer fits.
    page.locator("input[name=code-style][value=torch]").check()
    expect(code).to_contain_text("LambdaLR(")
    field = page.locator(
        '#editor [data-path="scheduler.lr_lambda"] input, '
        '#editor [data-path="scheduler.lr_lambda"] textarea'
    ).first
    field.fill("lambda step: 0.5")
    wait_idle(page)
    hf.check()
    expect(page.locator("#code-status")).to_contain_text("no longer gives this scheduler")


def test_a_recipe_preset_follows_the_run_length_until_edited_by_hand(
    page: Any, server: Server
) -> None:
    open_app(page, server.url)
    page.locator("#preset-select").select_option("warmup-cosine")
    wait_idle(page)
    expect(page.locator("#warnings")).to_contain_text("This preset follows the run length")
    epochs = field(page, "epochs")
    epochs.click()
    epochs.press("Control+a")
    epochs.press_sequentially("300")  # typed key by key: the form keeps the focus
    wait_idle(page)
    expect(field(page, "epochs")).to_have_value("300")
    expect(field(page, "scheduler.schedulers.0.total_iters")).to_have_value("15")
    expect(field(page, "scheduler.schedulers.1.T_max")).to_have_value("285")
    state = link_state(page)["c"][0]["s"]
    assert state["scheduler"]["milestones"] == [15] and state["epochs"] == 300
    # The curve is the server's exact warmup + cosine over the new run.
    exact = server.post("/api/schedule", api_ready(state))
    shown = lr_trace(page)
    assert (shown["x"], shown["y"]) == drawn(exact["epoch"], exact["groups"][0]["lr"])
    screenshot(page, "exact-follow")
    # Edited by hand: it stops following, and says so.
    field(page, "scheduler.schedulers.1.eta_min").fill("0.002")
    expect(page.locator("#notice-text")).to_contain_text("no longer follows the run length")
    field(page, "epochs").fill("100")
    wait_idle(page)
    expect(field(page, "scheduler.schedulers.1.T_max")).to_have_value("285")


def test_an_hf_preset_follows_the_run_length_through_the_server(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.locator("#preset-select").select_option("hf-cosine")
    wait_idle(page)
    field(page, "epochs").fill("40")  # 4,000 steps: warmup 400, as 100 of 1,000 was
    page.wait_for_function(
        '() => document.querySelector(\'#editor [data-path="scheduler.lr_lambda"] input,'
        " #editor [data-path=\"scheduler.lr_lambda\"] textarea').value.includes('float(400)')"
    )
    wait_idle(page)
    spec = link_state(page)["c"][0]["s"]
    assert spec["recipe"]["num_training_steps"] == 4000 and spec["epochs"] == 40
    expected = server.post(
        "/api/hf_recipe",
        {"recipe": {**spec["recipe"]}, "lr": 5e-5},
    )
    assert spec["scheduler"] == expected["scheduler"]
    exact = server.post("/api/schedule", api_ready(spec))
    shown = lr_trace(page)
    assert (shown["x"], shown["y"]) == drawn(exact["epoch"], exact["groups"][0]["lr"])
    screenshot(page, "exact-hf-follow")
