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

_ROW = 1


def install(conn: Connection) -> None:
    """Migration "ledger_changes": the table and its one row."""
    schema.ledger_changes.create(conn, checkfirst=True)
    if conn.execute(select(schema.ledger_changes.c.id)).first() is None:
        conn.execute(schema.ledger_changes.insert().values(id=_ROW, n=0, changed_at=_now()))


def bump(conn: Connection) -> None:
    """Count one write; call it as the last statement of a write transaction."""
    t = schema.ledger_changes
    conn.execute(t.update().where(t.c.id == _ROW).values(n=t.c.n + 1, changed_at=_now()))


def state(conn: Connection) -> tuple[int, datetime | None]:
    """(writes so far, when the last one was committed); (0, None) before any count was kept."""
    t = schema.ledger_changes
    row = conn.execute(select(t.c.n, t.c.changed_at).where(t.c.id == _ROW)).first()
    return (int(row.n), row.changed_at) if row else (0, None)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
