"""Remake docs/screenshot.png: the README's picture of the page, from a real server and
Debian's Chromium. Usage: .venv/bin/python scripts/screenshot.py"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
WARMUP_COSINE = {
    "scheduler": {
        "type": "SequentialLR",
        "milestones": [500],
        "schedulers": [
            {"type": "LinearLR", "start_factor": 0.01, "total_iters": 500},
            {"type": "CosineAnnealingLR", "T_max": 4500, "eta_min": 1e-5},
        ],
    },
    "optimizer": {"type": "AdamW", "lr": 0.003},
    "epochs": 50,
    "steps_per_epoch": 100,
    "interval": "step",
}
ONE_CYCLE = {
    "scheduler": {"type": "OneCycleLR", "max_lr": 0.003},
    "optimizer": {"type": "AdamW", "lr": 0.003},
    "epochs": 50,
    "steps_per_epoch": 100,
}
READY = "() => document.body.dataset.state === 'idle' && document.getElementById('chart').data"
VIEW = {
    "v": 1,
    "c": [
        {"n": "warmup + cosine", "k": "#1f77b4", "a": 0, "s": WARMUP_COSINE},
        {"n": "OneCycleLR", "k": "#d62728", "a": 0, "s": ONE_CYCLE},
    ],
    "i": 0,
    "x": "epoch",
    "y": "linear",
    "l": "en",
}


def main() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = tempfile.mkdtemp(prefix="lrscope-shot-")
    server = subprocess.Popen(
        [sys.executable, "-m", "lrscope", "serve", "--port", str(port)],
        env={**os.environ, "LRSCOPE_DATA_DIR": data},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        for line in server.stdout:  # the URL line means it is ready
            if "lrscope is running at" in line:
                break
        link = base64.urlsafe_b64encode(json.dumps(VIEW).encode()).decode().rstrip("=")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"http://127.0.0.1:{port}/#s={link}")
            page.wait_for_function(READY)
            time.sleep(0.5)  # let Plotly finish its transition
            page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
