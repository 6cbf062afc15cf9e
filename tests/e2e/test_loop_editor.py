"""The page builds a Loop: from a preset, edit an entry, see the curve change to the API's
answer for the edited spec, add/reorder/remove entries, and reopen it from its link."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import (
    Server,
    Watch,
    assert_trace,
    field,
    link_state,
    open_app,
    screenshot,
    traces,
    wait_idle,
)


def answer(server: Server, spec: dict[str, Any]) -> dict[str, Any]:
    """/api/schedule's curve for the spec as the page sends it (no metric unless used)."""
    out = dict(spec)
    entries = spec["scheduler"].get("schedulers", [])
    if not any(e["scheduler"]["type"] == "ReduceLROnPlateau" for e in entries):
        out.pop("metric", None)
    return server.post("/api/schedule", out)  # type: ignore[no-any-return]


def selected_spec(page: Any) -> dict[str, Any]:
    state = link_state(page)  # compact: "c" the curves, "s" a curve's spec, "i" the selected
    return state["c"][state.get("i", 0)]["s"]  # type: ignore[no-any-return]


def test_a_loop_from_a_preset_edited_and_reopened_from_its_link(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "loop-warmup-multistep")
    wait_idle(page)
    spec = selected_spec(page)
    assert spec["scheduler"]["type"] == "Loop"
    (before,) = traces(page)
    assert_trace(before, answer(server, spec))
    expect(page.locator(".loop-entry")).to_have_count(2)
    # Entry 0's warmup ends at step 200; make it end at step 100: the curve changes.
    end = field(page, "scheduler.schedulers.0.end")
    end.fill("100")
    end.press("Tab")
    wait_idle(page)
    spec = selected_spec(page)
    assert spec["scheduler"]["schedulers"][0]["end"] == 100
    (after,) = traces(page)
    assert after["y"] != before["y"]
    assert_trace(after, answer(server, spec))
    # The entry's own scheduler is edited like any other.
    gamma = field(page, "scheduler.schedulers.1.scheduler.gamma")
    gamma.fill("0.5")
    gamma.press("Tab")
    wait_idle(page)
    assert selected_spec(page)["scheduler"]["schedulers"][1]["scheduler"]["gamma"] == 0.5
    screenshot(page, "loop-editor")
    # Add an entry, move it up, remove it again.
    page.click(".loop-add")
    wait_idle(page)
    assert len(selected_spec(page)["scheduler"]["schedulers"]) == 3
    page.get_by_role("button", name="Move entry 3 up").click()
    wait_idle(page)
    types = [e["scheduler"]["type"] for e in selected_spec(page)["scheduler"]["schedulers"]]
    assert types == ["LinearLR", "ConstantLR", "MultiStepLR"]
    page.get_by_role("button", name="Remove entry 2").click()
    wait_idle(page)
    spec = selected_spec(page)
    assert [e["scheduler"]["type"] for e in spec["scheduler"]["schedulers"]] == [
        "LinearLR",
        "MultiStepLR",
    ]
    shown = traces(page)[0]
    # The link reproduces the Loop in a fresh page.
    link = page.evaluate("location.hash")
    fresh = page.context.new_page()
    open_app(fresh, server.url, link[1:])
    expect(fresh.locator(".loop-entry")).to_have_count(2)
    assert traces(fresh)[0]["y"] == shown["y"]
    assert field(fresh, "scheduler.schedulers.0.end").input_value() == "100"
    fresh.close()


def test_a_plateau_entry_shows_the_metric_and_the_editor_speaks_chinese(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("422")  # the browser notes the refused request in the console
    open_app(page, server.url)
    page.select_option("#lang-select", "zh")
    page.select_option("#preset-select", "loop-warmup-plateau")
    wait_idle(page)
    expect(page.locator(".loop-add")).to_have_text("添加条目")
    expect(page.locator(".loop-entry .child-title").first).to_have_text("条目 1")
    assert page.locator('#editor [data-path="interval"]').count() == 0  # entries say it
    spec = selected_spec(page)
    (trace,) = [t for t in traces(page) if t["yaxis"] == "y"][:1]
    assert_trace(trace, answer(server, spec))
    # A bad entry field is flagged at that field, in Chinese: by the page's own bounds
    # (every >= 1), and by the server's 422 at its loc (end after begin).
    every = field(page, "scheduler.schedulers.1.every")
    every.fill("0")
    every.press("Tab")
    error = page.locator('#editor [data-path="scheduler.schedulers.1.every"] .field-error')
    expect(error).to_contain_text("不能小于 1")
    every.fill("1")
    every.press("Tab")
    end = field(page, "scheduler.schedulers.1.end")
    end.fill("3")
    end.press("Tab")
    error = page.locator('#editor [data-path="scheduler.schedulers.1.end"] .field-error')
    expect(error).to_contain_text("应大于 begin（5）")
    screenshot(page, "loop-editor-zh")
