"""Settings: from the environment (``LRSCOPE_*``), a command-line flag beating its variable."""

from __future__ import annotations

from pathlib import Path

from lrscope.settings import Settings


def test_settings_from_env_and_flags(tmp_path: Path) -> None:
    env = {
        "LRSCOPE_PORT": "9001",
        "LRSCOPE_DATA_DIR": str(tmp_path),
        "LRSCOPE_MAX_TOTAL_STEPS": "10",
    }
    settings = Settings.from_env(env, host="0.0.0.0")
    assert settings.port == 9001
    assert settings.data_dir == tmp_path
    assert settings.limits.max_total_steps == 10
    assert settings.host == "0.0.0.0"
    assert settings.url == "http://127.0.0.1:9001/"
    assert Settings.from_env(env, port=7000).port == 7000  # a CLI flag beats the env var
