"""Runs you can compare (issue 9 §2): the over-fitting demo without a remedy, with weight
decay and with dropout, each named by what sets it apart and in the loss chart's legend;
TensorBoard's smoothing changes what is drawn, never the runs' data; log x; the comparison's
link opened in a new page shows the same traces; saved runs added together; both languages."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.test_teach import DEFAULT
from tests.e2e.test_train import (
    WAIT_MS,
    api_job,
    curves_link,
    panel,
    run_ids,
    start_run,
    wait_status,
)
from tests.helpers.browser import ARTIFACTS, Server, open_app, screenshot

BASE = "StepLR · lr 0.1 · over-fitting"
REMEDIES = [
    ("", BASE),
    ("Weight decay (L2)", f"{BASE} · L2 0.003"),
    ("Dropout", f"{BASE} · dropout 0.5"),
]
VALUES = {"Weight decay (L2)": "0.003", "Dropout": "0.5"}

# Per run on the chart: its traces' kinds, names, colours, dashes and drawn points.
TRACES = """() => document.getElementById('train-chart').data.map((t) => ({
  run: t.meta.run, kind: t.meta.kind, name: t.name, legend: t.showlegend === true,
  color: t.line.color, dash: t.line.dash || 'solid', x: Array.from(t.x), y: Array.from(t.y)}))"""
DRAWS = "() => Number(document.getElementById('train-chart').dataset.draws || 0)"
LEGEND = "#train-chart .legend .legendtext"


def traces(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate(TRACES))


def of(found: list[dict[str, Any]], run: str, kind: str) -> dict[str, Any]:
    (trace,) = [t for t in found if t["run"] == run and t["kind"] == kind]
    return trace


def redrawn(page: Any, action: Any) -> None:
    """Do `action` and wait until the chart has drawn after it."""
    before = page.evaluate(DRAWS)
    action()
    page.wait_for_function(f"() => ({DRAWS})() > {before}", timeout=WAIT_MS)


def legend_names(page: Any) -> list[str]:
    return list(page.eval_on_selector_all(LEGEND, "els => els.map(e => e.textContent)"))


def start_remedy_runs(page: Any) -> list[str]:
    form = panel(page)
    form.get_by_label("Full speed").check()
    ids = []
    for label, _ in REMEDIES:
        for other in VALUES:
            form.get_by_label(other, exact=True).fill(VALUES[other] if other == label else "")
        ids.append(start_run(page, task="overfit", batch=32))
    return ids


def test_remedy_runs_overlay_with_a_legend_smoothing_log_x_and_a_link(
    page: Any, new_page: Any, context: Any, server: Server
) -> None:
    open_app(page, server.url, curves_link(("StepLR", DEFAULT)))
    ids = start_remedy_runs(page)
    for run in ids:
        wait_status(page, run, "completed")
    names = [name for _, name in REMEDIES]
    expect(page.locator(".run-name")).to_have_text(names)
    page.wait_for_function(
        "(ids) => ids.every((id) => document.getElementById('train-chart').data"
        ".some((t) => t.meta.run === id && t.meta.kind === 'val' && t.x.length === 100))",
        arg=ids,
        timeout=WAIT_MS,
    )
    found = traces(page)
    # One legend entry per run, by its distinct name; train and val share the run's colour.
    assert [t["name"] for t in found if t["legend"]] == names
    assert legend_names(page) == names
    for run in ids:
        train, val, lr = of(found, run, "train"), of(found, run, "val"), of(found, run, "lr")
        assert train["color"] == val["color"] == lr["color"]
        assert (train["dash"], val["dash"], lr["dash"]) == ("solid", "dash", "dot")
    assert len({of(found, run, "train")["color"] for run in ids}) == 3

    # Smoothing is on by default: the drawn line is smoothed, the faint raw line is the data.
    stored = [api_job(server.url, run)["series"] for run in ids]
    for run, series in zip(ids, stored, strict=True):
        assert of(found, run, "raw")["y"] == series["steps"]["train_loss"]
        assert of(found, run, "valRaw")["y"] == series["epochs"]["val_loss"]
        assert of(found, run, "train")["y"] != series["steps"]["train_loss"]
        assert of(found, run, "val")["y"] != series["epochs"]["val_loss"]
    slider = panel(page).get_by_label("Smoothing", exact=True)
    redrawn(page, lambda: slider.fill("0.95"))
    smoother = traces(page)
    for run, series in zip(ids, stored, strict=True):
        assert of(smoother, run, "raw")["y"] == series["steps"]["train_loss"]
        assert of(smoother, run, "train")["y"] != of(found, run, "train")["y"]
    redrawn(page, lambda: slider.fill("0"))
    plain = traces(page)
    assert not [t for t in plain if t["kind"] in ("raw", "valRaw")]
    for run, series in zip(ids, stored, strict=True):
        assert of(plain, run, "train")["y"] == series["steps"]["train_loss"]
        assert of(plain, run, "val")["y"] == series["epochs"]["val_loss"]
    redrawn(page, lambda: slider.fill("0.8"))

    # The hover names each run's lines by the run's name.
    plot = page.locator("#train-chart .nsewdrag").first
    plot.scroll_into_view_if_needed()
    box = plot.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
    hover = page.locator("#train-chart .hoverlayer")
    expect(hover).to_contain_text(f"{names[1]} · train")
    expect(hover).to_contain_text(f"{names[2]} · validation")
    screenshot(page, "compare-hover-en")
    page.mouse.move(0, 0)

    # Log x switches the axis type (and back).
    log_x = panel(page).get_by_label("Log x")
    log_x.check()
    page.wait_for_function(
        "(type) => document.getElementById('train-chart').layout.xaxis.type === type", arg="log"
    )
    panel(page).locator(".train-plot").scroll_into_view_if_needed()
    screenshot(page, "compare-overfit-logx-en")
    log_x.uncheck()
    page.wait_for_function(
        "(type) => document.getElementById('train-chart').layout.xaxis.type === type", arg="linear"
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    # The names the page made follow the language (and back).
    page.select_option("#lang-select", "zh")
    zh = "StepLR · 学习率 0.1 · 过拟合"
    expect(page.locator(".run-name")).to_have_text([zh, f"{zh} · L2 0.003", f"{zh} · 丢弃 0.5"])
    page.wait_for_function(
        "(n) => document.querySelector(n).textContent.includes('学习率')", arg=LEGEND
    )
    page.select_option("#lang-select", "en")
    expect(page.locator(".run-name")).to_have_text(names)
    panel(page).locator(".train-plot").scroll_into_view_if_needed()
    screenshot(page, "compare-overfit-en")
    # The chart alone, as the README shows it (docs/compare.png is a copy looked at by hand).
    panel(page).locator(".train-plot").screenshot(path=str(ARTIFACTS / "compare-chart-en.png"))
    log_x.check()
    page.wait_for_function(
        "(type) => document.getElementById('train-chart').layout.xaxis.type === type", arg="log"
    )

    # The comparison's link, opened in a new page, draws the same traces the same way.
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.bring_to_front()
    panel(page).get_by_role("button", name="Copy comparison link").click()
    expect(panel(page).get_by_role("button", name="Link copied")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert all(run in link for run in ids)
    mine = traces(page)
    other = new_page()
    other.goto(link)
    for run in ids:
        wait_status(other, run, "completed")
    other.wait_for_function(
        "(n) => document.getElementById('train-chart').data && "
        "document.getElementById('train-chart').data.length === n && "
        "document.getElementById('train-chart').layout.xaxis.type === 'log'",
        arg=len(mine),
        timeout=WAIT_MS,
    )
    theirs = traces(other)
    assert theirs == mine
    assert legend_names(other) == names
    expect(panel(other).get_by_label("Smoothing", exact=True)).to_have_value("0.8")
    expect(panel(other).get_by_label("Log x")).to_be_checked()

    # In Chinese: the chart's controls, and the same link opened with the page in Chinese.
    other.select_option("#lang-select", "zh")
    expect(panel(other).get_by_label("平滑", exact=True)).to_have_value("0.8")
    expect(panel(other).get_by_label("对数 x 轴")).to_be_checked()
    expect(panel(other).get_by_role("button", name="复制对比链接")).to_be_visible()
    panel(other).locator(".train-plot").scroll_into_view_if_needed()
    screenshot(other, "compare-overfit-zh")


def test_saved_runs_are_added_together_and_named_in_chinese(
    page: Any, new_page: Any, server: Server
) -> None:
    open_app(page, server.url, curves_link(("StepLR", DEFAULT)))
    ids = start_remedy_runs(page)
    for run in ids:
        wait_status(page, run, "completed")
    # Another page, in Chinese, with no runs: it adds them from "已保存的训练".
    page = new_page()
    open_app(page, server.url, curves_link(("StepLR", DEFAULT)))
    page.select_option("#lang-select", "zh")
    assert run_ids(page) == []
    saved = panel(page).locator(".train-saved")
    saved.locator("summary").click()
    for run in ids:
        saved.locator(f'.train-saved-item[data-run-id="{run}"] input').check()
    saved.get_by_role("button", name="把勾选的训练加入图表").click()
    for run in ids:
        wait_status(page, run, "completed")
    base = "StepLR · 学习率 0.1 · 过拟合"
    expected = [base, f"{base} · L2 0.003", f"{base} · 丢弃 0.5"]
    expect(page.locator(".run-name")).to_have_text(expected)
    page.wait_for_function(
        "(args) => document.querySelectorAll(args[0]).length === args[1]", arg=[LEGEND, 3]
    )
    assert legend_names(page) == expected
    saved.locator("summary").scroll_into_view_if_needed()
    screenshot(page, "compare-saved-zh")


def test_runs_that_differ_only_in_the_seed_are_named_by_it(page: Any, server: Server) -> None:
    open_app(page, server.url, curves_link(("StepLR", DEFAULT)))
    form = panel(page)
    form.get_by_label("Full speed").check()
    form.get_by_label("Seed").fill("1")
    first = start_run(page, task="moons", batch=32, epochs=2)
    form.get_by_label("Seed").fill("2")
    second = start_run(page, task="moons", batch=32, epochs=2)
    name = "StepLR · lr 0.1 · moons · schedule rescaled"  # 100 epochs trained as 2
    expect(page.locator(".run-name")).to_have_text([f"{name} · seed 1", f"{name} · seed 2"])
    for run in (first, second):
        wait_status(page, run, "completed")
    page.wait_for_function(
        "(args) => document.querySelectorAll(args[0]).length === args[1]", arg=[LEGEND, 2]
    )
    assert legend_names(page) == [f"{name} · seed 1", f"{name} · seed 2"]
    # The third identical run gets a number.
    third = start_run(page, task="moons", batch=32, epochs=2)
    expect(page.locator(f'.run-row[data-run-id="{third}"] .run-name')).to_have_text(
        f"{name} · seed 2 #2"
    )
