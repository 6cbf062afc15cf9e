"""The project's SQLite files (runs, logs, short links) are in WAL mode, switched here."""

from __future__ import annotations

import sqlite3
import time


def use_wal(conn: sqlite3.Connection, attempts: int = 100) -> None:
    """Switch ``conn``'s file to WAL, so readers never block the writer. SQLite answers
    "database is locked" at once (its busy handler does not wait here) while another
    connection creates or switches the same new file, so wait a little and try again."""
    for attempt in range(attempts):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)
