"""compose.yaml (a Ray head, a Ray worker and lrscope) and the Dockerfile it builds: no
Docker engine runs here, so their structure is checked, with what each service is given."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from lrscope.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def command(service: str) -> list[str]:
    cmd = SERVICES[service]["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else list(cmd)


def test_three_services_from_one_image_built_with_the_ray_extra() -> None:
    assert set(SERVICES) == {"ray-head", "ray-worker", "lrscope"}
    for service in SERVICES.values():
        assert service["build"]["context"] == "."
        assert service["build"]["args"]["EXTRAS"] == "ray"
        assert service["environment"]["RAY_USAGE_STATS_ENABLED"] == "0"
        # One token for every node and the driver, from the shell, required (Ray >= 2.59).
        assert service["environment"]["RAY_AUTH_MODE"] == "token"
        assert service["environment"]["RAY_AUTH_TOKEN"].startswith("${RAY_AUTH_TOKEN:?")
    assert len({s["image"] for s in SERVICES.values()}) == 1


def test_the_dockerfile_installs_the_extras_it_is_given() -> None:
    assert re.search(r'^ARG EXTRAS=""$', DOCKERFILE, re.M)
    assert 'pip install ".${EXTRAS:+[${EXTRAS}]}"' in DOCKERFILE
    extra = re.search(r"^ray = \[(.+)\]$", (ROOT / "pyproject.toml").read_text(), re.M)
    assert extra is not None and '"ray' in extra.group(1)


def test_the_head_and_the_worker_form_one_cluster() -> None:
    head, worker = command("ray-head"), command("ray-worker")
    assert head[:3] == ["ray", "start", "--head"] and "--port=6379" in head
    assert "--num-cpus=0" in head  # the head runs no job
    assert "--block" in head and "--block" in worker
    assert worker[:2] == ["ray", "start"] and "--address=ray-head:6379" in worker
    assert SERVICES["ray-worker"]["depends_on"]["ray-head"]["condition"] == "service_healthy"
    assert "healthcheck" in SERVICES["ray-head"]


def test_lrscope_joins_the_cluster_and_runs_its_jobs_on_ray() -> None:
    lrscope = SERVICES["lrscope"]
    script = command("lrscope")[-1]
    joins, serves = script.split("&&")
    assert shlex.split(joins)[:3] == ["ray", "start", "--address=ray-head:6379"]
    assert "--num-cpus=0" in joins
    assert shlex.split(serves)[:3] == ["exec", "lrscope", "serve"]
    env = {k: str(v) for k, v in lrscope["environment"].items() if k.startswith("LRSCOPE_")}
    settings = Settings.from_env(env)
    assert settings.job_backend == "ray" and settings.ray_address == "ray-head:6379"
    assert settings.workers >= 1
    assert lrscope["ports"] == ["8000:8000"]
    assert lrscope["volumes"][0].endswith(":/data")
    assert set(COMPOSE["volumes"]) == {lrscope["volumes"][0].split(":")[0]}
