"""Short links (``/s/ID``) to long share links: SQLite in its own file under the data
directory, at most ``capacity`` links (then ``ShortLinksFull``, nothing evicted: a link on
a slide must keep working), each state's SHA-256 kept beside it and checked on reading.

The same state gets the same id, so a class pressing "Short link" on one view stores it
once. An id is 10 characters from 31 that cannot be misread (no 0/o, 1/l/i): about 2^49
ids, so with 10,000 links stored one guess in some 80 billion finds one.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from pathlib import Path

from lrscope.sqlite_wal import use_wal

ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
ID_LENGTH = 10

_SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    id TEXT PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    created REAL NOT NULL
);
"""


class ShortLinksFull(Exception):
    """The store holds ``capacity`` links already."""

    def __init__(self, capacity: int) -> None:
        super().__init__(f"the short-link store is full ({capacity} links)")
        self.capacity = capacity


def new_link_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def is_link_id(text: str) -> bool:
    return len(text) == ID_LENGTH and all(ch in ID_ALPHABET for ch in text)


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


class ShortLinkStore:
    """One connection per store, opened on first use and guarded by a lock (routes run in
    a thread pool); several stores (processes) on one file serialise through SQLite."""

    def __init__(self, path: Path, capacity: int) -> None:
        self.path = path
        self.capacity = capacity
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=10, check_same_thread=False, isolation_level=None
            )
            conn.execute("PRAGMA busy_timeout=10000")
            use_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def put(self, state: str) -> str:
        """The id of ``state``: its existing one, or a new one (``ShortLinksFull`` when the
        store is full)."""
        digest = _digest(state)
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")  # count and insert as one step across processes
            try:
                link_id = self._insert(db, state, digest)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        return link_id

    def _insert(self, db: sqlite3.Connection, state: str, digest: str) -> str:
        row = db.execute("SELECT id FROM links WHERE digest = ?", (digest,)).fetchone()
        if row is not None:
            return str(row[0])
        (count,) = db.execute("SELECT COUNT(*) FROM links").fetchone()
        if count >= self.capacity:
            raise ShortLinksFull(self.capacity)
        for _ in range(8):
            link_id = new_link_id()
            try:
                db.execute(
                    "INSERT INTO links (id, digest, state, created) VALUES (?, ?, ?, ?)",
                    (link_id, digest, state, time.time()),
                )
                return link_id
            except sqlite3.IntegrityError:  # the id is taken (one in 2^49): draw again
                continue
        raise sqlite3.IntegrityError("no free short-link id after 8 draws")

    def get(self, link_id: str) -> str | None:
        """The state behind ``link_id``; None when unknown, or when the stored state no
        longer matches its digest (a damaged file must not send students elsewhere)."""
        if not is_link_id(link_id):
            return None
        with self._lock:
            row = (
                self._db()
                .execute("SELECT state, digest FROM links WHERE id = ?", (link_id,))
                .fetchone()
            )
        if row is None or _digest(row[0]) != row[1]:
            return None
        return str(row[0])

    def count(self) -> int:
        with self._lock:
            (count,) = self._db().execute("SELECT COUNT(*) FROM links").fetchone()
        return int(count)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
