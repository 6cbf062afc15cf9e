"""The page asks the server instead of copying it: the tree-wide interval, the training
tasks, and the limits and defaults of the training and synthetic-metric fields."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import Server, encode_link, field, open_app

WARMUP_ONECYCLE = {
    "scheduler": {
        "type": "SequentialLR",
        "schedulers": [
            {"type": "LinearLR", "start_factor": 0.1, "total_iters": 50},
            {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 950},
        ],
        "milestones": [50],
    },
    "epochs": 10,
    "steps_per_epoch": 100,
}


def link(spec: dict[str, Any]) -> str:
    return encode_link({"v": 1, "c": [{"n": "mixed", "k": "#1f77b4", "s": spec}], "i": 0})


def with_catalog(page: Any, change: Any) -> None:
    """Serve the real catalog with `change(catalog)` applied (a newer server's data)."""

    def route(route: Any) -> None:
        response = route.fetch()
        catalog = response.json()
        change(catalog)
        route.fulfill(response=response, body=json.dumps(catalog))

    page.route("**/api/schedulers", route)


def test_a_per_batch_child_makes_the_hint_and_the_next_milestone_count_steps(
    page: Any, server: Server
) -> None:
    answer = server.post("/api/schedule", WARMUP_ONECYCLE)
    steps = answer["num_steps"]
    assert steps == 1000  # 10 epochs x 100 steps, each one a scheduler step
    if "interval" in answer:
        assert answer["interval"] == "step"
    open_app(page, server.url, link(WARMUP_ONECYCLE))
    hint = page.locator('#editor [data-path="interval"] .field-hint')
    expect(hint).to_contain_text("every batch")
    page.get_by_role("button", name="Add a child scheduler").click()
    page.wait_for_function("() => !document.documentElement.dataset.linkPending")
    milestones = page.evaluate(
        "() => [...document.querySelectorAll('#editor [data-path=\"scheduler.milestones\"] input')]"
        ".map((i) => i.value)"
    )
    # The proposed boundary is a tenth of the run later, counted as the server counts.
    assert milestones == [f"50, {50 + steps // 10}"]


def test_the_run_form_offers_the_servers_tasks_and_checks_its_limits(
    page: Any, server: Server
) -> None:
    def change(catalog: dict[str, Any]) -> None:
        catalog["training"]["tasks"]["rings"] = {**catalog["training"]["tasks"]["moons"]}
        catalog["training"]["fields"] = {
            "regularization.dropout": {
                "type": "number",
                "default": 0.0,
                "minimum": 0,
                "exclusive_maximum": 0.5,
            },
            "batch_size": {"type": "integer", "default": 24, "minimum": 1, "maximum": 64},
        }

    with_catalog(page, change)
    open_app(page, server.url)
    form = page.locator("#train-panel")
    options = form.get_by_label("Task").locator("option")
    expect(options.last).to_have_attribute("value", "rings")
    expect(form.get_by_label("Batch size")).to_have_attribute("placeholder", "24")
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/api/jobs" in r.url else None)
    form.get_by_label("Dropout").fill("0.7")
    form.get_by_role("button", name="Start run").click()
    error = form.locator('[data-path="regularization.dropout"] .field-error')
    expect(error).to_have_text("must be less than 0.5, got 0.7")
    form.get_by_label("Dropout").fill("0.2")
    form.get_by_label("Batch size").fill("100")
    form.get_by_role("button", name="Start run").click()
    expect(form.locator('[data-path="batch_size"] .field-error')).to_have_text(
        "must be at most 64, got 100"
    )
    assert sent == []


def test_the_synthetic_metric_shows_the_servers_defaults(page: Any, server: Server) -> None:
    def change(catalog: dict[str, Any]) -> None:
        catalog["metric_fields"] = {
            "synthetic.seed": {"type": "integer", "default": 0, "minimum": 0},
            "synthetic.decay_steps": {"type": "number", "default": 42.0, "exclusive_minimum": 0},
        }

    with_catalog(page, change)
    open_app(page, server.url)
    page.select_option("#preset-select", "plateau")
    expect(field(page, "metric.synthetic.decay_steps")).to_have_value("42")
    field(page, "metric.synthetic.decay_steps").fill("-1")
    error = page.locator('#editor [data-path="metric.synthetic.decay_steps"] .field-error')
    expect(error).to_have_text("must be greater than 0, got -1")
    # Only the knobs the server lists.
    assert page.locator('#editor [data-path^="metric.synthetic."]').count() == 2
