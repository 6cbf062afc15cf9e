"""compose.yaml's three services run here as what Docker would run: each service's own
command, as three Ray nodes of one cluster on this machine (no Docker engine runs here), and
lrscope's jobs run on the worker node, the only one that offers CPUs.

Each service gets its environment from the file, ``${RAY_AUTH_TOKEN:?...}`` filled in as a
shell would (the cluster's token: without it Ray 2.59 and newer refuse the worker). What a
container gives for free is given by hand: "ray-head" is 127.0.0.1, the head's GCS port and
each node's dashboard-agent port are free ports (three nodes share one host's ports), and
lrscope's node is started with ``--block`` so that stopping it here stops it."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers.jobs import QUICK, read_events, run_async
from tests.helpers.ray_jobs import NO_RAY
from tests.helpers.servers import free_port, serve_subprocess
from tests.test_compose import SERVICES, command

pytest.importorskip("ray", reason=NO_RAY)
pytestmark = pytest.mark.ray
RAY = str(Path(sys.executable).with_name("ray"))
START_WAIT = "RAY_raylet_start_wait_time_s"


def environment(service: str, shell: dict[str, str]) -> dict[str, str]:
    """The service's environment as compose gives it: ``${NAME}`` and ``${NAME:?message}``
    taken from ``shell``, on top of ``shell``."""
    given = {}
    for name, value in SERVICES[service]["environment"].items():
        wanted = re.fullmatch(r"\$\{(\w+)(?::\?[^}]*)?\}", str(value))
        given[name] = shell[wanted.group(1)] if wanted else str(value)
    return {**shell, **given}


def on_this_machine(args: list[str], head: str) -> list[str]:
    """A service's ``ray start`` as it runs beside the others on one host."""
    port = head.rpartition(":")[2]
    args = [a.replace("ray-head:6379", head).replace("--port=6379", f"--port={port}") for a in args]
    extra = [] if "--head" in args else [f"--dashboard-agent-listen-port={free_port()}"]
    return [RAY, *args[1:], *extra]


@contextlib.contextmanager
def node(args: list[str], log: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def wait_for_nodes(address: str, count: int, env: dict[str, str], logs: list[Path]) -> None:
    """Until ``ray status`` at ``address`` counts ``count`` alive nodes (at most 180 s)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = subprocess.run(
            [RAY, "status", f"--address={address}"], capture_output=True, text=True, env=env
        )
        if status.returncode == 0 and status.stdout.count("node_") >= count:
            return
        time.sleep(1)
    raise AssertionError(
        f"{count} nodes never joined:\n{status.stdout}{status.stderr}"
        + "".join(log.read_text(errors="replace")[-2000:] for log in logs if log.exists())
    )


def test_the_three_services_run_a_job_on_the_worker_node(tmp_path: Path) -> None:
    head = f"127.0.0.1:{free_port()}"
    # A longer start-up wait than Ray's 10 s, for a machine shared with other work.
    shell = {**os.environ, "RAY_AUTH_TOKEN": secrets.token_hex(32), START_WAIT: "120"}
    env = environment("ray-head", shell)
    assert env["RAY_AUTH_MODE"] == "token" and env["RAY_USAGE_STATS_ENABLED"] == "0"
    joins, serves = command("lrscope")[-1].split("&&")
    logs = [tmp_path / f"{name}.log" for name in ("head", "worker", "lrscope-node")]
    head_cmd = on_this_machine(command("ray-head"), head)
    worker_cmd = on_this_machine(command("ray-worker"), head)
    lrscope_node = on_this_machine([*shlex.split(joins), "--block"], head)
    assert shlex.split(serves)[:3] == ["exec", "lrscope", "serve"]
    lrscope_env = environment("lrscope", shell)
    server_env = {
        **lrscope_env,
        "LRSCOPE_RAY_ADDRESS": head,
        "LRSCOPE_DATA_DIR": str(tmp_path / "data"),
    }
    with node(head_cmd, logs[0], env):
        wait_for_nodes(head, 1, env, logs)
        # One node at a time: two raylets registering at once on a busy 2-core machine can
        # miss Ray's start-up wait (machines of their own, as compose's are, would not).
        with node(worker_cmd, logs[1], environment("ray-worker", shell)):
            wait_for_nodes(head, 2, env, logs)
            with node(lrscope_node, logs[2], lrscope_env):
                wait_for_nodes(head, 3, env, logs)
                serve_a_job(tmp_path, server_env)


def serve_a_job(tmp_path: Path, server_env: dict[str, str]) -> None:
    """lrscope served as compose serves it; one job posted runs to its end."""
    log = tmp_path / "server.log"
    served = serve_subprocess(log, env=server_env, ready_within_s=240, stop_within_s=60)
    with served as server, httpx.Client(base_url=server.url, timeout=60) as http:
        assert http.get("/api/health").json()["status"] == "ok"
        r = http.post("/api/jobs", json=QUICK)
        assert r.status_code == 202, r.text
        socket = f"{server.url.replace('http', 'ws', 1)}/ws/jobs/{r.json()['id']}"
        done = run_async(read_events(socket))[-1]
        # lrscope's node and the head offer no CPU: the one-CPU task ran on the worker.
        assert done["type"] == "done" and done["status"] == "completed", done
