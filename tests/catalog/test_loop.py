"""Schedulers outside ``lr_scheduler.__all__`` (SWALR, from ``torch.optim.swa_utils``)
discovered the same way as the others, and the Loop composite described beside them
(``catalog/loop.py``), as the page sees them through ``GET /api/schedulers``."""

from __future__ import annotations

import inspect

from fastapi.testclient import TestClient
from torch.optim import lr_scheduler, swa_utils


def test_swalr_is_discovered_from_swa_utils(client: TestClient) -> None:
    by_name = {s["name"]: s for s in client.get("/api/schedulers").json()["schedulers"]}
    assert "SWALR" not in lr_scheduler.__all__  # so only the swa_utils search can find it
    swa = by_name["SWALR"]
    assert not swa["composite"] and not swa["needs_metric"] and swa["step_unit"] == "epoch"
    params = {p["name"]: p for p in swa["params"]}
    signature = inspect.signature(swa_utils.SWALR).parameters
    assert set(params) == set(signature) - {"optimizer", "last_epoch"}  # from the signature
    assert params["swa_lr"]["required"] and params["swa_lr"]["per_group"]
    assert params["anneal_epochs"]["type"] == "integer" and params["anneal_epochs"]["minimum"] == 0
    assert params["anneal_epochs"]["default"] == signature["anneal_epochs"].default
    assert params["anneal_strategy"]["enum"] == ["cos", "linear"]
    assert all(p["description"] for p in params.values())


def test_the_loop_is_described_for_the_page(client: TestClient) -> None:
    cat = client.get("/api/schedulers").json()
    loop = cat["loop"]
    assert loop["name"] == "Loop"
    assert "Loop" not in {s["name"] for s in cat["schedulers"]}  # not a torch class
    fields = {p["name"]: p for p in loop["entry_params"]}
    assert list(fields) == ["scheduler", "interval", "every", "begin", "end"]
    assert fields["interval"]["enum"] == ["epoch", "step"] and fields["interval"]["required"]
    assert (fields["every"]["default"], fields["every"]["minimum"]) == (1, 1)
    assert (fields["begin"]["default"], fields["begin"]["minimum"]) == (0, 0)
    assert fields["end"]["nullable"] and fields["end"]["default"] is None
    assert "run-level interval is refused" in loop["rules"]
