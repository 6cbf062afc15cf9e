"""The SQLite run store: round trips, concurrent writers, interrupted runs."""

from __future__ import annotations

import threading
from pathlib import Path

from lrscope.training.jobs.store import SqliteRunStore


def test_round_trip_and_recent(tmp_path: Path) -> None:
    store = SqliteRunStore(tmp_path / "sub" / "runs.sqlite3")
    assert store.get("x") is None and store.recent(5) == [] and store.events("x") == []
    store.create("a", {"epochs": 3}, "127.0.0.1")
    store.create("b", {"epochs": 4}, "127.0.0.1")
    store.append("a", [{"seq": 0, "type": "status", "status": "running"}], "running")
    store.append("a", [{"seq": 1, "type": "x"}, {"seq": 2, "type": "y"}], None)
    record = store.get("a")
    assert record is not None
    assert (record.status, record.spec, record.last_seq) == ("running", {"epochs": 3}, 2)
    assert [e["seq"] for e in store.events("a", after=0)] == [1, 2]
    assert [r.id for r in store.recent(5)] == ["b", "a"]
    store.close()


def test_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite3"
    stores = [SqliteRunStore(path) for _ in range(4)]  # separate connections, one file

    def write(store: SqliteRunStore, n: int) -> None:
        store.create(f"run{n}", {}, "")
        for seq in range(50):
            store.append(f"run{n}", [{"seq": seq, "type": "step"}], None)

    threads = [threading.Thread(target=write, args=(s, i)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(len(stores[0].events(f"run{i}")) == 50 for i in range(4))
    for s in stores:
        s.close()


def test_runs_left_active_are_marked_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite3"
    store = SqliteRunStore(path)
    store.create("a", {}, "")
    store.append("a", [{"seq": 0, "type": "status", "status": "running"}], "running")
    store.create("b", {}, "")
    store.append("b", [{"seq": 0, "type": "done", "status": "completed"}], "completed")
    store.close()
    reopened = SqliteRunStore(path)
    assert reopened.interrupt_active() == 1
    record = reopened.get("a")
    assert record is not None and record.status == "interrupted"
    assert reopened.events("a")[-1] == {
        "seq": 1,
        "type": "done",
        "status": "interrupted",
        "reason": "server_stopped",
        "error": "the server stopped while this run was in progress",
        "epochs_run": 0,
        "steps_run": 0,
        "best_epoch": None,
        "best_val_loss": None,
    }
    assert reopened.interrupt_active() == 0
    reopened.close()
