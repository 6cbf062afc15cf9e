"""The run store checked at start: a corrupt SQLite file is moved aside, loudly.

lrscope chooses to keep serving (a fresh, empty store) rather than refuse to start: the
schedules need no store, and the damaged file is kept whole, under a name the log states,
for ``sqlite3 .recover``.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from pathlib import Path

log = logging.getLogger("lrscope.store")


def integrity_problem(path: Path) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with the file at ``path`` (None: sound)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
    found = "; ".join(str(r[0]) for r in rows)
    return None if found == "ok" else found


def move_aside_if_corrupt(path: Path) -> Path | None:
    """Rename a corrupt store (and its WAL files) to ``<name>.corrupt-<time>``; return it."""
    problem = integrity_problem(path)
    if problem is None:
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).rename(aside.with_name(aside.name + suffix))
    log.error(
        "lrscope: the run store %s is corrupt (%s); moved it aside to %s and started an "
        "empty one. Saved runs before now are in that file.",
        path,
        problem,
        aside,
    )
    return aside
