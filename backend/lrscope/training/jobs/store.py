"""Where runs live: one store interface, SQLite by default.

A run is its spec, its status and its events (the same dicts the WebSocket streams, each
with ``seq``). The SQLite file uses WAL so readers never block the writer and several
processes may open it; one connection per store, guarded by a lock, serialises writers.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from lrscope.sqlite_wal import use_wal
from lrscope.training.events import done_from_events

FINAL_STATUSES = frozenset({"completed", "early_stopped", "cancelled", "failed", "interrupted"})


@dataclass(frozen=True)
class RunRecord:
    id: str
    status: str
    spec: dict[str, Any]
    created: float
    updated: float
    last_seq: int
    client: str = ""  # the starter's client key (a hash, never the token); not in to_json

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "spec": self.spec,
        }


class RunStore(Protocol):
    def create(self, run_id: str, spec: dict[str, Any], client: str) -> None: ...
    def append(self, run_id: str, events: list[dict[str, Any]], status: str | None) -> None: ...
    def get(self, run_id: str) -> RunRecord | None: ...
    def events(self, run_id: str, after: int = -1) -> list[dict[str, Any]]: ...
    def recent(self, limit: int, client: str | None = None) -> list[RunRecord]: ...
    def interrupt_active(self) -> int: ...
    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    spec TEXT NOT NULL,
    client TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT -1
);
CREATE INDEX IF NOT EXISTS runs_created ON runs(created);
CREATE INDEX IF NOT EXISTS runs_client ON runs(client, created);
CREATE TABLE IF NOT EXISTS events (
    run_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
"""


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


class SqliteRunStore:
    """Runs in one SQLite file, created (with its directory) on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=10, check_same_thread=False, isolation_level=None
            )
            use_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def _write(self, statements: Iterable[tuple[str, tuple[Any, ...]]]) -> None:
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    db.execute(sql, args)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _read(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db().execute(sql, args).fetchall()

    def create(self, run_id: str, spec: dict[str, Any], client: str) -> None:
        now = time.time()
        self._write(
            [
                (
                    "INSERT INTO runs (id, status, spec, client, created, updated) "
                    "VALUES (?, 'queued', ?, ?, ?, ?)",
                    (run_id, _dumps(spec), client, now, now),
                )
            ]
        )

    def append(self, run_id: str, events: list[dict[str, Any]], status: str | None) -> None:
        """Add events (in seq order) and, when given, the run's new status, atomically."""
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (
                "INSERT OR REPLACE INTO events (run_id, seq, body) VALUES (?, ?, ?)",
                (run_id, e["seq"], _dumps(e)),
            )
            for e in events
        ]
        last = events[-1]["seq"] if events else -1
        statements.append(
            (
                "UPDATE runs SET updated = ?, last_seq = max(last_seq, ?), "
                "status = coalesce(?, status) WHERE id = ?",
                (time.time(), last, status, run_id),
            )
        )
        self._write(statements)

    def get(self, run_id: str) -> RunRecord | None:
        if not self.path.exists():
            return None
        rows = self._read(f"SELECT {_COLUMNS} FROM runs WHERE id = ?", (run_id,))
        return _record(rows[0]) if rows else None

    def events(self, run_id: str, after: int = -1) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        rows = self._read(
            "SELECT body FROM events WHERE run_id = ? AND seq > ? ORDER BY seq", (run_id, after)
        )
        return [json.loads(body) for (body,) in rows]

    def recent(self, limit: int, client: str | None = None) -> list[RunRecord]:
        """The newest runs, of one client (its key) when given."""
        if not self.path.exists():
            return []
        rows = self._read(
            f"SELECT {_COLUMNS} FROM runs WHERE ? IS NULL OR client = ? "
            "ORDER BY created DESC LIMIT ?",
            (client, client, limit),
        )
        return [_record(r) for r in rows]

    def interrupt_active(self) -> int:
        """Mark runs a previous server left queued or running as interrupted; return how many.

        Each gets a final ``done`` event so a replay of its stream ends like any other.
        """
        if not self.path.exists():
            return 0
        rows = self._read("SELECT id, last_seq FROM runs WHERE status IN ('queued', 'running')", ())
        for run_id, last_seq in rows:
            error = "the server stopped while this run was in progress"
            events = self.events(run_id)
            done = {
                **done_from_events(events, "interrupted", "server_stopped", error),
                "seq": last_seq + 1,
            }
            self.append(run_id, [done], "interrupted")
        return len(rows)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


_COLUMNS = "id, status, spec, created, updated, last_seq, client"


def _record(row: tuple[Any, ...]) -> RunRecord:
    run_id, status, spec, created, updated, last_seq, client = row
    return RunRecord(run_id, status, json.loads(spec), created, updated, last_seq, client)
