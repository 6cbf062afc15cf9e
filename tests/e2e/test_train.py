"""The Train panel: start runs from curves, watch them stream, stop, compare, share,
and survive a dropped connection and a server restart."""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.helpers.browser import (
    LAPTOP,
    PHONE,
    Server,
    Watch,
    encode_link,
    field,
    open_app,
    screenshot,
)
from tests.helpers.servers import free_port, serve_subprocess

SGD = {"type": "SGD", "lr": 0.05, "momentum": 0.9}
CONSTANT = {"scheduler": {"type": "LambdaLR", "lr_lambda": "1"}, "optimizer": SGD, "epochs": 30}
WARMUP_COSINE = {
    "scheduler": {
        "type": "SequentialLR",
        "schedulers": [
            {"type": "LinearLR", "start_factor": 0.01, "total_iters": 3},
            {"type": "CosineAnnealingLR", "T_max": 27},
        ],
        "milestones": [3],
    },
    "optimizer": SGD,
    "epochs": 30,
}
# A run that takes about a minute unless stopped (moons, batch 4: 75 steps an epoch).
# How long a wait may last before it fails: generous, because a shared 2-core machine can
# run a job several times slower than an idle one (a bound, not a timing assertion).
WAIT_MS = 120_000
SLOW = {
    "scheduler": {"type": "StepLR", "step_size": 300, "gamma": 0.5},
    "optimizer": {"type": "SGD", "lr": 0.01, "momentum": 0.9},
    "epochs": 1000,
}

TRACE_LENGTH = """([id, kind]) => {
  const gd = document.getElementById('train-chart');
  const trace = (gd.data || []).find((t) => t.meta && t.meta.run === id && t.meta.kind === kind);
  return trace ? trace.x.length : 0;
}"""
PROGRESS = """(id) => document.querySelector(`.run-row[data-run-id="${id}"] progress`).value"""


def curves_link(*curves: tuple[str, dict[str, Any]]) -> str:
    return encode_link(
        {
            "v": 1,
            "c": [
                {"n": name, "k": color, "s": spec}
                for (name, spec), color in zip(
                    curves, ["#1f77b4", "#d62728", "#2ca02c"], strict=False
                )
            ],
            "i": 0,
        }
    )


def panel(page: Any) -> Any:
    return page.locator("#train-panel")


def start_run(
    page: Any, *, task: str = "overfit", batch: int = 8, epochs: int | None = None
) -> str:
    """Fill the form and start a run from the curve chosen in it; return the run's id."""
    form = panel(page)
    before = set(run_ids(page))
    form.get_by_label("Task").select_option(task)
    form.get_by_label("Batch size").fill(str(batch))
    form.get_by_label("Epochs", exact=True).fill("" if epochs is None else str(epochs))
    form.get_by_role("button", name="Start run").click()
    page.wait_for_function(
        "(n) => document.querySelectorAll('.run-row[data-run-id]').length > n", arg=len(before)
    )
    (new,) = set(run_ids(page)) - before
    return new


def run_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(".run-row", "rows => rows.map(r => r.dataset.runId)")


def row(page: Any, run_id: str) -> Any:
    return page.locator(f'.run-row[data-run-id="{run_id}"]')


def trace_length(page: Any, run_id: str, kind: str) -> int:
    return int(page.evaluate(TRACE_LENGTH, [run_id, kind]))


def wait_trace_longer(page: Any, run_id: str, kind: str, than: int) -> None:
    page.wait_for_function(
        f"(args) => ({TRACE_LENGTH})([args[0], args[1]]) > args[2]",
        arg=[run_id, kind, than],
        timeout=WAIT_MS,
    )


def wait_status(page: Any, run_id: str, status: str) -> None:
    expect(row(page, run_id)).to_have_attribute("data-status", status, timeout=WAIT_MS)


