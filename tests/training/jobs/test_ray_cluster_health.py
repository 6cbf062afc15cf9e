"""A Ray cluster whose head offers no CPUs and whose one worker node offers one, reached by
its address (``ray.cluster_utils.Cluster`` on this machine): paced jobs take only the share
of a CPU their pace needs, so several run at once on one CPU; and when the worker node goes,
health says so and new jobs get a 503 until it is back (the executor's heartbeat)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.settings import Settings
from tests.helpers.jobs import LONG, wait_for
from tests.helpers.ray_jobs import NO_RAY, all_step_at_once, ray_settings

ray = pytest.importorskip("ray", reason=NO_RAY)

from ray.cluster_utils import Cluster  # noqa: E402

from lrscope.training.jobs import ray_executor  # noqa: E402
from lrscope.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.ray
STORE: dict[str, Any] = {"object_store_memory": 80 * 1024 * 1024}
PACED = {**LONG, "steps_per_second": 20}  # ~3% of a core (caps.cpu_share): asks for 0.05


@pytest.fixture(scope="module")
def one_cpu() -> Iterator[Cluster]:
    head = {"num_cpus": 0, "include_dashboard": False, **STORE}
    cluster = Cluster(initialize_head=True, head_node_args=head)
    cluster.add_node(num_cpus=1, **STORE)
    yield cluster
    cluster.shutdown()


def test_a_paced_job_asks_ray_for_its_share_of_a_cpu() -> None:
    settings = Settings()
    assert ray_executor.ray_cpus(settings, LONG) == 1.0
    assert ray_executor.ray_cpus(settings, PACED) == pytest.approx(0.05)
    assert ray_executor.ray_cpus(settings, {**LONG, "steps_per_second": 10_000}) == 1.0
    no_paced_pool = Settings(paced_workers=0)  # paced jobs are then like any other
    assert ray_executor.ray_cpus(no_paced_pool, PACED) == 1.0


def test_three_paced_jobs_run_at_once_on_one_cpu(tmp_path: Path, one_cpu: Cluster) -> None:
    settings = ray_settings(tmp_path, workers=1, ray_address=one_cpu.address)
    with TestClient(create_app(settings)) as client:
        # With a whole CPU each, the one CPU would run one of them and hold two back.
        all_step_at_once(client, PACED, 3, "all three jobs to step")


def test_health_is_degraded_while_the_cluster_has_no_cpu_for_jobs(
    tmp_path: Path, one_cpu: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ray_executor, "HEARTBEAT_S", 0.5)
    settings = ray_settings(tmp_path, workers=1, ray_address=one_cpu.address)
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/health").json()["status"] == "ok"
        (worker,) = [node for node in one_cpu.list_all_nodes() if node is not one_cpu.head_node]
        one_cpu.remove_node(worker)

        def health() -> dict[str, Any]:
            answer: dict[str, Any] = client.get("/api/health").json()
            return answer

        wait_for(lambda: health()["status"] == "degraded", "health to see the node gone")
        assert "offers a CPU" in health()["reason"]
        refused = client.post("/api/jobs", json=LONG)
        assert refused.status_code == 503
        assert refused.json()["detail"][0]["code"] == "job_backend_unavailable"
        one_cpu.add_node(num_cpus=1, **STORE)
        wait_for(lambda: health()["status"] == "ok", "health to see a node back")
        assert client.post("/api/jobs", json=LONG).status_code == 202
