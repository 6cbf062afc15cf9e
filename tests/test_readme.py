"""The README's examples work and its configuration table is complete."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lrscope.settings import Limits, Settings
from lrscope.web.app import create_app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
CURLS = re.findall(r"curl -s localhost:8000(/api/\w+) .*?-d '(.*?)'", README, re.S)


def test_readme_has_curl_examples() -> None:
    assert len(CURLS) >= 4


@pytest.mark.parametrize(("path", "body"), CURLS, ids=[f"example{i}" for i in range(len(CURLS))])
def test_readme_curl_example_succeeds(path: str, body: str, tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path, prewarm_workers=False))) as client:
        response = client.post(path, json=json.loads(body))
        if path == "/api/jobs":
            assert response.status_code == 202, response.text
            job = client.get(f"/api/jobs/{response.json()['id']}").json()
            assert job["spec"]["task"]["name"] == "overfit"
            return
        if path == "/api/short":
            assert response.status_code == 201, response.text
            opened = client.get(response.json()["path"], follow_redirects=False)
            assert opened.headers["location"] == "/" + json.loads(body)["state"]
            return
    assert response.status_code == 200, response.text
    if path == "/api/schedule":
        assert response.json()["groups"][0]["lr"]
    elif path == "/api/import":
        assert response.json()["spec"]["scheduler"]["type"] == "OneCycleLR"
    elif path == "/api/fit":
        answer = response.json()
        assert not answer["same_length"] and answer["train_schedule"]["num_steps"] == 10_000
        assert answer["rescaled"]["changes"][0]["to"] == 10  # step_size_up, as the text says
    else:
        assert "import torch" in response.json()["code"]


SKIPPED = {"static_dir", "limits", "cache_entries", "max_children", "max_list_length"}


@pytest.mark.parametrize(
    "name",
    sorted(({f.name for f in fields(Settings)} | {f.name for f in fields(Limits)}) - SKIPPED),
)
def test_setting_is_documented(name: str) -> None:
    assert f"LRSCOPE_{name.upper()}" in README
