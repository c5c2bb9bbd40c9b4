"""A count of the ledger's committed writes, so that a reader can tell cheaply whether anything changed.

Every write transaction of the Store (`Store.write`, `Store.add`) adds one to the single row of
`ledger_changes` as its last statement, inside the same transaction: a reader sees the new count exactly
when it sees the data written with it, on SQLite and PostgreSQL alike. Holding the row's lock only from that
statement to the commit keeps concurrent PostgreSQL writers from waiting on each other for long. The web
layer keys its ETags and rendered-page cache on the count (newsledger.web.cache).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, select

from newsledger.store import schema

ROW = 1


def install(conn: Connection) -> None:
    """Migration "ledger_changes": the table and its one row."""
    schema.ledger_changes.create(conn, checkfirst=True)
    if conn.execute(select(schema.ledger_changes.c.id)).first() is None:
        conn.execute(schema.ledger_changes.insert().values(id=ROW, n=0, changed_at=_now()))


def bump(conn: Connection) -> None:
    """Count one write; call it as the last statement of a write transaction."""
    t = schema.ledger_changes
    conn.execute(t.update().where(t.c.id == ROW).values(n=t.c.n + 1, changed_at=_now()))


def state(conn: Connection) -> int:
    """Writes committed so far (0 before any count was kept): one row read as plain SQL (no statement to
    compile), since the web asks it on every request."""
    row = conn.exec_driver_sql(f"SELECT n FROM ledger_changes WHERE id = {ROW}").first()
    return int(row[0]) if row else 0


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
