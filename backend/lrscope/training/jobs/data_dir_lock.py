"""One server per data directory: an exclusive ``flock`` on ``<data_dir>/lrscope.lock``.

Two servers on one data dir would each mark the other's running jobs interrupted at start
and answer for jobs they do not run; the second one refuses to start instead, naming the
first one's pid. The lock goes with the process (a kill -9 releases it).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class DataDirInUse(RuntimeError):
    """Another lrscope server holds the data directory."""


class DataDirLock:
    """Holds ``<data_dir>/lrscope.lock`` exclusively from ``acquire`` to ``release``."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "lrscope.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.path.open("a+")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            file.seek(0)
            pid = file.read().strip() or "unknown"
            file.close()
            raise DataDirInUse(
                f"lrscope: another lrscope server (pid {pid}) is using the data directory "
                f"{self.path.parent}; stop it, or give this one its own with "
                "--data-dir or LRSCOPE_DATA_DIR"
            ) from None
        file.seek(0)
        file.truncate()
        file.write(str(os.getpid()))
        file.flush()
        self._file = file

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
