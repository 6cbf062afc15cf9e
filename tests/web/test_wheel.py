"""A built wheel, installed on its own, serves the whole page (not only a clone does)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers.plotly_bundle import bundle_url
from tests.helpers.servers import serve_subprocess

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _source_copy(into: Path) -> Path:
    """What a wheel is built from, copied: setuptools builds in the source tree, and its
    build/ and *.egg-info left in the clone would reach ESLint and the next build."""
    into.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, into / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "backend", into / "backend", ignore=ignore)
    return into


def test_a_wheel_installed_alone_serves_the_page(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    source = _source_copy(tmp_path / "source")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("lrscope-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "lrscope/web/static/index.html" in names
    assert any(n.startswith("lrscope/web/static/js/") and n.endswith(".js") for n in names)
    bundle = bundle_url()  # the partial plotly.js the page loads, and its licence
    assert f"lrscope/web/static{bundle}" in names
    assert "lrscope/web/static/vendor/plotly.js-LICENSE.txt" in names

    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(site), "LRSCOPE_DATA_DIR": str(tmp_path / "data")}
    env["LRSCOPE_PREWARM_WORKERS"] = "false"
    where = subprocess.run(
        [sys.executable, "-c", "import lrscope; print(lrscope.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert where.startswith(str(site)), where  # the wheel's copy, not the clone's

    with serve_subprocess(
        tmp_path / "server.log", env=env, cwd=tmp_path, args=(), stop_within_s=20
    ) as server:
        status, page = server.get("/")
        assert status == 200 and b'<script type="module"' in page, page[:300]
        status, module = server.get("/js/main.js")
        assert status == 200 and b"import" in module
        status, plotly = server.get("/vendor/plotly.min.js")
        assert status == 200 and len(plotly) > 1_000_000
        status, partial = server.get(bundle)
        assert status == 200 and b"plotly.js (cartesian" in partial[:300]
