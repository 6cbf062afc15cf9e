"""Choosing the job backend (``training/jobs/factory.py``): local by default, Ray only when
asked and installed, a clear refusal otherwise; an executor that cannot start (an
unreachable Ray cluster) leaves the server up, its health degraded and new jobs a 503."""

from __future__ import annotations

import ast
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from lrscope.settings import Settings
from lrscope.training.jobs import factory
from lrscope.training.jobs.executor import ExecutorUnavailable
from lrscope.training.jobs.process_executor import ProcessExecutor
from tests.helpers.executors import UNREACHABLE, unavailable_answer

PACKAGE = Path(factory.__file__).resolve().parents[2]


def test_local_processes_are_the_default(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.job_backend == "local"
    assert isinstance(factory.make_job_backend(settings).executor, ProcessExecutor)


def test_an_unknown_backend_is_refused_by_name(tmp_path: Path) -> None:
    settings = Settings.from_env({"LRSCOPE_JOB_BACKEND": "slurm"}, data_dir=tmp_path)
    with pytest.raises(ExecutorUnavailable, match="LRSCOPE_JOB_BACKEND must be one of local, ray"):
        factory.make_job_backend(settings)


def test_ray_without_ray_installed_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails, as uninstalled
    monkeypatch.delitem(sys.modules, factory.RAY_MODULE, raising=False)
    settings = replace(Settings(data_dir=tmp_path), job_backend="ray")
    with pytest.raises(ExecutorUnavailable, match=r"pip install 'lrscope\[ray\]'"):
        factory.make_job_backend(settings)


def test_only_the_ray_executor_imports_ray() -> None:
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "ray" or n.startswith("ray.") for n in names):
                importers.add(path.relative_to(PACKAGE).as_posix())
    assert importers == {"training/jobs/ray_executor.py"}


def test_an_executor_that_cannot_start_degrades_health_and_refuses_jobs(tmp_path: Path) -> None:
    health, status, items = unavailable_answer(tmp_path)
    assert health["status"] == "degraded" and health["reason"] == UNREACHABLE
    assert status == 503
    assert items[0]["code"] == "job_backend_unavailable"
    assert UNREACHABLE in items[0]["msg"]
