"""POST /api/compare and GET /api/logs/{id}: the comparison, the stored series behind a
share link, and refusals at the field they name."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lrscope.settings import Limits, Settings
from lrscope.web.app import create_app
from tests.helpers.hf_runs import hf_spec, train_and_save
from tests.helpers.http import detail_of


@pytest.fixture(scope="module")
def hf_log(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = train_and_save(tmp_path_factory.mktemp("hf"), scheduler_steps_per_step=4)
    return path.read_text()


def test_compare_answers_and_stores_the_log_for_a_share_link(
    client: TestClient, hf_log: str
) -> None:
    body = {"spec": hf_spec("linear", 10, 60), "log": {"text": hf_log}}
    r = client.post("/api/compare", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["agree"] is False and out["format"] == "hf_trainer_state"
    assert out["first_divergence"]["step"] == 5
    assert out["diagnosis"]["cause"] == "scheduler_too_fast"
    assert out["diagnosis"]["params"]["factor"] == "4"
    assert out["warning_details"] == []
    stored = client.get(f"/api/logs/{out['log_id']}")
    assert stored.status_code == 200
    assert stored.json() == {"log_id": out["log_id"], **out["logged"]}


def test_an_unknown_log_id_is_a_404_the_page_can_word(client: TestClient) -> None:
    for key in ("0" * 20, "not-an-id"):
        (item,) = client.get(f"/api/logs/{key}").json()["detail"]
        assert item["code"] == "log_not_found" and item["loc"] == ["path", "log_id"]
    assert client.get("/api/logs/" + "0" * 20).status_code == 404


def test_a_malformed_log_is_a_422_at_log_text(client: TestClient) -> None:
    body = {"spec": hf_spec("linear", 10, 60), "log": {"text": '{"log_history": [\n  3]}'}}
    (item,) = detail_of(client.post("/api/compare", json=body))
    assert (item["loc"], item["code"]) == (["body", "log", "text"], "log_entry_not_object")


@pytest.mark.parametrize("text", ["!!not base64!!", "aGVsbG8=é", "日本"])
def test_base64_that_is_not_base64_is_a_422_at_log_base64(client: TestClient, text: str) -> None:
    # Found by schemathesis: a character beyond ASCII made b64decode raise ValueError (a 500).
    body = {"spec": hf_spec("linear", 10, 60), "log": {"base64": text}}
    (item,) = detail_of(client.post("/api/compare", json=body))
    assert (item["loc"], item["code"]) == (["body", "log", "base64"], "log_base64_invalid")


def test_a_bad_spec_is_a_422_under_spec(client: TestClient, hf_log: str) -> None:
    spec = {"scheduler": {"type": "StepLR", "step_size": 0}, "epochs": 10}
    (item,) = detail_of(client.post("/api/compare", json={"spec": spec, "log": {"text": hf_log}}))
    assert item["loc"] == ["body", "spec", "scheduler", "step_size"]
    body = {"spec": hf_spec("linear", 10, 60), "log": {"text": hf_log}, "group": 2}
    (item,) = detail_of(client.post("/api/compare", json=body))
    assert (item["loc"], item["code"]) == (["body", "group"], "log_group_missing")


def test_a_log_past_the_byte_cap_is_refused(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, limits=Limits(max_log_bytes=50)))
    body = {"spec": hf_spec("linear", 10, 60), "log": {"text": "Wall time,Step,Value\n" * 5}}
    (item,) = detail_of(TestClient(app).post("/api/compare", json=body))
    assert item["code"] == "log_too_large" and item["params"]["maximum"] == "50"
