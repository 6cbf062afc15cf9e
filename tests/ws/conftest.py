"""Settings that keep the job tests short and their data in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from lrscope.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        workers=1,
        queue_size=2,
        jobs_per_client=4,
        cancel_grace_s=2.0,
        prewarm_workers=False,
        frontend_dir=tmp_path,
    )
