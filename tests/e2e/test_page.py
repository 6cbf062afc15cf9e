"""The page loads, edits redraw with the API's exact values, errors show inline."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import urllib.error
import urllib.request
from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import (
    Server,
    Watch,
    api_ready,
    assert_trace,
    field,
    link_state,
    open_app,
    traces,
    wait_idle,
)


def selected_spec(page: Any) -> dict[str, Any]:
    state = link_state(page)
    return state["c"][state["i"]]["s"]


def test_page_loads_with_a_curve(page: Any, server: Server) -> None:
    open_app(page, server.url)
    shown = traces(page)
    assert len(shown) >= 1
    expected = server.post("/api/schedule", api_ready(selected_spec(page)))
    assert_trace(shown[0], expected)
    assert page.locator("#teach-title").inner_text().startswith("About StepLR")
    assert expected["torch_version"] in page.locator("#footer-torch").inner_text()


def test_an_edit_redraws_with_the_api_values(page: Any, server: Server) -> None:
    open_app(page, server.url)
    before = traces(page)[0]["y"]
    field(page, "scheduler.step_size").fill("12")
    field(page, "scheduler.gamma").fill("0.5")
    wait_idle(page)
    spec = selected_spec(page)
    assert spec["scheduler"]["step_size"] == 12
    assert spec["scheduler"]["gamma"] == 0.5
    shown = traces(page)[0]
    assert shown["y"] != before
    expected = server.post("/api/schedule", api_ready(spec))
    assert shown["y"] == expected["groups"][0]["lr"]  # 100 points: drawn one for one
    assert_trace(shown, expected)


def test_changing_the_scheduler_type_rebuilds_the_form(page: Any, server: Server) -> None:
    open_app(page, server.url)
    field(page, "scheduler").select_option("CosineAnnealingLR")
    wait_idle(page)
    assert field(page, "scheduler.T_max").input_value() == "100"
    assert page.locator("#teach-title").inner_text() == "About CosineAnnealingLR"
    spec = selected_spec(page)
    assert_trace(traces(page)[0], server.post("/api/schedule", api_ready(spec)))


# Chromium logs every 4xx answer as a console error; a 422 is the expected answer here.
REJECTED = "status of 422"


def test_a_bad_value_shows_an_inline_error_and_keeps_the_curve_dimmed(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow(REJECTED)
    open_app(page, server.url)
    good = traces(page)[0]["y"]
    field(page, "scheduler.step_size").fill("0")
    wait_idle(page)
    error = page.locator('#editor [data-path="scheduler.step_size"] .field-error')
    assert error.is_visible()
    assert "1" in error.inner_text()
    shown = traces(page)[0]
    assert shown["y"] == good  # the last good curve stays...
    assert shown["opacity"] < 1  # ...dimmed
    field(page, "scheduler.step_size").fill("5")
    wait_idle(page)
    assert not error.is_visible()
    assert traces(page)[0]["opacity"] == 1


def test_a_value_out_of_the_catalog_bounds_is_flagged_without_a_request(
    page: Any, server: Server, watch: Watch
) -> None:
    open_app(page, server.url)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/api/schedule" in r.url else None)
    # The catalog says gamma > 0; numbers are written as the server writes them.
    field(page, "scheduler.gamma").fill("-0.00001")
    error = page.locator('#editor [data-path="scheduler.gamma"] .field-error')
    expect(error).to_have_text("must be greater than 0, got -1e-05")
    expect(page.locator("#warnings")).to_have_text(
        "scheduler.gamma: must be greater than 0, got -1e-05"
    )
    # The server says the same, word for word, to a client that sends it anyway.
    body = {"scheduler": {"type": "StepLR", "step_size": 3, "gamma": -0.00001}}
    r = urllib.request.Request(
        server.url + "/api/schedule",
        json.dumps(body).encode(),
        {"content-type": "application/json"},
    )
    try:
        urllib.request.urlopen(r)
    except urllib.error.HTTPError as exc:
        assert json.load(exc)["detail"][0]["msg"] == "must be greater than 0, got -1e-05"
    else:
        raise AssertionError("the server accepted gamma=-0.00001")
    assert sent == [] and watch.errors == []  # no request, so no 422 in the console


def test_text_that_is_not_a_number_is_flagged_before_sending(page: Any, server: Server) -> None:
    open_app(page, server.url)
    field(page, "scheduler.gamma").fill("abc")
    error = page.locator('#editor [data-path="scheduler.gamma"] .field-error')
    assert error.inner_text() == "not a number"
    assert field(page, "scheduler.gamma").get_attribute("aria-invalid") == "true"


def test_the_banner_and_chart_follow_what_the_fields_show(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow(REJECTED)
    open_app(page, server.url)
    banner = page.locator("#warnings")
    step_size = field(page, "scheduler.step_size")
    step_size.fill("-5")
    wait_idle(page)
    assert "got -5" in banner.inner_text()
    step_size.fill("")
    wait_idle(page)
    assert banner.inner_text() == "scheduler.step_size: required"  # not the old -5
    step_size.fill("abc")
    wait_idle(page)
    assert banner.inner_text() == "scheduler.step_size: not a number"
    field(page, "scheduler.gamma").fill("0.5")  # another edit sends nothing meanwhile...
    wait_idle(page)
    assert banner.inner_text() == "scheduler.step_size: not a number"
    assert page.locator('#editor [data-path="scheduler.step_size"] .field-error').inner_text() == (
        "not a number"
    )
    assert traces(page)[0]["opacity"] < 1  # ...and the chart keeps the last good curve, dimmed
    step_size.fill("3")  # both edits are sent once the field parses
    wait_idle(page)
    assert banner.inner_text() == ""
    spec = selected_spec(page)
    assert spec["scheduler"]["step_size"] == 3 and spec["scheduler"]["gamma"] == 0.5
    assert_trace(traces(page)[0], server.post("/api/schedule", api_ready(spec)))


def test_an_error_inside_a_nested_scheduler_is_shown_at_that_child(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow(REJECTED)
    open_app(page, server.url)
    page.select_option("#preset-select", "warmup-cosine")
    wait_idle(page)
    field(page, "scheduler.schedulers.1.T_max").fill("0")
    wait_idle(page)
    error = page.locator('#editor [data-path="scheduler.schedulers.1.T_max"] .field-error')
    assert error.is_visible()


def test_a_preset_loads(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "warmup-cosine")
    wait_idle(page)
    spec = selected_spec(page)
    assert spec["scheduler"]["type"] == "SequentialLR"
    assert [c["type"] for c in spec["scheduler"]["schedulers"]] == ["LinearLR", "CosineAnnealingLR"]
    assert page.locator("#editor .child").count() == 2
    assert_trace(traces(page)[0], server.post("/api/schedule", api_ready(spec)))
    assert page.locator(".curve-name").first.input_value() == "Linear warmup + cosine to a floor"


def test_every_preset_evaluates_without_error(page: Any, server: Server) -> None:
    open_app(page, server.url)
    ids = page.eval_on_selector_all(
        "#preset-select option", "els => els.map(e => e.value).filter(Boolean)"
    )
    # 16 of the page's own (3 of them Loops) and one per Hugging Face SchedulerType (hf_presets)
    assert len(ids) == 16 + 11
    for preset in ids:
        page.select_option("#preset-select", preset)
        wait_idle(page)
        assert page.locator("#curve-list .curve-status.is-error").count() == 0, preset
        assert page.locator("#editor .field-error:visible").count() == 0, preset


def test_children_of_a_composite_can_be_added_reordered_and_removed(
    page: Any, server: Server
) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "warmup-cosine")
    wait_idle(page)
    page.get_by_role("button", name="Add a child scheduler").click()
    wait_idle(page)
    spec = selected_spec(page)["scheduler"]
    assert len(spec["schedulers"]) == 3 and len(spec["milestones"]) == 2
    page.get_by_role("button", name="Move child 3 up").click()
    wait_idle(page)
    assert selected_spec(page)["scheduler"]["schedulers"][1]["type"] == "ConstantLR"
    page.get_by_role("button", name="Remove child 2").click()
    wait_idle(page)
    spec = selected_spec(page)["scheduler"]
    assert [c["type"] for c in spec["schedulers"]] == ["LinearLR", "CosineAnnealingLR"]
    assert len(spec["milestones"]) == 1


def test_param_groups_each_get_a_trace(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.get_by_role("button", name="Add a param group").click()
    wait_idle(page)
    spec = selected_spec(page)
    assert len(spec["optimizer"]["param_groups"]) == 2
    expected = server.post("/api/schedule", api_ready(spec))
    lr_traces = [t for t in traces(page) if t["yaxis"] == "y"]
    assert len(lr_traces) == len(expected["groups"]) == 2
    for group, trace in enumerate(lr_traces):
        assert_trace(trace, expected, group=group)


def test_momentum_subplot_appears_for_a_cycling_scheduler(page: Any, server: Server) -> None:
    open_app(page, server.url)
    assert all(t["yaxis"] == "y" for t in traces(page))
    page.select_option("#preset-select", "onecycle")
    wait_idle(page)
    momentum = [t for t in traces(page) if t["yaxis"] == "y2"]
    assert len(momentum) == 1
    expected = server.post("/api/schedule", api_ready(selected_spec(page)))
    assert_trace(momentum[0], expected, key="momentum")


def test_code_panel_shows_the_api_code(page: Any, context: Any, server: Server) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, server.url)
    field(page, "scheduler.step_size").fill("9")
    wait_idle(page)
    expected = server.post("/api/code", api_ready(selected_spec(page)))["code"]
    page.locator("#code-output").scroll_into_view_if_needed()
    page.wait_for_function(
        "(code) => document.getElementById('code-output').textContent === code", arg=expected
    )
    assert "StepLR" in expected
    # Copy right after an edit: the button waits for the code of the new spec.
    page.bring_to_front()  # the clipboard API wants the focused page
    field(page, "scheduler.step_size").fill("11")
    page.click("#code-copy")
    page.wait_for_function("() => document.getElementById('code-status').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == server.post("/api/code", api_ready(selected_spec(page)))["code"]
    assert "step_size=11" in copied


def test_csv_download_holds_the_exact_values(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "cyclic")  # 10 000 steps: the chart is decimated
    wait_idle(page)
    spec = selected_spec(page)
    with page.expect_download() as info:
        page.click("#export-csv")
    text = info.value.path().read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = server.post("/api/schedule", {**api_ready(spec), "max_points": 0})
    assert len(rows) == expected["num_steps"] == 10_000
    assert [float(r["lr"]) for r in rows] == expected["groups"][0]["lr"]
    assert [float(r["momentum"]) for r in rows] == expected["groups"][0]["momentum"]
    assert [int(r["step"]) for r in rows] == expected["x"]
    assert {r["curve"] for r in rows} == {"CyclicLR(0.01, 0.1, step_size_up=2000)"}


def test_json_and_png_exports_download(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "onecycle")
    wait_idle(page)
    spec = selected_spec(page)
    with page.expect_download() as info:
        page.click("#export-json")
    assert info.value.suggested_filename == "lrscope.json"
    exported = json.loads(info.value.path().read_text())
    expected = server.post("/api/schedule", {**api_ready(spec), "max_points": 0})
    (curve,) = exported["curves"]
    assert curve["spec"] == spec
    assert curve["groups"] == expected["groups"]
    assert curve["x"] == expected["x"] and len(curve["x"]) == 1000
    with page.expect_download() as info:
        page.click("#export-png")
    assert info.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_language_switch(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#lang-select", "zh")
    wait_idle(page)
    assert page.locator("#curves-title").inner_text() == "曲线"
    assert page.locator("#teach-title").inner_text() == "关于 StepLR"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert link_state(page)["l"] == "zh"
    page.select_option("#lang-select", "en")
    assert page.locator("#curves-title").inner_text() == "Curves"


def test_reduce_on_plateau_metric_can_be_pasted(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "plateau")
    wait_idle(page)
    field(page, "metric").select_option("values")
    wait_idle(page)
    field(page, "metric.values").fill(" ".join(["1"] * 100))
    wait_idle(page)
    spec = selected_spec(page)
    assert spec["metric"]["values"] == [1] * 100
    expected = server.post("/api/schedule", api_ready(spec))
    lr_trace, metric_trace = traces(page)
    assert_trace(lr_trace, expected)
    lr = expected["groups"][0]["lr"]
    assert lr[-1] < lr[0]  # a flat loss is a plateau: the rate drops
    # The metric it stepped on is drawn too, dotted on its own axis, at the epoch measured.
    assert metric_trace["yaxis"] == "y3"
    assert metric_trace["x"] == expected["epoch"]
    assert metric_trace["y"] == expected["metric"] == [1] * (len(expected["x"]) - 1) + [None]


def test_the_page_recovers_by_itself_when_the_server_comes_back(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("net::ERR_FAILED")
    open_app(page, server.url)
    page.route("**/api/schedule", lambda route: route.abort())  # the server is unreachable
    field(page, "scheduler.gamma").fill("0.5")
    banner = page.locator("#warnings")
    expect(banner).to_contain_text("could not be reached")
    page.unroute("**/api/schedule")  # back: the next retry (1-2 s later) gets the answer
    expect(banner).to_have_text("", timeout=15_000)
    wait_idle(page)
    spec = selected_spec(page)
    assert spec["scheduler"]["gamma"] == 0.5
    assert_trace(traces(page)[0], server.post("/api/schedule", api_ready(spec)))


def test_the_code_panel_recovers_by_itself_too(page: Any, server: Server, watch: Watch) -> None:
    watch.allow("net::ERR_FAILED")
    open_app(page, server.url)
    page.locator("#code-output").scroll_into_view_if_needed()
    page.route("**/api/code", lambda route: route.abort())
    field(page, "scheduler.gamma").fill("0.7")
    expect(page.locator("#code-status")).to_contain_text("could not be reached")
    page.unroute("**/api/code")
    expect(page.locator("#code-output")).to_contain_text("gamma=0.7", timeout=15_000)
    expect(page.locator("#code-status")).to_have_text("")


def test_a_held_back_curve_says_why_in_its_badge(page: Any, server: Server) -> None:
    open_app(page, server.url)
    field(page, "scheduler.step_size").fill("")
    badge = page.locator(".curve-status").first
    expect(badge).to_have_attribute("title", "scheduler.step_size: required")


def test_a_curve_held_back_while_its_request_is_out_still_settles(
    page: Any, server: Server
) -> None:
    open_app(page, server.url)

    def slow(route: Any) -> None:
        time.sleep(0.8)  # the answer arrives after the field has stopped parsing
        route.continue_()

    page.route("**/api/schedule", slow)
    field(page, "scheduler.gamma").fill("0.5")
    page.wait_for_timeout(100)
    field(page, "scheduler.gamma").fill("0.5x")
    wait_idle(page)  # not stuck "busy" once the dropped answer is in
    expect(page.locator("#warnings")).to_have_text("scheduler.gamma: not a number")


def test_a_hidden_plateau_curve_draws_no_stray_metric_axis(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "plateau")
    wait_idle(page)
    assert page.locator("#chart .y3tick").count() > 0  # its metric axis, while shown
    page.click("#add-curve")
    wait_idle(page)
    page.get_by_role("button", name=re.compile("^Hide “ReduceLROnPlateau")).click()
    wait_idle(page)
    assert page.locator("#chart .y3tick").count() == 0
