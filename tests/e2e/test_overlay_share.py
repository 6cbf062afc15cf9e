"""Overlay several curves, share the whole view as a link, and open it elsewhere."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import (
    Server,
    Watch,
    assert_trace,
    encode_link,
    field,
    link_state,
    open_app,
    traces,
    wait_idle,
)


def chart_snapshot(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const gd = document.getElementById('chart');
            return {
              data: gd.data.map(t => ({
                name: t.name, x: Array.from(t.x), y: Array.from(t.y), visible: t.visible,
                color: t.line.color, dash: t.line.dash, yaxis: t.yaxis || 'y'})),
              yType: gd.layout.yaxis.type,
              xTitle: gd.layout.xaxis.title.text,
            };
        }"""
    )


def test_app_given_names_follow_the_scheduler_and_typed_names_stay(
    page: Any, server: Server
) -> None:
    open_app(page, server.url)
    names = page.locator(".curve-name")
    field(page, "scheduler").select_option("CosineAnnealingLR")
    wait_idle(page)
    assert names.nth(0).input_value() == "CosineAnnealingLR"
    assert [t["name"] for t in traces(page)] == ["CosineAnnealingLR"]
    page.click("#add-curve")
    wait_idle(page)
    assert names.nth(1).input_value() == "StepLR"
    field(page, "scheduler").select_option("CosineAnnealingLR")  # the new curve's editor
    wait_idle(page)
    assert names.nth(1).input_value() == "CosineAnnealingLR (2)"
    page.select_option("#preset-select", "warmup-cosine")  # a preset's own name...
    wait_idle(page)
    preset_name = names.nth(1).input_value()
    assert preset_name != "CosineAnnealingLR (2)"
    field(page, "scheduler").select_option("StepLR")  # ...follows a change of type too
    wait_idle(page)
    assert names.nth(1).input_value() == "StepLR"
    names.nth(1).fill("mine")
    field(page, "scheduler").select_option("ExponentialLR")
    wait_idle(page)
    assert names.nth(1).input_value() == "mine"
    assert [t["name"] for t in traces(page)] == ["CosineAnnealingLR", "mine"]


