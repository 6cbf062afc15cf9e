"""Training jobs on a two-node Ray cluster (``ray.cluster_utils.Cluster`` on this machine,
one CPU a node), reached by its address as a real deployment's is: two one-CPU jobs run at
once, so on both nodes, and a job's events are the bare loop's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lrscope.catalog import default_catalog
from lrscope.settings import Limits
from lrscope.training.loop import run_to_end
from lrscope.training.spec import parse_train_spec, resolve_train
from tests.helpers.jobs import LONG, QUICK, read_to_done
from tests.helpers.ray_jobs import NO_RAY, all_step_at_once, ray_settings

ray = pytest.importorskip("ray", reason=NO_RAY)

from ray.cluster_utils import Cluster  # noqa: E402

from lrscope.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.ray
NODE: dict[str, Any] = {"num_cpus": 1, "object_store_memory": 80 * 1024 * 1024}


@pytest.fixture(scope="module")
def two_nodes() -> Iterator[Cluster]:
    cluster = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
    cluster.add_node(**NODE)
    yield cluster
    cluster.shutdown()


def test_two_jobs_run_at_once_on_two_one_cpu_nodes(tmp_path: Path, two_nodes: Cluster) -> None:
    settings = ray_settings(tmp_path, workers=2, ray_address=two_nodes.address)
    with TestClient(create_app(settings)) as client:
        assert ray.is_initialized()  # the server connected to the cluster as a driver
        assert sum(node["Alive"] for node in ray.nodes()) == 2
        assert client.get("/api/health").json()["status"] == "ok"
        # Each job needs a whole CPU and each node has one: both stepping means both nodes.
        all_step_at_once(client, LONG, 2, "both jobs to step")
        job = client.post("/api/jobs", json=QUICK).json()["id"]
        with client.websocket_connect(f"/ws/jobs/{job}") as ws:
            served = read_to_done(ws)
    assert not ray.is_initialized()  # the server disconnected as it stopped
    plan = resolve_train(parse_train_spec(QUICK), default_catalog(), Limits())
    assert [{k: v for k, v in e.items() if k != "seq"} for e in served[2:]] == run_to_end(plan)
