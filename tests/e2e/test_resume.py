"""The resume control: a curve stopped after a step and resumed (``"resume"`` in its spec,
carried by share links) is drawn over its uninterrupted run, with a cross at each step
where they part, in English and Chinese.

The case is pytorch issue #60265's: StepLR resumed by rebuilding the scheduler (only the
optimizer's state loaded) starts its schedule over; loading both state_dicts, as torch's
own ``test_step_lr_state_dict`` (test/optim/test_lrscheduler.py) requires, changes nothing.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
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

STEP = {"scheduler": {"type": "StepLR", "step_size": 3, "gamma": 0.5}, "epochs": 12}
WORDS = {
    "en": {"resumed": "resumed", "uninterrupted": "uninterrupted", "departs": "departs",
           "section": "Resume from a checkpoint", "rebuild": "starts over"},
    "zh": {"resumed": "恢复后", "uninterrupted": "不中断", "departs": "偏离",
           "section": "从检查点恢复", "rebuild": "调度从头开始"},
}  # fmt: skip


def by_suffix(page: Any, words: dict[str, str]) -> dict[str, dict[str, Any]]:
    out = {}
    for trace in traces(page):
        for role in ("resumed", "uninterrupted", "departs"):
            if trace["name"].endswith(f" · {words[role]}"):
                out[role] = trace
    return out


def selected_spec(page: Any) -> dict[str, Any]:
    state = link_state(page)
    return state["c"][state["i"]]["s"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rebuild_departs_state_dict_agrees_and_the_link_keeps_it(
    page: Any, server: Server, lang: str
) -> None:
    words = WORDS[lang]
    state = {"v": 1, "c": [{"n": "step", "k": "#1f77b4", "a": 0, "s": STEP}], "i": 0, "l": lang}
    open_app(page, server.url, encode_link(state))
    assert len(traces(page)) == 1  # off by default
    section = page.locator("#editor .resume")
    page.locator('#editor [data-role="resume-toggle"]').check()
    wait_idle(page)
    field(page, "resume.at_step").fill("4")
    wait_idle(page)
    assert selected_spec(page)["resume"] == {"at_step": 4, "how": "rebuild"}
    expect(page.locator("#editor")).to_contain_text(words["section"])
    expect(section).to_contain_text(words["rebuild"])

    shown = by_suffix(page, words)
    resumed = server.post("/api/schedule", selected_spec(page))
    plain = server.post("/api/schedule", {**STEP})
    assert (shown["resumed"]["x"], shown["resumed"]["y"]) == drawn(
        resumed["epoch"], resumed["groups"][0]["lr"]
    )
    assert (shown["uninterrupted"]["x"], shown["uninterrupted"]["y"]) == drawn(
        plain["epoch"], plain["groups"][0]["lr"]
    )
    assert shown["resumed"]["y"] != shown["uninterrupted"]["y"]
    # Rebuilt after step 4, StepLR counts its 3 steps afresh from step 5: it halves at
    # step 8 and 11 instead of 6 and 9, so the rate departs at steps 6, 7, 9 and 10.
    parts = [6, 7, 9, 10]
    lr, plain_lr = resumed["groups"][0]["lr"], plain["groups"][0]["lr"]
    assert [s for s in range(12) if lr[s] != plain_lr[s]] == parts
    assert shown["departs"]["x"] == parts
    assert page.locator("#warnings li.warning").count() >= 1
    screenshot(page, f"resume-rebuild-{lang}")

    section.locator('input[data-how="state_dict"]').check()
    wait_idle(page)
    shown = by_suffix(page, words)
    assert shown["resumed"]["y"] == shown["uninterrupted"]["y"]
    assert "departs" not in shown

    hash_ = encode_link(link_state(page))
    page.goto("about:blank")
    open_app(page, server.url, hash_)
    expect(page.locator('#editor [data-role="resume-toggle"]')).to_be_checked()
    expect(section.locator('input[data-how="state_dict"]')).to_be_checked()
    assert selected_spec(page)["resume"] == {"at_step": 4, "how": "state_dict"}
    assert set(by_suffix(page, words)) == {"resumed", "uninterrupted"}


# Per step, so the job (moons: 300 samples, batch 30, 10 steps an epoch) may resume anywhere.
PER_STEP = {
    "scheduler": {"type": "StepLR", "step_size": 8, "gamma": 0.5},
    "interval": "step",
    "epochs": 3,
    "steps_per_epoch": 10,
    "resume": {"at_step": 13, "how": "rebuild"},
}


def test_a_training_run_resumes_as_the_curve_does(page: Any, server: Server) -> None:
    state = {"v": 1, "c": [{"n": "step", "k": "#1f77b4", "a": 0, "s": PER_STEP}], "i": 0}
    open_app(page, server.url, encode_link(state))
    form = page.locator("#train-panel")
    form.get_by_label("Task").select_option("moons")
    form.get_by_label("Batch size").fill("30")
    form.get_by_label("Epochs", exact=True).fill("3")
    form.get_by_role("button", name="Start run").click()
    row = page.locator(".run-row[data-run-id]").first
    expect(row).to_have_attribute("data-status", "completed", timeout=60_000)
    with urllib.request.urlopen(f"{server.url}/api/jobs/{row.get_attribute('data-run-id')}") as r:
        job = json.loads(r.read())
    request = job["start"]["schedule_request"]  # what the job's rates follow
    assert job["spec"]["resume"] == request["resume"] == PER_STEP["resume"]
    steps = job["series"]["steps"]
    curve = server.post("/api/schedule", {**request, "max_points": 0})
    assert steps["groups"][0]["lr"] == [curve["groups"][0]["lr"][s] for s in steps["step"]]
    plain = server.post("/api/schedule", {**PER_STEP, "resume": None, "max_points": 0})
    assert steps["groups"][0]["lr"] != [plain["groups"][0]["lr"][s] for s in steps["step"]]