def test_add_duplicate_rename_hide_and_remove_curves(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.click("#add-curve")
    wait_idle(page)
    assert page.locator(".curve-row").count() == 2
    page.get_by_role("button", name="Duplicate “StepLR”").click()
    wait_idle(page)
    names = [n.input_value() for n in page.locator(".curve-name").all()]
    assert names == ["StepLR", "StepLR (3)", "StepLR (2)"]
    page.get_by_role("button", name="Duplicate “StepLR (3)”").click()
    page.get_by_role("button", name="Remove “StepLR (4)”").click()
    assert len(traces(page)) == 3
    colors = {t["color"] for t in traces(page)}
    assert len(colors) == 3

    page.locator(".curve-name").nth(2).fill("warm")
    page.get_by_role("button", name="Hide “warm”").click()
    wait_idle(page)
    hidden = [t for t in traces(page) if t["name"] == "warm"]
    assert hidden and hidden[0]["visible"] == "legendonly"
    assert [c.get("h") for c in link_state(page)["c"]] == [None, None, 1]

    page.get_by_role("button", name="Show “warm”").click()
    wait_idle(page)
    assert next(t for t in traces(page) if t["name"] == "warm")["visible"] is True

    page.get_by_role("button", name="Remove “StepLR (3)”").click()
    wait_idle(page)
    assert [t["name"] for t in traces(page)] == ["StepLR", "warm"]


def test_each_curve_keeps_its_own_spec(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.get_by_role("button", name="Duplicate “StepLR”").click()
    wait_idle(page)
    field(page, "scheduler.gamma").fill("0.5")  # edits the copy, which is selected
    wait_idle(page)
    state = link_state(page)
    assert state["c"][0]["s"]["scheduler"]["gamma"] == 0.1
    assert state["c"][1]["s"]["scheduler"]["gamma"] == 0.5
    page.get_by_role("radio", name="Edit “StepLR”").check()
    assert field(page, "scheduler.gamma").input_value() == "0.1"


def test_a_share_link_reproduces_the_view_exactly(page: Any, new_page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "onecycle")
    wait_idle(page)
    page.click("#add-curve")
    wait_idle(page)
    page.select_option("#preset-select", "warmup-cosine")
    wait_idle(page)
    page.get_by_role("button", name="Add a param group").click()
    wait_idle(page)
    page.locator(".curve-name").nth(1).fill("mine <b>bold</b>")
    page.check("input[name=x-axis][value=step]")
    page.check("input[name=y-scale][value=log]")
    page.select_option("#lang-select", "zh")
    wait_idle(page)
    before = chart_snapshot(page)
    link_state(page)  # waits for the hash to be written
    url = page.url

    other = new_page()
    other.goto(url)
    wait_idle(other)
    assert chart_snapshot(other) == before
    assert before["yType"] == "log"
    assert other.locator("#curves-title").inner_text() == "曲线"
    assert other.locator(".curve-name").nth(1).input_value() == "mine <b>bold</b>"
    assert other.locator("input[name=x-axis][value=step]").is_checked()


def test_the_link_follows_every_change(page: Any, server: Server) -> None:
    open_app(page, server.url)
    field(page, "epochs").fill("40")
    assert link_state(page)["c"][0]["s"]["epochs"] == 40
    page.check("input[name=y-scale][value=log]")
    assert link_state(page)["y"] == "log"


def test_copy_link_button(page: Any, context: Any, server: Server) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, server.url)
    page.bring_to_front()  # the clipboard API wants the focused page
    page.click("#copy-link")
    page.wait_for_function(
        "() => document.getElementById('copy-link').textContent === 'Link copied'"
    )
    assert page.evaluate("navigator.clipboard.readText()") == page.url


def test_a_corrupt_link_loads_the_default_view_with_a_notice(page: Any, server: Server) -> None:
    open_app(page, server.url, "s=not-base64-json!!")
    assert page.locator("#notice").is_visible()
    assert "could not be read" in page.locator("#notice-text").inner_text()
    assert len(traces(page)) == 1


def test_an_outdated_or_unknown_link_loads_the_default_view(page: Any, server: Server) -> None:
    spec = {"scheduler": {"type": "StepLR", "step_size": 3}}
    open_app(page, server.url, encode_link({"v": 999, "c": [{"n": "x", "s": spec}]}))
    assert "another version" in page.locator("#notice-text").inner_text()
    assert len(traces(page)) == 1
    page.goto("about:blank")
    bogus = {"v": 1, "c": [{"n": "x", "s": {"scheduler": {"type": "NoSuchLR"}}}]}
    open_app(page, server.url, encode_link(bogus))
    assert "does not have" in page.locator("#notice-text").inner_text()


def test_a_hand_written_link_with_a_bad_value_still_shows_a_page(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("status of 422")
    bad = {"v": 1, "c": [{"n": "x", "s": {"scheduler": {"type": "StepLR", "step_size": -3}}}]}
    page.goto(f"{server.url}/#{encode_link(bad)}")
    error = page.locator('#editor [data-path="scheduler.step_size"] .field-error')
    error.wait_for(state="visible")
    assert page.locator("#editor").is_visible()


def test_user_names_are_not_rendered_as_markup(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.locator(".curve-name").first.fill('<b>bold</b> & <img src=x onerror="alert(1)">')
    wait_idle(page)
    legend = page.locator("#chart .legendtext").first
    assert legend.text_content() == '<b>bold</b> & <img src=x onerror="alert(1)">'
    assert page.locator("#chart .legendtext b, #chart img").count() == 0


def test_legend_click_toggles_the_curve(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.locator("#chart .legendtoggle").first.click()
    wait_idle(page)
    assert traces(page)[0]["visible"] == "legendonly"
    assert page.get_by_role("button", name="Show “StepLR”").is_visible()


def test_classroom_mode_hides_controls_and_is_kept_in_the_link(
    page: Any, new_page: Any, server: Server
) -> None:
    open_app(page, server.url)
    small = page.locator("#chart").bounding_box()
    page.click("#classroom-open")
    page.click("#classroom-start")
    page.wait_for_timeout(300)
    assert not page.locator("#editor").is_visible()
    assert page.locator("#teach-panel").is_visible()
    assert not page.locator("#code-panel").is_visible()
    assert page.locator("#curves-panel").is_visible()
    big = page.locator("#chart").bounding_box()
    assert small is not None and big is not None
    assert big["width"] > small["width"]
    assert big["height"] > small["height"]
    assert link_state(page)["r"] == ["editor", "code"]

    other = new_page()
    other.goto(page.url)
    wait_idle(other)
    assert other.locator("#classroom-exit").is_visible()
    assert not other.locator("#editor").is_visible()
    other.click("#classroom-exit")
    assert other.locator("#editor").is_visible()
    page.keyboard.press("Escape")  # Esc leaves it too
    expect(page.locator("#editor")).to_be_visible()
    assert "r" not in link_state(page)


def test_no_request_leaves_the_machine(page: Any, server: Server, watch: Watch) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_app(page, server.url)
    page.select_option("#preset-select", "sgdr")
    wait_idle(page)
    with page.expect_download():
        page.click("#export-png")
    assert requests
    assert all(u.startswith((server.url, "data:", "blob:")) for u in requests), requests
    assert watch.external == []


def test_the_console_stays_clean(page: Any, server: Server, watch: Watch) -> None:
    open_app(page, server.url)
    for preset in ["onecycle", "wsd", "plateau", "inverse-sqrt"]:
        page.select_option("#preset-select", preset)
        wait_idle(page)
    page.check("input[name=y-scale][value=log]")
    page.select_option("#lang-select", "zh")
    wait_idle(page)
    assert watch.errors == []


def test_a_link_with_a_malformed_spec_shape_loads_the_default_view(
    page: Any, server: Server
) -> None:
    shapes = [
        {"scheduler": {"type": "StepLR", "step_size": 3}, "optimizer": {"param_groups": "x"}},
        {"scheduler": {"type": "StepLR", "step_size": 3}, "metric": {"synthetic": None}},
        {"scheduler": {"type": "SequentialLR", "schedulers": {"type": "StepLR"}}},
        {"scheduler": "StepLR"},
    ]
    for spec in shapes:
        page.goto("about:blank")
        open_app(page, server.url, encode_link({"v": 1, "c": [{"n": "x", "s": spec}]}))
        assert page.locator("#notice").is_visible(), spec
        assert len(traces(page)) == 1


def test_a_link_pasted_into_the_same_tab_is_opened(page: Any, server: Server) -> None:
    open_app(page, server.url)
    spec = {"scheduler": {"type": "ExponentialLR", "gamma": 0.9}, "epochs": 30}
    link = encode_link({"v": 1, "c": [{"n": "exp", "s": spec}]})
    page.evaluate("(hash) => { location.hash = hash; }", link)
    page.wait_for_function("() => document.querySelector('.curve-name').value === 'exp'")
    wait_idle(page)
    (trace,) = traces(page)
    assert trace["name"] == "exp"
    assert_trace(trace, server.post("/api/schedule", spec))


def test_back_and_forward_step_through_presets_and_curves(page: Any, server: Server) -> None:
    open_app(page, server.url)
    names = page.locator(".curve-name")
    page.select_option("#preset-select", "onecycle")
    wait_idle(page)
    onecycle = names.first.input_value()
    field(page, "scheduler.max_lr").fill("0.5")  # a value edit: no entry of its own
    wait_idle(page)
    page.click("#add-curve")
    wait_idle(page)
    page.wait_for_function("() => !document.documentElement.dataset.linkPending")
    assert names.count() == 2
    page.go_back()  # undoes the added curve, keeps the edit
    page.wait_for_function("() => document.querySelectorAll('.curve-name').length === 1")
    wait_idle(page)
    assert names.first.input_value() == onecycle
    assert link_state(page)["c"][0]["s"]["scheduler"]["max_lr"] == 0.5
    page.go_back()  # before the preset
    page.wait_for_function(
        "(name) => document.querySelector('.curve-name').value !== name", arg=onecycle
    )
    wait_idle(page)
    assert names.first.input_value() == "StepLR"
    page.go_forward()
    page.wait_for_function(
        "(name) => document.querySelector('.curve-name').value === name", arg=onecycle
    )
    wait_idle(page)
    assert [t["name"] for t in traces(page) if t["yaxis"] == "y"] == [onecycle]


def test_a_preset_name_keeps_following_after_a_reload_and_stays_unique(
    page: Any, server: Server
) -> None:
    open_app(page, server.url)
    names = page.locator(".curve-name")
    page.select_option("#preset-select", "plateau")
    wait_idle(page)
    plateau = names.first.input_value()
    page.click("#add-curve")
    page.select_option("#preset-select", "plateau")  # the same preset on the new curve
    wait_idle(page)
    assert names.nth(1).input_value() == f"{plateau} (2)"
    page.wait_for_function("() => !document.documentElement.dataset.linkPending")
    page.reload()
    wait_idle(page)
    field(page, "scheduler").select_option("ExponentialLR")  # the selected (second) curve
    wait_idle(page)
    assert [n.input_value() for n in names.all()] == [plateau, "ExponentialLR"]
