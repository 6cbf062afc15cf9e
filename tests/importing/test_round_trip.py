"""The code export re-imports to the same run: for every scheduler case of the exporter's
tests, every scheduler's plain spec and every preset of the page, ``/api/code``'s script read
back by ``/api/import`` gives a spec whose curve is torch's same curve, bit for bit, and whose
own export is the same script."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lrscope.catalog import default_catalog
from lrscope.codegen import render
from lrscope.engine import evaluate
from lrscope.importing import import_text
from lrscope.settings import Limits
from lrscope.spec import RunSpec
from lrscope.validation import resolve_run
from tests.codegen.test_script import CASES
from tests.helpers.specs import SCHEDULERS

PRESETS_JS = Path(__file__).resolve().parents[2] / "backend/lrscope/web/static/js/core/presets.js"


def _presets() -> dict[str, dict[str, Any]]:
    node = shutil.which("node")
    assert node is not None, "node runs the page's own preset table"
    script = f"import {{ PRESETS }} from {json.dumps(PRESETS_JS.as_uri())};"
    script += "console.log(JSON.stringify(PRESETS.map((p) => [p.id, p.spec])));"
    out = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    return {f"preset:{pid}": spec for pid, spec in json.loads(out.stdout)}


RUNS: dict[str, dict[str, Any]] = {
    **{f"case:{k}": v for k, v in CASES.items()},
    **{
        f"plain:{k}": {"scheduler": v, "epochs": 40, "steps_per_epoch": 2}
        for k, v in SCHEDULERS.items()
    },
    **_presets(),
}


def _code(spec: dict[str, Any]) -> str:
    run = RunSpec.model_validate(spec)
    return render(run, resolve_run(run, default_catalog(), Limits()))


def test_every_scheduler_and_preset_is_covered() -> None:
    types = {r["scheduler"]["type"] for r in RUNS.values()}
    assert set(SCHEDULERS) <= types
    assert sum(k.startswith("preset:") for k in RUNS) >= 5


def _entries(spec: dict[str, Any]) -> list[tuple[Any, ...]]:
    """A Loop's entries with their defaults filled (the same spec, however it was written)."""
    return [
        (e["scheduler"], e["interval"], e.get("every", 1), e.get("begin", 0), e.get("end"))
        for e in spec["scheduler"].get("schedulers", [])
        if spec["scheduler"]["type"] == "Loop"
    ]


@pytest.mark.parametrize("name", sorted(RUNS))
def test_exported_code_imports_to_the_same_run(name: str) -> None:
    spec = RUNS[name]
    code = _code(spec)
    imported = import_text(code, {}, default_catalog(), Limits())
    assert imported["format"] == "pytorch"
    again = imported["spec"]
    assert _code(again) == code
    assert _entries(again) == _entries(spec)
    want = evaluate({**spec, "max_points": 0})
    got = evaluate({**again, "max_points": 0})
    assert got["groups"] == want["groups"]
    assert got["x"] == want["x"]
