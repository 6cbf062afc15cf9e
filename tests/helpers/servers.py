"""The app on a real server: in a thread of the test process (``InThreadServer``), or as
``lrscope serve`` in a subprocess (``serve_subprocess``), each on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from lrscope.settings import Settings
from lrscope.web.app import create_app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class InThreadServer:
    """The app on a real uvicorn server in a thread, on a free port."""

    def __init__(self, settings: Settings, send_buffer: int | None = None) -> None:
        self.app = create_app(settings)
        self._socket = socket.socket()
        if send_buffer is not None:  # accepted sockets inherit it (and lose autotuning)
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", timeout_graceful_shutdown=5)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def __enter__(self) -> InThreadServer:
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join()
        self._socket.close()


class ServerFailed(AssertionError):
    """``lrscope serve`` exited, or never said it was ready; the message holds its log."""


@dataclass
class ServedProcess:
    """A running ``lrscope serve``: its URL, its process and the file its output goes to."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()

    def get(self, path: str) -> tuple[int, bytes]:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.status, response.read()


@contextmanager
def serve_subprocess(
    log_path: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    args: Sequence[str] = ("--host", "127.0.0.1"),
    python: str = sys.executable,
    ready_within_s: float = 90,
    stop_within_s: float = 10,
    port: int | None = None,
) -> Iterator[ServedProcess]:
    """``python -m lrscope serve <args> --port <free port>``, its output in ``log_path``.

    The README promises that ``lrscope serve`` prints its URL once it is ready: this waits
    for that line, then the first request (``/api/health``) must succeed with no retry.
    On leaving, the server is terminated (killed if it does not stop in time). ``env``
    replaces the environment (default: this process's); raises ``ServerFailed`` with the
    log if the server exits or never announces itself. ``port``: a fixed one (a restart on
    the same address); default: a free one.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [python, "-m", "lrscope", "serve", *args, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ if env is None else env),
            cwd=cwd,
        )
    served = ServedProcess(url, process, log_path)
    try:
        announcement = f"lrscope is running at {url}/"
        deadline = time.monotonic() + ready_within_s
        while announcement not in served.log():
            if process.poll() is not None:
                raise ServerFailed(f"the server exited with {process.returncode}:\n{served.log()}")
            if time.monotonic() > deadline:
                raise ServerFailed(f"the server never printed its URL:\n{served.log()}")
            time.sleep(0.1)
        status, _ = served.get("/api/health")
        assert status == 200, served.log()
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=stop_within_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
