"""The "Paste code" panel in a real Chromium: a pasted PyTorch loop asks for the names it
leaves open as fields, then becomes a new curve whose trace is the API's curve; a bad
argument is shown naming its line; the panel speaks Chinese."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import (
    Server,
    Watch,
    assert_trace,
    field,
    open_app,
    screenshot,
    traces,
)

# torch 2.13's OneCycleLR docstring example, as a user copies it (prompts included)
ONE_CYCLE_DOCS = """>>> data_loader = torch.utils.data.DataLoader(...)
>>> optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
>>> scheduler = torch.optim.lr_scheduler.OneCycleLR(
...     optimizer, max_lr=0.01, steps_per_epoch=len(data_loader), epochs=10
... )
>>> for epoch in range(10):
>>>     for batch in data_loader:
>>>         train_batch(...)
>>>         optimizer.step()
>>>         scheduler.step()
"""


def paste(page: Any, text: str) -> None:
    panel = page.locator("#import-panel")
    if panel.get_attribute("open") is None:
        page.locator("#import-panel > summary").click()
    page.fill("#import-text", text)


def test_pasted_code_asks_for_open_names_then_draws_a_curve(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("status of 422")
    open_app(page, server.url)
    before = len(traces(page))
    paste(page, ONE_CYCLE_DOCS)
    page.click("#import-run")
    batches = page.locator('#import-fields input[name="len(data_loader)"]')
    expect(batches).to_be_visible()
    expect(page.locator("#import-status")).to_contain_text("1 value")
    batches.fill("50")
    page.click("#import-run")
    expect(page.locator("#import-status")).to_contain_text("Imported (PyTorch)")
    page.wait_for_function(f"() => document.getElementById('chart').data.length > {before}")
    page.wait_for_function("() => document.body.dataset.state === 'idle'")
    screenshot(page, "import-panel")
    spec = server.post("/api/import", {"text": ONE_CYCLE_DOCS, "values": {"len(data_loader)": 50}})
    result = server.post("/api/schedule", spec["spec"])
    imported = [t for t in traces(page) if t["name"] and "Imported" in t["name"]]
    assert imported, [t["name"] for t in traces(page)]
    assert_trace(imported[0], result)


def test_an_error_names_its_line_in_chinese(page: Any, server: Server, watch: Watch) -> None:
    watch.allow("status of 422")
    open_app(page, server.url)
    page.select_option("#lang-select", "zh")
    paste(
        page,
        "opt = torch.optim.SGD(model.parameters(), lr=0.1)\nsched = StepLR(opt, step_size=0)\n",
    )
    expect(page.locator("#import-run")).to_have_text("导入为新曲线")
    page.click("#import-run")
    expect(page.locator("#import-messages li")).to_contain_text("第 2 行")


# transformers examples/pytorch/image-classification/README.md (ViT on beans)
BEANS = """python run_image_classification.py \\
    --dataset_name beans --output_dir ./beans_outputs/ --do_train \\
    --learning_rate 2e-5 --num_train_epochs 5 --per_device_train_batch_size 8
"""


def test_hf_arguments_ask_for_the_dataset_size_and_draw_hf_counts(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("status of 422")
    open_app(page, server.url)
    paste(page, BEANS)
    page.click("#import-run")
    size = page.locator('#import-fields input[name="dataset_size"]')
    expect(size).to_be_visible()
    size.fill("1034")
    page.click("#import-run")
    expect(page.locator("#import-status")).to_contain_text("Imported (HF flags)")
    page.wait_for_function("() => document.body.dataset.state === 'idle'")
    page.wait_for_function("() => document.getElementById('chart').data.length > 1")
    spec = server.post("/api/import", {"text": BEANS, "values": {"dataset_size": 1034}})
    result = server.post("/api/schedule", spec["spec"])
    assert result["num_steps"] == 5 * 130
    imported = [t for t in traces(page) if t["name"] and "Imported" in t["name"]]
    assert_trace(imported[0], result)
    # the imported curve is selected: its setup fills the "from my training setup" section
    expect(page.locator('#editor [data-role="setup-toggle"]')).to_be_checked()
    expect(field(page, "setup.dataset_size")).to_have_value("1034")
    counts = page.locator('#editor [data-role="setup-resolved"]')
    expect(counts.locator('[data-count="steps_per_epoch"] strong')).to_have_text("130")
