"""The page's Chinese table covers what the running server can show: every scheduler and
optimizer parameter of this torch's catalog, every optimizer summary, and every message
code the server lists (errors and warnings)."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import Server, Watch, encode_link, field, open_app, screenshot
from tests.helpers.i18n_tables import table_text


def table(language: str) -> dict[str, str]:
    text = table_text(language)
    pairs = re.findall(r'^\s+("[\w.]+"): (".*"),$', text, flags=re.MULTILINE)
    return {json.loads(key): json.loads(value) for key, value in pairs}


def catalog(server: Server) -> Any:
    with urllib.request.urlopen(server.url + "/api/schedulers", timeout=30) as response:
        return json.loads(response.read())


def test_every_parameter_of_the_catalog_has_a_chinese_doc(server: Server) -> None:
    zh = table("zh")
    found = catalog(server)
    missing = [
        f"{s['name']}.{p['name']}"
        for s in found["schedulers"]
        for p in s["params"]
        if f"param.{s['name']}.{p['name']}" not in zh
    ]
    missing += [
        f"{o['name']}.{p['name']}"
        for o in found["optimizers"]
        for p in o["params"]
        if f"param.{o['name']}.{p['name']}" not in zh and f"param.optimizer.{p['name']}" not in zh
    ]
    missing += [
        f"summary.{o['name']}" for o in found["optimizers"] if f"summary.{o['name']}" not in zh
    ]
    assert missing == []
    # Each scheduler has our own explanation (what, when, formula) in both languages.
    for language in ("en", "zh"):
        words = table(language)
        lacking = [
            s["name"] for s in found["schedulers"] if f"explain.{s['name']}.what" not in words
        ]
        assert lacking == [], language


def test_every_server_message_code_has_a_chinese_template(server: Server) -> None:
    messages = catalog(server)["messages"]
    zh = table("zh")
    assert messages, "the server lists no message codes"
    assert sorted(code for code in messages if f"server.{code}" not in zh) == []
    # A template uses only the params the English one has, and `value` (the language-
    # neutral token sent beside every English `got`, "the text 'abc'").
    for code, english in messages.items():
        ours = set(re.findall(r"\{(\w+)\}", zh[f"server.{code}"]))
        theirs = set(re.findall(r"\{(\w+)\}", english))
        assert ours <= theirs | ({"value"} if "got" in theirs else set()), code
        assert "got" not in ours, f"{code}: quote the value with {{value}}, not English {{got}}"


# Identifiers (scheduler, optimizer and parameter names, units) may stay as they are;
# two English words in a row may not.
IDENTIFIER = re.compile(r"\b(?:[A-Za-z]+[_\d]\w*|[A-Z][a-z\d]*[A-Z]\w*|[A-Z]{2,}\w*)\b")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,})+\b")


def english_runs(text: str) -> list[str]:
    return ENGLISH_RUN.findall(IDENTIFIER.sub("·", text))


def test_the_english_check_finds_sentences_but_not_identifiers() -> None:
    assert english_runs("必须大于 0，当前为 -1e-05 · OneCycleLR max_lr · MLP 16×2 · 5 s") == []
    assert english_runs("scheduler.gamma: must be greater than 0") == ["must be greater than"]


def zh_link(*curves: tuple[str, dict[str, Any]]) -> str:
    entries = [{"n": name, "k": "#1f77b4", "s": spec} for name, spec in curves]
    return encode_link({"v": 1, "c": entries, "i": 0, "l": "zh"})


def visible_text(page: Any, selector: str) -> str:
    return "\n".join(page.locator(selector).all_inner_texts())


STEADY = {
    "scheduler": {"type": "LambdaLR", "lr_lambda": "1"},
    "optimizer": {"type": "SGD", "lr": 0.05, "momentum": 0.9},
    "epochs": 3,
}
EXPLODING = {**STEADY, "optimizer": {"type": "SGD", "lr": 1e30}}


def start_zh_run(page: Any, curve: str) -> Any:
    form = page.locator("#train-panel")
    form.get_by_label("调度（曲线）").select_option(label=curve)
    form.get_by_label("任务").select_option("moons")
    before = page.locator(".run-row").count()
    form.get_by_role("button", name="开始训练").click()
    expect(page.locator(".run-row")).to_have_count(before + 1)
    return page.locator(".run-row").last


def test_the_chinese_page_words_field_errors_and_finished_runs_in_chinese(
    page: Any, server: Server
) -> None:
    open_app(page, server.url, zh_link(("steady", STEADY), ("exploding", EXPLODING)))
    # A value the page refuses itself, in the server's number format.
    field(page, "optimizer.lr").fill("-0.00001")
    error = page.locator('#editor [data-path="optimizer.lr"] .field-error')
    expect(error).to_contain_text("-1e-05")
    field(page, "optimizer.lr").fill("0.05")
    done = start_zh_run(page, "steady")
    expect(done.locator(".run-status")).to_have_text("已完成", timeout=60_000)
    failed = start_zh_run(page, "exploding")
    expect(failed.locator(".run-status")).to_have_text("失败", timeout=60_000)
    # The divergence is worded in Chinese, with what to try (training/divergence.py).
    expect(failed.locator(".run-message")).to_contain_text("训练损失在第 1 步变成了 nan")
    expect(failed.locator(".run-message")).to_contain_text("请试试")
    field(page, "optimizer.lr").fill("-0.00001")
    screenshot(page, "lrscope-zh-train")
    texts = {
        "field error": error.inner_text(),
        "banner": visible_text(page, "#warnings"),
        "runs": visible_text(page, "#train-panel .run-list"),
        "form": visible_text(page, "#train-panel .train-form"),
    }
    assert {where: english_runs(text) for where, text in texts.items()} == {
        where: [] for where in texts
    }, texts


def test_the_chinese_page_words_the_servers_errors_and_warnings_in_chinese(
    page: Any, server: Server, watch: Watch
) -> None:
    watch.allow("status of 422")
    growing = {"scheduler": {"type": "ExponentialLR", "gamma": 1.1}, "epochs": 3}
    upside_down = {
        "scheduler": {"type": "CyclicLR", "base_lr": 0.1, "max_lr": 0.01, "step_size_up": 5},
        "epochs": 3,
    }
    open_app(page, server.url, zh_link(("growing", growing), ("inverted", upside_down)))
    expect(page.locator("#warnings .warning")).to_have_count(1)
    page.locator(".curve-row").nth(1).click()
    error = page.locator('#editor [data-path="scheduler.max_lr"] .field-error')
    expect(error).to_be_visible()
    screenshot(page, "lrscope-zh-server-messages")
    texts = {"field error": error.inner_text(), "banner": visible_text(page, "#warnings")}
    assert {where: english_runs(text) for where, text in texts.items()} == {
        where: [] for where in texts
    }, texts
