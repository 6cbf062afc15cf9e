"""The editor is generated from the catalog: a scheduler a future torch adds, with a
parameter type this page has never seen, is still editable."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers.browser import Server, Watch, field, link_state, open_app, wait_idle

FUTURE = {
    "name": "FutureLR",
    "summary": "A scheduler from a later torch.",
    "doc": "",
    "step_unit": "epoch",
    "needs_metric": False,
    "composite": False,
    "params": [
        {
            "name": "warp",
            "type": "number",
            "default": 2.0,
            "required": False,
            "nullable": False,
            "enum": None,
            "minimum": 0,
            "maximum": None,
            "exclusive_minimum": None,
            "per_group": False,
            "variable": None,
            "description": "How much to warp.",
        },
        {
            "name": "shape",
            "type": "tensor_spec",
            "default": None,
            "required": True,
            "nullable": False,
            "enum": None,
            "minimum": None,
            "maximum": None,
            "exclusive_minimum": None,
            "per_group": False,
            "variable": None,
            "description": "A kind of value no lrscope release knows yet.",
        },
    ],
}


def test_an_unknown_scheduler_and_parameter_type_are_editable(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("status of 422")  # the real server does not know FutureLR

    def add_future(route: Any) -> None:
        response = route.fetch()
        catalog = response.json()
        catalog["schedulers"].append(FUTURE)
        route.fulfill(response=response, body=json.dumps(catalog))

    page.route("**/api/schedulers", add_future)
    open_app(page, server.url)
    field(page, "scheduler").select_option("FutureLR")
    page.wait_for_function("() => document.body.dataset.state === 'idle'")
    assert page.locator("#teach-panel").inner_text().endswith("A scheduler from a later torch.")
    assert field(page, "scheduler.warp").input_value() == "2"
    shape = field(page, "scheduler.shape")
    shape.fill('{"dims": [2, 3]}')
    wait_idle(page)
    assert link_state(page)["c"][0]["s"]["scheduler"]["shape"] == {"dims": [2, 3]}
    shape.fill("{not json")
    error = page.locator('#editor [data-path="scheduler.shape"] .field-error')
    assert error.inner_text() == "not valid JSON"


def test_per_group_values_follow_the_param_groups(page: Any, server: Server) -> None:
    open_app(page, server.url)
    page.select_option("#preset-select", "onecycle")
    wait_idle(page)
    page.get_by_role("button", name="Add a param group").click()
    wait_idle(page)
    page.locator('#editor [data-path="scheduler.max_lr"] .inline-check input').check()
    page.get_by_label("max_lr · group 1").fill("0.05")
    wait_idle(page)
    spec = link_state(page)["c"][0]["s"]
    assert spec["scheduler"]["max_lr"] == [0.1, 0.05]
    peaks = page.evaluate(
        "() => document.getElementById('chart').data.filter(t => (t.yaxis || 'y') === 'y')"
        ".map(t => Math.max(...t.y))"
    )
    assert peaks == [0.1, 0.05]


def test_every_torch_scheduler_has_an_explanation_in_both_languages(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("status of 422")  # a bare pick of some schedulers can be rejected
    open_app(page, server.url)
    names = page.eval_on_selector_all(
        '#editor [data-path="scheduler"] > .field-type select option',
        "els => els.map(e => e.value)",
    )
    assert len(names) >= 14  # torch 2.13 has 15 (the "14" of the brief misses one)
    for lang in ["en", "zh"]:
        page.select_option("#lang-select", lang)
        for name in names:
            field(page, "scheduler").select_option(name)
            body = page.locator("#teach-body")
            assert body.locator(".formula").count() == 1, (lang, name)
            assert len(body.inner_text()) > 80, (lang, name)
        page.wait_for_function("() => document.body.dataset.state === 'idle'")