def api_job(url: str, run_id: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/api/jobs/{run_id}", timeout=30) as response:
        return dict(json.loads(response.read()))


def test_a_run_streams_points_and_can_be_stopped(page: Any, server: Server) -> None:
    open_app(page, server.url, curves_link(("slow", SLOW)))
    run = start_run(page, task="moons", batch=4)
    wait_trace_longer(page, run, "train", 1)
    first, progress = trace_length(page, run, "train"), page.evaluate(PROGRESS, run)
    wait_trace_longer(page, run, "train", first)  # points keep arriving
    page.wait_for_function(f"(id) => ({PROGRESS})(id) > {progress}", arg=run, timeout=WAIT_MS)
    expect(row(page, run)).to_have_attribute("data-status", "running")
    expect(row(page, run).locator(".run-name")).to_have_text("slow · lr 0.01 · moons")
    # Both read in one task: points keep streaming between two separate reads.
    lr, train = page.evaluate(
        f"(id) => [({TRACE_LENGTH})([id, 'lr']), ({TRACE_LENGTH})([id, 'train'])]", run
    )
    assert lr == train

    page.get_by_role("button", name="Stop “slow · lr 0.01 · moons”").click()
    wait_status(page, run, "cancelled")
    expect(row(page, run).locator(".run-status")).to_have_text("cancelled")
    expect(page.get_by_role("button", name="Stop “slow · lr 0.01 · moons”")).to_be_hidden()
    assert api_job(server.url, run)["status"] == "cancelled"


def test_two_runs_overlay_and_a_link_reopens_them(
    page: Any, new_page: Any, context: Any, server: Server
) -> None:
    open_app(
        page, server.url, curves_link(("constant", CONSTANT), ("warmup + cosine", WARMUP_COSINE))
    )
    first = start_run(page)
    panel(page).get_by_label("Schedule (curve)").select_option(label="warmup + cosine")
    second = start_run(page)
    for run in (first, second):
        wait_status(page, run, "completed")
    page.wait_for_function(f"() => ({TRACE_LENGTH})(['{second}', 'val']) === 30")
    traces = page.evaluate(
        """() => document.getElementById('train-chart').data.map(t => ({
            run: t.meta.run, kind: t.meta.kind, dash: t.line.dash || 'solid',
            color: t.line.color, yaxis: t.yaxis || 'y', n: t.x.length}))"""
    )
    kinds = {(t["run"], t["kind"]) for t in traces}
    assert kinds == {
        (r, k) for r in (first, second) for k in ("raw", "train", "valRaw", "val", "lr")
    }
    assert {t["dash"] for t in traces if t["kind"] in ("val", "valRaw")} == {"dash"}
    assert {t["yaxis"] for t in traces if t["kind"] == "lr"} == {"y2"}
    assert len({t["color"] for t in traces}) == 2  # one colour per run
    names = page.eval_on_selector_all(".run-name", "els => els.map(e => e.textContent)")
    assert names == [
        "constant · lr 0.05 · over-fitting",
        "warmup + cosine · lr 0.05 · over-fitting",
    ]

    panel(page).locator(".train-plot").scroll_into_view_if_needed()
    screenshot(page, "lrscope-train-laptop")
    page.set_viewport_size(PHONE)
    panel(page).locator(".train-plot").scroll_into_view_if_needed()
    page.wait_for_function("() => document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "lrscope-train-phone")
    page.set_viewport_size(LAPTOP)

    # Smoothing off: no faint raw trace; the loss axis can be logarithmic.
    panel(page).get_by_label("Smoothing", exact=True).fill("0")
    panel(page).get_by_label("Log", exact=True).check()
    page.wait_for_function(
        "() => document.getElementById('train-chart').layout.yaxis.type === 'log' && "
        "!document.getElementById('train-chart').data.some(t => t.meta.kind.endsWith('aw'))"
    )

    # The page's address lists both runs: opened elsewhere, it shows both, finished.
    assert re.search(rf"[?&]run={first}:[^,]+,{second}:", page.url)
    other = new_page()
    other.goto(page.url)
    for run in (first, second):
        wait_status(other, run, "completed")
    other.wait_for_function(f"() => ({TRACE_LENGTH})(['{first}', 'train']) > 0")
    for run in (first, second):
        for kind in ("train", "val", "lr"):
            assert trace_length(other, run, kind) == trace_length(page, run, kind)

    # One run's own link: just that run, with its exact schedule in the editor.
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.bring_to_front()  # the clipboard API wants the focused page
    page.get_by_role(
        "button", name="Copy a link to “warmup + cosine · lr 0.05 · over-fitting”"
    ).click()
    page.wait_for_function("() => document.querySelector('.run-copied')")
    link = page.evaluate("navigator.clipboard.readText()")
    third = new_page()
    third.goto(link)
    wait_status(third, second, "completed")
    assert run_ids(third) == [second]
    expect(third.locator(".curve-name")).to_have_value("warmup + cosine · lr 0.05 · over-fitting")
    expect(field(third, "scheduler")).to_have_value("SequentialLR")


def test_a_dropped_connection_resumes_without_repeating_events(page: Any, server: Server) -> None:
    routes: list[Any] = []
    urls: list[str] = []

    def proxy(ws: Any) -> None:
        urls.append(ws.url)
        routes.append((ws, ws.connect_to_server()))

    page.route_web_socket(re.compile(r"/ws/jobs/"), proxy)
    open_app(page, server.url, curves_link(("slow", {**SLOW, "epochs": 40})))
    run = start_run(page, task="moons", batch=4)
    wait_trace_longer(page, run, "train", 5)
    to_page, to_server = routes[-1]
    to_page.close(code=1001, reason="going away")  # as a proxy or a restarting server would
    to_server.close()
    wait_status(page, run, "completed")
    assert len(urls) >= 2 and urls[0].endswith("?after=-1")
    resumed_after = int(urls[1].rsplit("after=", 1)[1])
    assert resumed_after >= 5  # it asked only for what it had not seen

    job = api_job(server.url, run)
    last_seq = int(row(page, run).get_attribute("data-last-seq") or -1)
    assert last_seq == job["last_seq"]
    # Every event exactly once: as many received as there are, and no point drawn twice.
    assert int(row(page, run).get_attribute("data-received") or 0) == last_seq + 1
    assert trace_length(page, run, "train") == len(job["series"]["steps"]["step"])
    assert trace_length(page, run, "val") == len(job["series"]["epochs"]["epoch"]) == 40


BUSY = "the job queue is full."


def test_form_errors_sit_next_to_their_fields(page: Any, server: Server, watch: Watch) -> None:
    watch.allow("status of 422")
    watch.allow("status of 429")
    too_short = {
        **WARMUP_COSINE,
        "scheduler": {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 5},
    }
    open_app(page, server.url, curves_link(("one cycle", too_short)))
    form = panel(page)
    form.get_by_label("Dropout").fill("1.5")
    form.get_by_role("button", name="Start run").click()
    dropout_error = form.locator('[data-path="regularization.dropout"] .field-error')
    expect(dropout_error).to_contain_text("less than 1")
    expect(form.get_by_label("Dropout")).to_have_attribute("aria-invalid", "true")
    # The curve's own mistakes are shown under the curve picker, naming the curve.
    form.get_by_label("Dropout").fill("0")
    form.get_by_role("button", name="Start run").click()
    curve_error = form.locator('[data-path="curve"] .field-error')
    expect(curve_error).to_contain_text("From the curve “one cycle”, scheduler")
    expect(dropout_error).to_be_hidden()
    assert run_ids(page) == []

    page.route(
        "**/api/jobs",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "7", "Content-Type": "application/json"},
            body=json.dumps({"detail": [{"loc": [], "msg": BUSY, "type": "too_many_jobs"}]}),
        ),
    )
    form.get_by_label("Dropout").fill("0")
    form.get_by_role("button", name="Start run").click()
    expect(form.locator(".train-form > .issues")).to_have_text(
        "The server is busy: the job queue is full. Try again in 7 s."
    )


