"""The ledger's change count on SQLite and PostgreSQL: every committed write transaction adds one, a duplicate
or a rolled-back write adds none, and another process's write is seen (the web's ETags and page cache rest on it)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from newsledger.store import Store, changes
from tests.store.test_database import _measures


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def _state(store: Store) -> int:
    with store.read() as conn:
        return changes.state(conn)


def test_each_committed_write_counts_once_and_a_failed_one_not_at_all(store, db_url, gold_extractions):
    start = _state(store)
    ex = gold_extractions[1]
    assert store.add(ex, _measures(ex)).status == "added"
    assert _state(store) == start + 1
    assert store.add(ex, _measures(ex)).status == "duplicate"  # nothing written: nothing counted
    assert _state(store) == start + 1
    store.add_merge("a", "b")
    assert _state(store) == start + 2
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.execute(text("DELETE FROM measure_merges"))
        raise RuntimeError("rolled back")
    assert _state(store) == start + 2 and store.overrides().merges == {"a": "b"}
    other = Store(db_url)  # another process's connection: its writes are seen here
    try:
        other.remove_merge("a")
    finally:
        other.close()
    assert _state(store) == start + 3
