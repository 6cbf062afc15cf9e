"""Fixtures every test may use, and the Hypothesis profiles.

Profiles: "dev" (the default: random examples, a local example database) and "ci"
(derandomized, no database: a CI run is reproducible from its commit alone). A non-empty
CI variable selects "ci"; HYPOTHESIS_PROFILE names one explicitly. A test's own ``@settings``
(deadline=None, max_examples, ...) still applies on top of the profile.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings

from lrscope.settings import Settings
from lrscope.web import security
from lrscope.web.app import create_app
from tests.helpers.messages import install


def pytest_configure(config: pytest.Config) -> None:
    install()  # every error and warning a test meets has a registered code and params


# "dev" says derandomize=False itself: Hypothesis's own defaults turn derandomizing on
# wherever a CI variable is set, even an empty one.
settings.register_profile("dev", derandomize=False)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(autouse=True)
def _testclient_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starlette's TestClient sends ``Host: testserver``: a name the Host allow-list
    (web/security.py) answers to in tests only. tests/web/middleware/test_trusted_host.py
    checks the list itself."""
    monkeypatch.setattr(security, "LOCAL_NAMES", security.LOCAL_NAMES | {"testserver"})


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    """A test client on an app whose runs live in a temporary directory."""
    return TestClient(create_app(Settings(data_dir=tmp_path)))
