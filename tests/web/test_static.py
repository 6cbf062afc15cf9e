"""The page's files (``web/static``, package data), read without a browser: no inline
script, handler or eval (the CSP forbids them), every module preloaded, modules small,
every string the page uses in both language tables."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers.i18n_tables import table_text

FRONTEND = Path(__file__).resolve().parents[2] / "backend" / "lrscope" / "web" / "static"


def test_every_module_is_preloaded_and_no_inline_script_or_handler() -> None:
    html = (FRONTEND / "index.html").read_text()
    js = FRONTEND / "js"
    modules = sorted(p.relative_to(js).as_posix() for p in js.rglob("*.js"))
    preloaded = sorted(re.findall(r'rel="modulepreload" href="js/([\w/-]+\.js)"', html))
    assert preloaded == sorted(m for m in modules if m != "main.js")
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "inline <script>"
    for path in [FRONTEND / "index.html", *(FRONTEND / "js").rglob("*.js")]:
        text = path.read_text()
        assert re.search(r"\son[a-z]+\s*=\s*[\"']", text) is None, f"inline handler in {path.name}"
        assert "eval(" not in text and "new Function" not in text, path.name
        assert ".innerHTML" not in text, f"{path.name}: use textContent"
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", ""), path.name
        assert "https://" not in text, f"{path.name} refers to another site"


def test_modules_stay_small() -> None:
    for path in (FRONTEND / "js").rglob("*.js"):
        lines = path.read_text().count("\n")
        assert lines < 400, f"{path.name} has {lines} lines"


def _string_keys(language: str) -> set[str]:
    text = table_text(language)
    return set(re.findall(r'^\s+"([\w.]+)":', text, flags=re.MULTILINE))


def test_every_string_the_ui_uses_exists_in_english_and_chinese() -> None:
    used: set[str] = set()
    html = (FRONTEND / "index.html").read_text()
    used |= set(re.findall(r'data-i18n(?:-label|-title)?="([\w.]+)"', html))
    for path in (FRONTEND / "js").rglob("*.js"):
        text = path.read_text()
        used |= set(re.findall(r'\bt\(\s*"([\w.]+)"', text))
        used |= set(re.findall(r'\bi18n(?:Label|Title)?: "([\w.]+)"', text))
    # Keys built at run time: `unit.${unit}`, `metric.${knob}`, `notice.${reason}`, ...
    used |= {"unit.epoch", "unit.step", "notice.corrupt", "notice.version", "notice.unknown"}
    used |= {f"metric.{k}" for k in ["seed", "initial", "final", "decay_steps", "noise"]}
    tasks = ["overfit", "spirals", "moons", "sine"]
    statuses = ["queued", "running", "completed", "early_stopped", "cancelled", "failed"]
    used |= {f"train.{kind}.{t}" for kind in ("task", "taskShort", "taskHint") for t in tasks}
    used |= {f"train.status.{s}" for s in [*statuses, "interrupted", "loading", "missing"]}
    used |= {"train.linear", "train.log"}
    english, chinese = _string_keys("en"), _string_keys("zh")
    assert used - english == set()
    assert english - chinese == set()
    # What only Chinese needs: docs and messages that English takes from the server.
    extra = {key.split(".")[0] for key in chinese - english}
    assert extra <= {"param", "summary", "server"}, extra
