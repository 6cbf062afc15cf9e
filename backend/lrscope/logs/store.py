"""Parsed logs kept for share links: SQLite in its own file under the data directory,
keyed by a hash of the series (the same log gets the same id), at most ``capacity`` kept,
oldest evicted first."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path

from lrscope.logs.series import LoggedRun
from lrscope.sqlite_wal import use_wal

_SCHEMA = """
CREATE TABLE IF NOT EXISTS logs (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_created ON logs (created);
"""


def log_id(run: LoggedRun) -> str:
    body = json.dumps(run.to_json(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:20]


class LogStore:
    """One connection, guarded by a lock (routes run in a thread pool)."""

    def __init__(self, path: Path, capacity: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        use_wal(self._db)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self.capacity = capacity

    def put(self, run: LoggedRun) -> str:
        key = log_id(run)
        body = json.dumps(run.to_json(), separators=(",", ":"), allow_nan=False)
        with self._lock:
            self._db.execute(
                "INSERT INTO logs (id, created, body) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET created = excluded.created",
                (key, time.time(), body),
            )
            self._db.execute(
                "DELETE FROM logs WHERE id NOT IN "
                "(SELECT id FROM logs ORDER BY created DESC, rowid DESC LIMIT ?)",
                (self.capacity,),
            )
        return key

    def get(self, key: str) -> LoggedRun | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM logs WHERE id = ?", (key,)).fetchone()
        return LoggedRun.from_json(json.loads(row[0])) if row else None

    def close(self) -> None:
        with self._lock:
            self._db.close()
