"""The over-fitting lesson in the page (issue 9): every remedy in the form with its
one-line explanation, runs paced live by default with a "full speed" switch, and a
diverging run that says why and what to try, in English and Chinese."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.test_train import (
    api_job,
    curves_link,
    panel,
    row,
    start_run,
    wait_status,
)
from tests.helpers.browser import Server, open_app, screenshot

# The page's default curve: StepLR(30), SGD lr 0.1 momentum 0.9, 100 epochs.
DEFAULT = {
    "scheduler": {"type": "StepLR", "step_size": 30, "gamma": 0.1},
    "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9},
    "epochs": 100,
}
TOO_HIGH = {**DEFAULT, "optimizer": {"type": "SGD", "lr": 50, "momentum": 0.9}}
REMEDIES = ["Weight decay (L2)", "L1 penalty", "Dropout", "Input noise (std)"]


def test_every_remedy_is_in_the_form_with_its_explanation(page: Any, server: Server) -> None:
    open_app(page, server.url)
    form = panel(page)
    for label in REMEDIES:
        box = form.get_by_label(label, exact=True)
        expect(box).to_be_visible()
        hint = box.get_attribute("aria-describedby").split()[0]
        assert page.locator(f"#{hint}").inner_text().strip(), label
    expect(form.get_by_text("Stops when the validation loss has not improved")).to_be_visible()
    expect(form.get_by_label("Full speed")).not_to_be_checked()
    form.locator(".train-remedies").scroll_into_view_if_needed()
    screenshot(page, "teach-remedies-en")
    page.select_option("#lang-select", "zh")
    expect(form.get_by_text("对抗过拟合的方法")).to_be_visible()
    expect(form.get_by_label("L1 惩罚")).to_be_visible()
    expect(form.get_by_text("数据增强：给每个训练点加上高斯噪声抖动")).to_be_visible()
    screenshot(page, "teach-remedies-zh")


def test_a_page_run_is_live_by_default_and_full_speed_on_request(page: Any, server: Server) -> None:
    open_app(page, server.url, curves_link(("StepLR", DEFAULT)))
    form = panel(page)
    form.get_by_label("L1 penalty").fill("0.0003")
    form.get_by_label("Input noise (std)").fill("0.2")
    live = start_run(page, task="overfit", batch=32)
    spec = api_job(server.url, live)["spec"]
    # 100 epochs x 2 batches of the 40 samples, paced to take about 15 s.
    assert spec["steps_per_second"] == 13
    assert spec["regularization"]["l1"] == 0.0003
    assert spec["regularization"]["input_noise"] == 0.2
    form.get_by_label("Full speed").check()
    expect(form.get_by_label("Pace (steps/s)")).to_be_disabled()
    fast = start_run(page, task="overfit", batch=32)
    assert api_job(server.url, fast)["spec"].get("steps_per_second") is None
    wait_status(page, fast, "completed")
    wait_status(page, live, "completed")


def test_a_diverging_run_says_why_in_both_languages(page: Any, server: Server) -> None:
    open_app(page, server.url, curves_link(("too high", TOO_HIGH)))
    form = panel(page)
    form.get_by_label("Dropout", exact=True).fill("0.5")
    form.get_by_label("Full speed").check()
    run = start_run(page, task="overfit", batch=32)
    wait_status(page, run, "failed")
    # Named by what sets it apart: the remedy is in the run's name.
    expect(row(page, run).locator(".run-name")).to_have_text(
        "too high · lr 50 · over-fitting · dropout 0.5"
    )
    message = row(page, run).locator(".run-message")
    expect(message).to_contain_text("the learning rate 50 is too high for this run")
    expect(message).to_contain_text("dropout 0.5")
    expect(message).to_contain_text("try 17")
    screenshot(page, "teach-diverged-en")
    page.select_option("#lang-select", "zh")
    expect(message).to_contain_text("学习率 50 对这次训练")
    expect(message).to_contain_text("请试试 17")
    screenshot(page, "teach-diverged-zh")
