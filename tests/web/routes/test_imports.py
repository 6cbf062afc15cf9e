"""POST /api/import over HTTP (``web/routes/imports.py``): the v1.1 contract, errors at
``values`` and at the text's line, and hostile or random text never a 500 or a hang."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from lrscope.settings import Settings
from lrscope.web.app import create_app
from tests.helpers.http import detail_of
from tests.importing.test_published import (
    HF_LOOP,
    HYDRA,
    LIGHTNING_CLI,
    LIGHTNING_DOCS,
    SPEECH_STREAMING,
)

TORCH_LOOP = """
import torch
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=0.1, epochs=num_epochs, steps_per_epoch=len(train_loader)
)
for epoch in range(num_epochs):
    for images, labels in train_loader:
        loss = criterion(model(images), labels)
        optimizer.step()
        scheduler.step()
"""


def post(client: TestClient, text: str, **values: Any) -> Any:
    return client.post("/api/import", json={"text": text, "values": values})


def test_the_brief_example_imports(client: TestClient) -> None:
    r = post(client, TORCH_LOOP, **{"len(train_loader)": 391, "num_epochs": 90})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"spec", "format", "warnings", "warning_details"}
    assert body["format"] == "pytorch" and body["warnings"] == []
    assert body["spec"] == {
        "scheduler": {"type": "OneCycleLR", "max_lr": 0.1, "epochs": 90, "steps_per_epoch": 391},
        "optimizer": {"type": "SGD", "lr": 0.1, "momentum": 0.9},
        "epochs": 90,
        "steps_per_epoch": 391,
        "interval": "step",
    }
    assert client.post("/api/schedule", json=body["spec"]).status_code == 200


def test_open_names_are_422s_at_values(client: TestClient) -> None:
    detail = detail_of(post(client, TORCH_LOOP))
    assert [d["loc"] for d in detail] == [
        ["body", "values", "num_epochs"],
        ["body", "values", "len(train_loader)"],
    ]
    assert detail[0]["params"]["line"] == "5"
    # the page writes the names back as typed; spacing does not matter
    detail = detail_of(post(client, TORCH_LOOP, **{"len( train_loader )": 391}))
    assert [d["loc"] for d in detail] == [["body", "values", "num_epochs"]]


def test_a_value_of_the_wrong_kind_is_refused_at_its_name(client: TestClient) -> None:
    (d,) = detail_of(post(client, TORCH_LOOP, num_epochs="ninety", **{"len(train_loader)": 3}))
    assert d["loc"] == ["body", "values", "num_epochs"]
    (d,) = detail_of(post(client, TORCH_LOOP, num_epochs=[90], **{"len(train_loader)": 3}))
    assert d["loc"] == ["body", "values", "num_epochs"] and d["code"] == "import_value_kind"


def test_a_text_value_used_in_arithmetic_is_refused_at_its_name(client: TestClient) -> None:
    text = "scheduler = StepLR(optimizer, step_size=args.step * 2)\n"
    (d,) = detail_of(post(client, text, **{"args.step": "x"}))
    assert d["loc"] == ["body", "values", "args.step"] and d["code"] == "import_value_not_number"
    assert d["params"]["line"] == "1"


def test_a_bad_value_in_the_text_names_its_line(client: TestClient) -> None:
    text = "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    text += "sched = torch.optim.lr_scheduler.StepLR(opt, step_size=0)\n"
    (d,) = detail_of(post(client, text))
    assert d["loc"] == ["body", "text"] and d["code"] == "import_invalid_value"
    assert (d["params"]["line"], d["params"]["field"]) == ("2", "scheduler.step_size")


def test_an_unreadable_construct_names_its_line_and_column(client: TestClient) -> None:
    text = "steps = [s for s in range(3)]\nsched = StepLR(opt, step_size=steps)\n"
    (d,) = detail_of(post(client, text))
    assert d["code"] == "import_unreadable"
    assert (d["params"]["line"], d["params"]["column"]) == ("1", "9")


def test_python_syntax_errors_name_the_line(client: TestClient) -> None:
    (d,) = detail_of(post(client, "import torch\nscheduler = StepLR(opt, step_size=3\n"))
    assert d["code"] == "import_unreadable" and d["params"]["line"] in ("2", "3")


@pytest.mark.parametrize(
    "text, fmt",
    [(SPEECH_STREAMING, "hf_args"), (LIGHTNING_CLI, "lightning_cli"), (HYDRA, "hydra")],
)
def test_each_format_over_http(client: TestClient, text: str, fmt: str) -> None:
    r = post(client, text)
    assert r.status_code == 200, r.text
    assert r.json()["format"] == fmt


def test_nothing_in_the_text_runs(client: TestClient, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = (
        f"open({str(marker)!r}, 'w').write('x')\n"
        f"sched = LambdaLR(opt, lr_lambda=lambda e: __import__('os').system('touch {marker}'))\n"
        "for epoch in range(3):\n    sched.step()\n"
    )
    (d,) = detail_of(post(client, text))
    assert d["code"] == "import_unreadable" and d["params"]["line"] == "2"
    assert not marker.exists()


def test_caps_on_size_and_nesting(client: TestClient) -> None:
    assert detail_of(post(client, "x" * 200_001))[0]["code"] == "import_too_large"
    deep = "sched = StepLR(opt, step_size=" + "[" * 200 + "]" * 200 + ")"
    assert detail_of(post(client, deep))[0]["code"] == "import_too_deep"
    yaml_deep = "lr_scheduler:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 400))
    assert post(client, yaml_deep).status_code == 422


SNIPPETS = [TORCH_LOOP, HF_LOOP, LIGHTNING_DOCS, LIGHTNING_CLI, HYDRA, SPEECH_STREAMING]


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    data = tmp_path_factory.mktemp("runs")
    return TestClient(create_app(Settings(data_dir=data)))


def _mutate(text: str, seed: int) -> str:
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            del chars[i]
        elif op < 0.8:
            chars.insert(i, rng.choice("()[]{}:=,.\n \t'\"#\\*-0123456789eabc$_"))
        else:
            j = rng.randrange(len(chars))
            chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, len(SNIPPETS) - 1), seed=st.integers(0, 2**32 - 1))
def test_mutated_published_snippets_never_fail_the_server(
    shared_client: TestClient, index: int, seed: int
) -> None:
    r = post(shared_client, _mutate(SNIPPETS[index], seed), num_epochs=3)
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        detail_of(r)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), values=st.dictionaries(st.text(max_size=20), st.integers()))
def test_random_text_never_fails_the_server(
    shared_client: TestClient, text: str, values: dict[str, int]
) -> None:
    r = shared_client.post("/api/import", json={"text": text, "values": values})
    assert r.status_code in (200, 422), r.text


def test_a_number_run_into_a_name_is_refused_whatever_the_warning_filters(
    client: TestClient,
) -> None:
    # Python parses `1if x else 2` with a SyntaxWarning (an error under -W error)
    (d,) = detail_of(post(client, "x = 1if y else 2\ns = StepLR(opt, step_size=x)\n"))
    assert d["code"] == "import_unreadable" and (d["params"]["line"], d["params"]["column"]) == (
        "1",
        "6",
    )
