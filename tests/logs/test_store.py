"""The log store: same log, same id; capped, oldest evicted; survives a reopen."""

from __future__ import annotations

from pathlib import Path

from lrscope.logs import LoggedRun, LogStore, Series, log_id


def _run(k: int) -> LoggedRun:
    return LoggedRun("tensorboard_csv", Series("Value", [0, 1], [0.1, 0.1 * k]))


def test_the_same_log_gets_the_same_id_and_reads_back(tmp_path: Path) -> None:
    store = LogStore(tmp_path / "logs.sqlite3", capacity=5)
    key = store.put(_run(1))
    assert key == store.put(_run(1)) == log_id(_run(1)) and len(key) == 20
    assert store.get(key) == _run(1)
    store.close()
    assert LogStore(tmp_path / "logs.sqlite3", capacity=5).get(key) == _run(1)


def test_the_oldest_logs_are_evicted_past_the_cap(tmp_path: Path) -> None:
    store = LogStore(tmp_path / "logs.sqlite3", capacity=3)
    keys = []
    for k in range(5):
        keys.append(store.put(_run(k)))
    assert [store.get(k) is not None for k in keys] == [False, False, True, True, True]
