"""The page's Chinese table covers what the running server can show: every scheduler and
optimizer parameter of this torch's catalog, every optimizer summary, and every message
code the server lists (errors and warnings)."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import Server

I18N = (
    Path(__file__).resolve().parents[2] / "backend" / "lrscope" / "web" / "static" / "js" / "i18n"
)


def table(language: str) -> dict[str, str]:
    text = (I18N / f"{language}.js").read_text()
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
    messages = catalog(server).get("messages")
    if messages is None:
        pytest.skip("this server does not list its message codes yet (catalog `messages`)")
    zh = table("zh")
    assert messages, "the server lists no message codes"
    assert sorted(code for code in messages if f"server.{code}" not in zh) == []
    # A template uses only the placeholders the English one has.
    for code, english in messages.items():
        ours = set(re.findall(r"\{(\w+)\}", zh[f"server.{code}"]))
        assert ours <= set(re.findall(r"\{(\w+)\}", english)), code
