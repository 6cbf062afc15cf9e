"""The short-link store (``sharing/short_links.py``): ids, the cap, integrity, and several
stores writing one file at once."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from lrscope.sharing.short_links import (
    ID_ALPHABET,
    ID_LENGTH,
    ShortLinksFull,
    ShortLinkStore,
    is_link_id,
)


def test_a_state_comes_back_by_its_id_and_survives_a_restart(tmp_path: Path) -> None:
    store = ShortLinkStore(tmp_path / "links.sqlite3", capacity=10)
    link_id = store.put("#s=abc")
    assert is_link_id(link_id) and len(link_id) == ID_LENGTH
    assert set(link_id) <= set(ID_ALPHABET) and not set(link_id) & set("01ilo")
    assert store.get(link_id) == "#s=abc"
    store.close()
    again = ShortLinkStore(tmp_path / "links.sqlite3", capacity=10)
    assert again.get(link_id) == "#s=abc"
    assert again.get("22222xxxxx") is None and again.get("../../etc") is None


def test_the_same_state_gets_the_same_id_and_ids_differ(tmp_path: Path) -> None:
    store = ShortLinkStore(tmp_path / "links.sqlite3", capacity=100)
    ids = [store.put(f"#s=state{i}") for i in range(50)]
    assert len(set(ids)) == 50
    assert store.put("#s=state7") == ids[7]
    assert store.count() == 50


def test_a_full_store_refuses_new_states_but_keeps_the_old(tmp_path: Path) -> None:
    store = ShortLinkStore(tmp_path / "links.sqlite3", capacity=3)
    kept = [store.put(f"#s={i}") for i in range(3)]
    with pytest.raises(ShortLinksFull) as full:
        store.put("#s=new")
    assert full.value.capacity == 3
    assert store.put("#s=1") == kept[1]  # a state already kept still gets its link
    assert [store.get(i) for i in kept] == ["#s=0", "#s=1", "#s=2"]
    assert store.count() == 3


def test_a_damaged_state_is_not_served(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    store = ShortLinkStore(path, capacity=10)
    link_id = store.put("#s=good")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE links SET state = '#s=evil' WHERE id = ?", (link_id,))
    assert store.get(link_id) is None


def test_concurrent_writers_on_one_file_respect_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite3"
    stores = [ShortLinkStore(path, capacity=100) for _ in range(6)]
    made: dict[str, str] = {}
    refused: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(stores))

    def write(n: int, store: ShortLinkStore) -> None:
        start.wait()
        for i in range(25):
            state = f"#s=writer{n}-{i}" if i % 5 else "#s=shared"  # one state all share
            try:
                link_id = store.put(state)
            except ShortLinksFull:
                with lock:
                    refused.append(state)
                continue
            with lock:
                assert made.setdefault(state, link_id) == link_id

    threads = [threading.Thread(target=write, args=(n, s)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 100 and stores[0].count() == 100
    assert len(refused) == 6 * 20 + 1 - 100  # distinct states past the cap
    assert len(set(made.values())) == 100
    assert all(stores[-1].get(link_id) == state for state, link_id in made.items())
