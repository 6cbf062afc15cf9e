"""The logged-run panel: load a real HF run's trainer_state.json, see it against the curve
(badge, first divergence, diagnosis, points on the chart), share it by link, in English
and Chinese; an evicted log's link says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import Server, Watch, encode_link, link_state, open_app, traces
from tests.helpers.hf_runs import hf_spec, train_and_save


@pytest.fixture(scope="module")
def four_devices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_and_save(tmp_path_factory.mktemp("hf"), scheduler_steps_per_step=4)


def wait_for_trace(page: Any, name: str) -> None:
    page.wait_for_function(
        f"() => document.getElementById('chart').data.some(t => t.name === {name!r})"
    )


def _link(lang: str = "en", log: str | None = None) -> str:
    curve = {"n": "HF linear", "k": "#1f77b4", "a": 0, "s": hf_spec("linear", 10, 60)}
    state: dict[str, Any] = {"v": 1, "c": [curve], "i": 0, "x": "step", "l": lang}
    if log:
        state["g"] = log
    return encode_link(state)


def test_a_log_file_is_compared_overlaid_and_shared(
    page: Any, new_page: Any, server: Server, four_devices: Path
) -> None:
    open_app(page, server.url, _link())
    page.set_input_files("#log-file", str(four_devices))
    badge = page.locator("#log-badge")
    expect(badge).to_have_text("Differs: 1 of 12 logged points match the selected curve")
    details = page.locator("#log-details")
    expect(details).to_contain_text("First divergence at step 5: logged 0.0004, predicted 0.00025")
    expect(details).to_contain_text("stepped 4 times per optimizer step")
    wait_for_trace(page, "logged")
    drawn = {t["name"]: t for t in traces(page)}
    assert drawn["logged"]["x"] == list(range(5, 61, 5))
    assert drawn["first divergence"]["x"] == [5] and drawn["first divergence"]["y"] == [0.0004]
    log_id = link_state(page)["g"]
    assert len(log_id) == 20

    shared = new_page()
    open_app(shared, server.url, _link("zh", log_id))
    from_link = "链接中的训练日志（12 个点）；重新加载文件即可比较"
    expect(shared.locator("#log-badge")).to_have_text(from_link)
    wait_for_trace(shared, "日志")
    shared.set_input_files("#log-file", str(four_devices))
    differs = "不一致：12 个记录点中只有 1 个与所选曲线吻合"
    expect(shared.locator("#log-badge")).to_have_text(differs)
    expect(shared.locator("#log-details")).to_contain_text("调度器每个优化器步被调用了 4 次")


def test_an_evicted_logs_link_says_it_cannot_show_it(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allowed.append("404")  # the browser logs the refused GET /api/logs/{id}
    open_app(page, server.url, _link(log="0" * 20))
    expect(page.locator("#log-details")).to_contain_text("has been evicted")