def test_the_panel_is_labelled_and_speaks_chinese(page: Any, server: Server) -> None:
    open_app(page, server.url, curves_link(("constant", CONSTANT)))
    run = start_run(page, epochs=5)
    wait_status(page, run, "completed")
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              '#train-panel input, #train-panel select, #train-panel button'))
            .filter((el) => el.offsetParent !== null && !(el.getAttribute('aria-label')
              || (el.labels && el.labels.length) || el.textContent.trim()))
            .map((el) => el.outerHTML.slice(0, 120))"""
    )
    assert unlabelled == []
    # Keyboard: tab from the curve picker through the form to the Start button.
    panel(page).get_by_label("Schedule (curve)").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('train-start')"):
            break
    else:
        raise AssertionError("Tab never reached the Start button")
    page.select_option("#lang-select", "zh")
    expect(page.locator("#train-title")).to_have_text("训练一个小网络")
    expect(row(page, run).locator(".run-status")).to_have_text("已完成")
    expect(panel(page).get_by_role("button", name="开始训练")).to_be_visible()


@contextmanager
def lrscope_server(port: int, data_dir: Path, log: Path) -> Iterator[None]:
    """`lrscope serve` on `port` with runs stored in `data_dir`; stopped with SIGTERM."""
    env = {**os.environ, "LRSCOPE_DATA_DIR": str(data_dir)}
    with serve_subprocess(log, env=env, port=port, stop_within_s=20):
        yield


def test_runs_survive_a_server_restart(new_page: Any, watch: Watch, tmp_path: Path) -> None:
    watch.allow("WebSocket connection to")  # the browser's note while the server is away
    port, data = free_port(), tmp_path / "data"
    url = f"http://127.0.0.1:{port}"
    page = new_page()
    with lrscope_server(port, data, tmp_path / "first.log"):
        open_app(page, url, curves_link(("constant", CONSTANT), ("slow", SLOW)))
        finished = start_run(page)
        wait_status(page, finished, "completed")
        panel(page).get_by_label("Schedule (curve)").select_option(label="slow")
        running = start_run(page, task="moons", batch=4)
        wait_trace_longer(page, running, "train", 0)
    # The server is gone: the page says so and keeps trying.
    expect(row(page, running).locator(".run-message")).to_contain_text("Connection lost")
    expect(row(page, running).locator(".run-progress-text")).not_to_contain_text("left")
    row(page, running).scroll_into_view_if_needed()
    screenshot(page, "lrscope-train-reconnecting")
    with lrscope_server(port, data, tmp_path / "second.log"):
        # It reconnects by itself and learns how the run ended.
        wait_status(page, running, "interrupted")
        assert api_job(url, running)["status"] == "interrupted"
        expect(row(page, running).locator(".run-message")).to_contain_text("The server stopped")
        reopened = new_page()
        reopened.goto(f"{url}/?run={finished}")
        wait_status(reopened, finished, "completed")
        reopened.wait_for_function(f"() => ({TRACE_LENGTH})(['{finished}', 'val']) === 30")
        expect(row(reopened, finished).locator(".run-name")).to_have_text(
            "LambdaLR · lr 0.05 · over-fitting"
        )


def test_the_run_form_follows_the_curve_being_edited(page: Any, server: Server) -> None:
    open_app(page, server.url)
    picker = panel(page).get_by_label("Schedule (curve)")
    page.click("#add-curve")  # a new curve is selected in the editor...
    field(page, "scheduler").select_option("CosineAnnealingLR")
    expect(picker.locator("option:checked")).to_have_text("CosineAnnealingLR")  # ...and here
    picker.select_option(label="StepLR")  # a choice made in the form stays...
    field(page, "scheduler.T_max").fill("7")
    expect(picker.locator("option:checked")).to_have_text("StepLR")
    page.locator(".curve-row").first.click()  # ...until another curve is selected
    page.locator(".curve-row").nth(1).click()
    expect(picker.locator("option:checked")).to_have_text("CosineAnnealingLR")


def test_the_run_form_shows_each_task_model_size(page: Any, server: Server) -> None:
    open_app(page, server.url)
    form = panel(page)
    sizes = json.loads(urllib.request.urlopen(server.url + "/api/schedulers").read())
    for task in ("overfit", "spirals"):
        form.get_by_label("Task").select_option(task)
        expected = sizes["training"]["tasks"][task]
        expect(form.get_by_label("Width")).to_have_attribute("placeholder", str(expected["width"]))
        expect(form.get_by_label("Hidden layers")).to_have_attribute(
            "placeholder", str(expected["depth"])
        )


def test_a_curve_whose_field_does_not_parse_is_not_trained(page: Any, server: Server) -> None:
    open_app(page, server.url)
    field(page, "scheduler.gamma").fill("xyz")  # the editor shows "not a number"
    form = panel(page)
    form.get_by_role("button", name="Start run").click()
    expect(form.locator('[data-path="curve"] .field-error')).to_contain_text(
        "scheduler.gamma: not a number"
    )
    assert run_ids(page) == []
