"""The "from my training setup" panel: the run length from a setup, the counts the server
resolved, pitfall overlays drawn with the API's values, in English and Chinese.

The setup is a Hugging Face Trainer run of 50 000 samples, batch 32 on each of 4 devices,
accumulation 2, 3 epochs: 1563 batches, 391 a process, 196 updates an epoch, 588 steps
(transformers' ``num_update_steps_per_epoch`` arithmetic, tested in
``tests/recipes/test_setup_counts.py`` against its Trainer).
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import (
    Server,
    drawn,
    encode_link,
    field,
    link_state,
    open_app,
    screenshot,
    traces,
    wait_idle,
)

COSINE = {"scheduler": {"type": "CosineAnnealingLR", "T_max": 588}, "interval": "step"}
SETUP = {"dataset_size": 50000, "batch_size": 32, "devices": 4, "grad_accum": 2, "epochs": 3}


def start(page: Any, server: Server) -> None:
    spec = {**COSINE, "epochs": 3, "steps_per_epoch": 196}
    state = {"v": 1, "c": [{"n": "cosine", "k": "#1f77b4", "a": 0, "s": spec}], "i": 0}
    open_app(page, server.url, encode_link(state))


def selected_spec(page: Any) -> dict[str, Any]:
    state = link_state(page)
    return state["c"][state["i"]]["s"]


def fill_setup(page: Any) -> None:
    page.locator('#editor [data-role="setup-toggle"]').check()
    wait_idle(page)
    field(page, "setup.framework").select_option("hf")
    for name, value in SETUP.items():
        if name != "epochs":
            field(page, f"setup.{name}").fill(str(value))
    field(page, "setup.epochs").fill("3")
    wait_idle(page)


def test_the_setup_sets_the_run_length_and_shows_the_counts(page: Any, server: Server) -> None:
    start(page, server)
    fill_setup(page)
    spec = selected_spec(page)
    assert spec["setup"] == {**SETUP, "drop_last": False, "framework": "hf"}
    assert "epochs" not in spec and "steps_per_epoch" not in spec
    counts = page.locator('#editor [data-role="setup-resolved"]')
    expect(counts.locator('[data-count="steps_per_epoch"] strong')).to_have_text("196")
    expect(counts.locator('[data-count="total_steps"] strong')).to_have_text("588")
    expect(counts.locator('[data-count="micro_batches_per_epoch"] strong')).to_have_text("391")
    assert len(traces(page)[0]["y"]) > 0
    # Turning the setup off keeps the run length it resolved to.
    page.locator('#editor [data-role="setup-toggle"]').uncheck()
    wait_idle(page)
    spec = selected_spec(page)
    assert "setup" not in spec and (spec["epochs"], spec["steps_per_epoch"]) == (3, 196)


def test_a_pitfall_overlay_draws_the_apis_curve(page: Any, server: Server) -> None:
    start(page, server)
    fill_setup(page)
    assert len(traces(page)) == 1
    page.locator('#editor [data-pitfall="per_process"]').check()
    wait_idle(page)
    shown = traces(page)
    assert len(shown) == 2
    answer = server.post("/api/schedule", selected_spec(page))
    (per_process,) = [p for p in answer["setup"]["pitfalls"] if p["name"] == "per_process"]
    x, y = drawn(answer["epoch"], per_process["groups"][0]["lr"])
    assert (shown[1]["x"], shown[1]["y"]) == (x, y)
    assert shown[1]["color"] == shown[0]["color"]
    screenshot(page, "setup-panel-overlay")
    page.locator('#editor [data-pitfall="per_process"]').uncheck()
    wait_idle(page)
    assert len(traces(page)) == 1


def test_the_panel_speaks_chinese(page: Any, server: Server) -> None:
    start(page, server)
    fill_setup(page)
    page.locator("#lang-select").select_option("zh")
    wait_idle(page)
    section = page.locator("#editor .setup")
    expect(section).to_contain_text("按我的训练设置计算步数")
    expect(section).to_contain_text("每个 epoch 的优化器步数")
    expect(section).to_contain_text("每个进程各步进一次（4 倍）")
    screenshot(page, "setup-panel-zh")
