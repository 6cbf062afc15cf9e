"""The seed's story end to end in one page, as a student walks it, in English and Chinese
(issue 9's "Done when"): the default curve over-fits the demo task; each remedy (weight
decay, L1, dropout 0.5, early stopping, input noise) lowers the final validation loss, with
the same numbers the API gives for the same spec; the runs compare on one chart and by a
link; the LR finder's suggestion goes into the editor; a spirals run's decision boundary
moves from one epoch to the next. A screenshot of each step goes to /tmp/shots-story."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.test_boundary import FRAME, wait_epoch_past
from tests.e2e.test_compare import legend_names
from tests.e2e.test_compare import traces as run_traces
from tests.e2e.test_i18n import table
from tests.e2e.test_teach import DEFAULT
from tests.e2e.test_train import WAIT_MS, api_job, curves_link, panel, run_ids, wait_status
from tests.helpers.browser import Server, field, open_app
from tests.helpers.jobs import wait_for

SHOTS = Path("/tmp/shots-story")
UNFINISHED = ("queued", "running")
# The remedies of the seed, as test_remedies.py gives them to the API: field -> value.
REMEDIES = {
    "regularization.weight_decay": "0.003",
    "regularization.l1": "0.0003",
    "regularization.dropout": "0.5",
    "early_stopping": "on",
    "regularization.input_noise": "0.2",
}
# How the loss chart sits in its box: Plotly's drawing, the legend and the plot area.
CHART_BOX = """() => {
  const gd = document.getElementById('train-chart');
  const box = (selector) => gd.querySelector(selector).getBoundingClientRect();
  return {height: gd.clientHeight, drawn: box('.main-svg').height,
          legendBottom: box('.legend').bottom, plotTop: box('.nsewdrag').top,
          plotHeight: box('.nsewdrag').height};
}"""
LABELS = {
    "regularization.weight_decay": "train.weightDecay",
    "regularization.l1": "train.l1",
    "regularization.dropout": "train.dropout",
    "early_stopping": "train.earlyStopping",
    "regularization.input_noise": "train.inputNoise",
}


def shot(page: Any, name: str, part: Any = None) -> None:
    SHOTS.mkdir(exist_ok=True)
    if part is not None:
        part.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def start(page: Any, words: dict[str, str], task: str, epochs: str = "") -> str:
    """Start a run with the form as it stands, on `task`; wait for its row; its id."""
    form = panel(page)
    before = set(run_ids(page))
    form.get_by_label(words["train.task"], exact=True).select_option(task)
    form.get_by_label(words["train.epochs"], exact=True).fill(epochs)
    form.get_by_role("button", name=words["train.start"]).click()
    page.wait_for_function(
        "(n) => document.querySelectorAll('.run-row[data-run-id]').length > n", arg=len(before)
    )
    (new,) = set(run_ids(page)) - before
    return new


def set_remedy(page: Any, words: dict[str, str], chosen: str | None) -> None:
    """Only remedy `chosen` on (None: none), through the labels the student reads."""
    form = panel(page)
    for path, value in REMEDIES.items():
        control = form.get_by_label(words[LABELS[path]], exact=True)
        if path == "early_stopping":
            control.set_checked(path == chosen)
        else:
            control.fill(value if path == chosen else "")


def final_val(job: dict[str, Any]) -> float:
    """The validation loss a run ends with: its best when early stopping ended it."""
    done = job["done"]
    assert done["status"] in ("completed", "early_stopped"), done
    if done["status"] == "early_stopped":
        return float(done["best_val_loss"])
    return float(job["series"]["epochs"]["val_loss"][-1])


def same_as_the_api(server: Server, job: dict[str, Any]) -> None:
    """The API, given the spec the page ran, trains the same numbers."""
    spec = {k: v for k, v in job["spec"].items() if k != "steps_per_second"}
    again = server.post("/api/jobs", spec)["id"]
    wait_for(lambda: api_job(server.url, again)["status"] not in UNFINISHED, "the API's run", 120)
    theirs = api_job(server.url, again)
    assert theirs["status"] == job["status"]
    assert theirs["series"]["epochs"] == job["series"]["epochs"]
    assert theirs["series"]["steps"]["train_loss"] == job["series"]["steps"]["train_loss"]


def overfit_and_remedies(page: Any, server: Server, words: dict[str, str], lang: str) -> list[str]:
    """Steps 1 and 2: the over-fitting run, then one run per remedy."""
    form = panel(page)
    form.get_by_label(words["train.fullSpeed"], exact=True).check()
    set_remedy(page, words, None)
    base = start(page, words, "overfit")
    wait_status(page, base, "completed")
    job = api_job(server.url, base)
    train, val = job["series"]["epochs"]["train_loss"][-1], job["series"]["epochs"]["val_loss"][-1]
    assert val > 2 * train, (train, val)  # over-fitting, by a clear margin
    assert final_val(job) == val
    shot(page, f"1-overfit-{lang}", form.locator(".train-plot"))
    ids = [base]
    for path in REMEDIES:
        set_remedy(page, words, path)
        run = start(page, words, "overfit")
        ids.append(run)
        wait_done(page, run)
        remedy = api_job(server.url, run)
        assert final_val(remedy) < final_val(job), (path, final_val(remedy), final_val(job))
        same_as_the_api(server, remedy)
    same_as_the_api(server, job)
    set_remedy(page, words, None)
    shot(page, f"2-remedies-{lang}", form.locator(".train-plot"))
    return ids


def wait_done(page: Any, run: str) -> None:
    page.wait_for_function(
        "(id) => ['completed', 'early_stopped'].includes(document.querySelector("
        '`.run-row[data-run-id="${id}"]`)?.dataset.status)',
        arg=run,
        timeout=WAIT_MS,
    )


def compare(page: Any, new_page: Any, context: Any, ids: list[str], lang: str) -> None:
    """Step 3: one chart, a legend entry per run, train and val of each; the link agrees."""
    page.wait_for_function(
        "(ids) => ids.every((id) => document.getElementById('train-chart').data"
        ".some((t) => t.meta.run === id && t.meta.kind === 'val'))",
        arg=ids,
        timeout=WAIT_MS,
    )
    found = run_traces(page)
    names = legend_names(page)
    assert len(names) == len(ids) == len(set(names)), names
    for run in ids:
        kinds = {t["kind"] for t in found if t["run"] == run}
        assert {"train", "val"} <= kinds, (run, kinds)
    shot(page, f"3-compare-{lang}", panel(page).locator(".train-plot"))
    well_drawn(page)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    words = table(lang)
    panel(page).get_by_role("button", name=words["train.copyCompare"]).click()
    expect(panel(page).get_by_role("button", name=words["train.copied"])).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert all(run in link for run in ids), link
    other = new_page()
    other.goto(link)
    for run in ids:
        other.wait_for_function(
            '(id) => document.querySelector(`.run-row[data-run-id="${id}"]`)?.dataset.status'
            " !== undefined",
            arg=run,
            timeout=WAIT_MS,
        )
    # Every trace with all its points: the chart redraws throttled as saved runs load, so
    # it can hold all its traces before their data.
    other.wait_for_function(
        """(lengths) => { const data = document.getElementById('train-chart').data || [];
            return data.length === lengths.length
                && data.every((t, i) => (t.x || []).length === lengths[i]); }""",
        arg=[len(t["x"]) for t in found],
        timeout=WAIT_MS,
    )
    if lang == "zh":
        other.select_option("#lang-select", "zh")
        other.wait_for_function(
            "(n) => document.querySelector(n).textContent.includes('学习率')",
            arg="#train-chart .legend .legendtext",
        )
    assert run_traces(other) == found
    assert legend_names(other) == names
    well_drawn(other)
    shot(other, f"3-compare-link-{lang}", panel(other).locator(".train-plot"))
    other.close()


def well_drawn(page: Any) -> None:
    """The chart fills its box (it grows a line per run), the legend sits above the plot
    and the plot keeps a readable height however many runs the legend names."""
    chart = page.evaluate(CHART_BOX)
    assert abs(chart["drawn"] - chart["height"]) <= 1, chart
    assert chart["legendBottom"] <= chart["plotTop"] + 1, chart
    assert chart["plotHeight"] >= 200, chart


def lr_finder(page: Any, server: Server, words: dict[str, str], lang: str) -> None:
    """Step 4: a short range test; "use this LR" puts the suggestion in the editor."""
    section = page.locator("section.range-test")
    section.get_by_label(words["range.steps"], exact=True).fill("60")
    section.get_by_role("button", name=words["range.start"]).click()
    expect(section.locator(".range-results")).to_be_visible(timeout=WAIT_MS)
    done = api_job(server.url, section.get_attribute("data-job-id"))["done"]
    suggested = {s["name"]: s["lr"] for s in done["suggestions"] if s["lr"] is not None}
    name = section.locator('.range-suggestion input[type="radio"]:checked').get_attribute("value")
    expected = float(f"{suggested[name]:.3g}")
    shown = section.locator(f'.range-suggestion[data-name="{name}"] .range-value').inner_text()
    assert float(shown) == expected
    shot(page, f"4-range-test-{lang}", section)
    section.get_by_role("button", name=words["range.use"]).click()
    page.wait_for_function(
        '(v) => Number(document.querySelector(`#editor [data-path="optimizer.lr"] input`)'
        "?.value) === v",
        arg=expected,
        timeout=WAIT_MS,
    )
    assert float(field(page, "optimizer.lr").input_value()) == expected
    expect(section.locator(".range-used")).to_contain_text(shown)
    shot(page, f"4-range-used-{lang}", section)


def boundary(page: Any, server: Server, words: dict[str, str], lang: str) -> None:
    """Step 5: a paced spirals run; the heatmap moves on from one epoch to the next."""
    form = panel(page)
    form.get_by_label(words["train.fullSpeed"], exact=True).uncheck()
    form.get_by_label(words["train.batchSize"], exact=True).fill("50")
    form.get_by_label(words["train.pace"], exact=True).fill("8")  # 8 steps an epoch: 8 s
    run = start(page, words, "spirals", epochs="8")
    # Until the spirals run's first frame arrives, the chart still shows the newest earlier
    # run that has one (an over-fitting run, of 40 points): wait for the spirals' 400 points.
    page.wait_for_function(
        f"() => {{ const f = ({FRAME})(); "
        "return f !== null && f.points.reduce((a, b) => a + b, 0) === 400; }",
        timeout=WAIT_MS,
    )
    first = wait_epoch_past(page, 0)  # drawn while the run streams
    wait_status(page, run, "completed")
    last = wait_epoch_past(page, 7)
    saved = api_job(server.url, run)["series"]["boundary"]
    frames = saved["z"]
    assert json.loads(first["z"]) == frames[saved["epoch"].index(first["epoch"])]
    assert json.loads(last["z"]) == frames[-1]
    # The heatmap's z changes between epochs (on most of them: a frame may repeat).
    changes = sum(a != b for a, b in itertools.pairwise(frames))
    assert changes >= len(frames) // 2, (changes, len(frames))
    expect(page.locator(".train-boundary h3")).to_have_text(words["train.boundary"])
    shot(page, f"5-boundary-{lang}", page.locator(".train-boundary"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_seed_story_in_one_page(
    page: Any, new_page: Any, context: Any, server: Server, lang: str
) -> None:
    words = table(lang)
    open_app(page, server.url, curves_link(("StepLR", DEFAULT)))
    page.set_viewport_size({"width": 1366, "height": 900})
    if lang == "zh":
        page.select_option("#lang-select", "zh")
        expect(page.locator("#range-title")).to_have_text(words["range.title"])
        # No remedy is left in English on the Chinese page (dropout was).
        english = table("en")
        assert [k for k in LABELS.values() if words[k] == english[k]] == []
    ids = overfit_and_remedies(page, server, words, lang)
    compare(page, new_page, context, ids, lang)
    lr_finder(page, server, words, lang)
    boundary(page, server, words, lang)
