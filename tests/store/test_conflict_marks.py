"""Pending conflict marks on SQLite and PostgreSQL when more than one process writes: a refresh removes only the
marks it read, so a measure marked again meanwhile stays pending, and of two refreshes of one measure only
the first to commit claims it. Marking a measure already pending (from another connection) never fails."""

from __future__ import annotations

import pytest

from newsledger.store import Store
from newsledger.store import conflicts as table


@pytest.fixture
def stores(db_url):
    one, two = Store(db_url), Store(db_url)  # two connections, as two processes have
    yield one, two
    one.close()
    two.close()


def _pending(store: Store) -> dict[str, str]:
    with store.read() as conn:
        return table.pending(conn)


def test_a_measure_marked_again_while_it_was_refreshed_stays_pending(stores):
    one, two = stores
    with one.write() as conn:
        table.mark(conn, ["killed · people · Tampa", "injured · people · Tampa"])
    read = _pending(one)  # a refresh starts: it reads the marks, then finds the conflicts
    assert set(read) == {"killed · people · Tampa", "injured · people · Tampa"}
    with two.write() as conn:  # meanwhile another process stores a figure of one measure, and marks it again
        table.mark(conn, ["killed · people · Tampa"])
    with one.write() as conn:
        claimed = table.claim(conn, read)
    assert claimed == {"injured · people · Tampa"}
    assert set(_pending(one)) == {"killed · people · Tampa"}  # found again by the next refresh


def test_of_two_refreshes_of_one_measure_only_the_first_claims_it(stores):
    one, two = stores
    with one.write() as conn:
        table.mark(conn, ["killed · people · Gaza"])
    first, second = _pending(one), _pending(two)
    assert first == second
    with one.write() as conn:
        assert table.claim(conn, first) == {"killed · people · Gaza"}
    with two.write() as conn:
        assert table.claim(conn, second) == set()  # its rows would be older: it writes none
    assert _pending(one) == {}


def test_marking_a_pending_measure_from_another_connection_succeeds_with_a_new_token(stores):
    one, two = stores
    with one.write() as conn:
        table.mark(conn, ["killed · people · Chicago"])
    before = _pending(two)["killed · people · Chicago"]
    with two.write() as conn:
        table.mark(conn, ["killed · people · Chicago", "injured · people · Chicago"])
    after = _pending(one)
    assert set(after) == {"killed · people · Chicago", "injured · people · Chicago"}
    assert after["killed · people · Chicago"] != before
