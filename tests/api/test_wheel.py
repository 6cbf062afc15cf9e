"""A built wheel, installed on its own, serves the whole page (not only a clone does)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_a_wheel_installed_alone_serves_the_page(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
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
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("lrscope-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "lrscope/web/static/index.html" in names
    assert any(n.startswith("lrscope/web/static/js/") and n.endswith(".js") for n in names)

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

    sock_port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "lrscope", "serve", "--port", str(sock_port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    url = f"http://127.0.0.1:{sock_port}"
    try:
        deadline = time.monotonic() + 90
        while f"lrscope is running at {url}/" not in log.read_text():
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        status, page = _get(url + "/")
        assert status == 200 and b'<script type="module"' in page, page[:300]
        status, module = _get(url + "/js/main.js")
        assert status == 200 and b"import" in module
        status, plotly = _get(url + "/vendor/plotly.min.js")
        assert status == 200 and len(plotly) > 1_000_000
    finally:
        server.terminate()
        server.wait(timeout=20)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
