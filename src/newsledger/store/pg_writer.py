"""PostgreSQL's storing path: one article with all its records in one transaction, in three round trips.

Through SQLAlchemy, storing an article on PostgreSQL took about fourteen statements, each waiting for its
answer, and each record table an `executemany`: one INSERT per row on the server, each running the count
triggers of store/counts.py once (70 statements and 100 trigger runs for a typical article). Here the
rows of a table go as one array per column into one `INSERT ... SELECT FROM unnest(...)` (fixed text, so
psycopg prepares it after a few articles; one trigger run per table), and everything after the duplicate
check (the article, its measures, sources, records, conflict marks, the change count and COMMIT) is sent
in one psycopg pipeline: one wait for the server instead of fourteen.

Round trips: the pool's liveness ping; BEGIN with the duplicate check, the URL's last version and the new
article's id from its sequence; the writes with COMMIT. What is stored is what writer.write_extraction
stores on SQLite (the same row builders), in the same order (ids follow the rows' order).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Engine, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

from newsledger.model import Extraction
from newsledger.store import changes, schema
from newsledger.store.writer import (
    MeasureRow,
    Stored,
    article_row,
    has_nul,
    record_rows,
    source_rows,
    text_hash,
    without_nul,
)

_DUPLICATE = "SELECT id, url, version FROM articles WHERE text_hash = %s LIMIT 1"
_LAST_VERSION = "SELECT max(version) FROM articles WHERE url = %s"
_NEW_ID = "SELECT nextval(pg_get_serial_sequence('articles', 'id'))"
_SUPERSEDE = "UPDATE articles SET is_current = false WHERE url = %s"
_MARK = ("INSERT INTO conflicts_pending (measure_key, token) SELECT k, %s FROM unnest(%s::text[]) AS k "
         "ORDER BY k ON CONFLICT (measure_key) DO UPDATE SET token = EXCLUDED.token")
_BUMP = f"UPDATE ledger_changes SET n = n + 1, changed_at = %s WHERE id = {changes.ROW}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@cache
def _insert(table_name: str, columns: tuple[str, ...], on_conflict: str = "") -> str:
    """INSERT of one array per column, rows kept in the arrays' order (so ids follow it)."""
    table: Table = schema.metadata.tables[table_name]
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    names = ", ".join(_quote(c) for c in columns)
    arrays = ", ".join(f"%s::{table.c[c].type.compile(dialect=dialect)}[]" for c in columns)
    return (f"INSERT INTO {_quote(table_name)} ({names}) SELECT {names} FROM unnest({arrays}) "
            f"WITH ORDINALITY AS rows_({names}, ordinal_) ORDER BY ordinal_ {on_conflict}").strip()


def _columns(rows: Sequence[dict[str, Any]]) -> tuple[tuple[str, ...], list[list[Any]]]:
    names = tuple(rows[0])
    return names, [[row[name] for row in rows] for name in names]


def add(engine: Engine, ex: Extraction, measures: Sequence[MeasureRow], marks: Sequence[str]) -> Stored:
    """Store `ex` and mark `marks` pending, in one transaction (a duplicate stores nothing). Database errors
    are raised as SQLAlchemy's (IntegrityError for a row another process stored meanwhile)."""
    import psycopg

    if has_nul(ex):
        ex = without_nul(ex)
    with engine.connect() as conn:
        pg = conn.connection.driver_connection
        assert isinstance(pg, psycopg.Connection), "the PostgreSQL driver is psycopg 3"
        try:
            return _write(pg, ex, measures, marks)
        except psycopg.Error as err:
            if not pg.closed:
                pg.rollback()
            raise DBAPIError.instance(None, None, err, psycopg.Error) from err


def _write(pg: Any, ex: Extraction, measures: Sequence[MeasureRow], marks: Sequence[str]) -> Stored:
    art = ex.article
    digest = text_hash(art.text)
    with pg.pipeline():
        dup = pg.execute(_DUPLICATE, (digest,))
        last = pg.execute(_LAST_VERSION, (art.url,)) if art.url else None
        new_id = pg.execute(_NEW_ID)
    row = dup.fetchone()
    if row is not None:
        pg.rollback()
        if art.url and row[1] == art.url:
            reason = "same URL and text already stored"
        else:
            reason = f"same text already stored as article {row[0]}" + (f" ({row[1]})" if row[1] else "")
        return Stored("duplicate", row[0], row[2], reason)
    found = last.fetchone() if last is not None else None
    version = int(found[0]) + 1 if found and found[0] else 1
    aid = int(new_id.fetchone()[0])

    article = {"id": aid, **article_row(ex, digest, version)}
    labels = {m.key: m.label for m in measures}
    names, aliases = source_rows([(f.source, m.source) for f, m in zip(ex.figures, measures, strict=True)])
    now = datetime.now(UTC).replace(tzinfo=None)
    with pg.pipeline():
        if version > 1:
            pg.execute(_SUPERSEDE, (art.url,))
        pg.execute(_insert("articles", tuple(article)), [[v] for v in article.values()])
        if labels:
            keys = sorted(labels)
            pg.execute(_insert("measures", ("key", "label"), "ON CONFLICT DO NOTHING"),
                       (keys, [labels[k] for k in keys]))
        if names:
            pg.execute(_insert("sources", ("name", "label"), "ON CONFLICT DO NOTHING"), (names, names))
            alias_keys = sorted(aliases)
            pg.execute(_insert("source_aliases", ("alias", "source"), "ON CONFLICT DO NOTHING"),
                       (alias_keys, [aliases[a] for a in alias_keys]))
        for kind, rows in record_rows(aid, ex, measures).items():
            if rows:
                columns, arrays = _columns(rows)
                pg.execute(_insert(kind, columns), arrays)
        if marks:
            pg.execute(_MARK, (uuid.uuid4().hex, sorted(set(marks))))
        pg.execute(_BUMP, (now,))  # the last statement: see store/changes.py
        pg.commit()
    return Stored("version" if version > 1 else "added", aid, version)
