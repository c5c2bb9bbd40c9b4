"""PostgreSQL's storing path: one article with all its records in one transaction, in three round trips.

Through SQLAlchemy, storing an article on PostgreSQL took about fourteen statements, each waiting for its
answer, and each record table an `executemany`: one INSERT per row on the server, each running the count
triggers of store/counts.py once (70 statements and 100 trigger runs for a typical article). Here the
rows of a table go as one array per column into one `INSERT ... SELECT FROM unnest(...)` (fixed text, so
psycopg prepares it after a few articles; one trigger run per table), and everything after the duplicate
check (the article, its measures, sources, records, conflict marks, the change count and COMMIT) is sent
in one psycopg pipeline: one wait for the server instead of fourteen.

Round trips: the pool's liveness ping (once for a whole `add`: Store.holding); BEGIN with the duplicate check, the URL's last version and the new
article's id from its sequence; the writes with COMMIT. What is stored is what writer.write_extraction
stores on SQLite (the same row builders), in the same order (ids follow the rows' order).

The commit does not wait for the server to flush its log to disk (`synchronous_commit = off` for this
transaction only; 4-6 ms an article on this machine's disk): as with SQLite's `synchronous=NORMAL` in WAL
mode, a crash of the server or the machine (not of `add`) may lose the articles committed in the last
moment (under a second), never part of one, and a rerun adds them again. NEWSLEDGER_PG_SYNCHRONOUS_COMMIT=on
waits for the flush.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

from newsledger.errors import StoreError
from newsledger.model import Extraction
from newsledger.store import changes, schema
from newsledger.store.writer import (
    MeasureRow,
    Stored,
    article_row,
    duplicate,
    has_nul,
    record_rows,
    source_rows,
    text_hash,
    without_nul,
)

SYNCHRONOUS_COMMIT = "NEWSLEDGER_PG_SYNCHRONOUS_COMMIT"
_COMMIT_MODES = ("off", "local", "remote_write", "on", "remote_apply")

MarkEarlier = Callable[[list[int]], Iterable[str]]

# The stored article with this text, if any, else a new article id from the sequence; and the last version
# stored at the URL. One statement, so one snapshot: no id is taken for a duplicate (ids run as on SQLite).
_DUPLICATE_OR_ID = (
    "SELECT d.id, d.url, d.version, CASE WHEN d.id IS NULL "
    "THEN nextval(pg_get_serial_sequence('articles', 'id')) END, "
    "(SELECT max(version) FROM articles WHERE url = %s), "
    "(SELECT array_agg(id ORDER BY id) FROM articles WHERE url = %s) "
    "FROM (SELECT 1) AS one_ LEFT JOIN (SELECT id, url, version FROM articles WHERE text_hash = %s LIMIT 1) "
    "AS d ON true")
_SUPERSEDE = "UPDATE articles SET is_current = false WHERE url = %s"
_MARK = ("INSERT INTO conflicts_pending (measure_key, token) SELECT k, %s FROM unnest(%s::text[]) AS k "
         "ORDER BY k ON CONFLICT (measure_key) DO UPDATE SET token = EXCLUDED.token")
_BUMP = f"UPDATE ledger_changes SET n = n + 1, changed_at = %s WHERE id = {changes.ROW}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@cache
def _insert(table_name: str, columns: tuple[str, ...], on_conflict: str = "") -> str:
    """INSERT of rows sent as one JSON array of objects, kept in the array's order (so ids follow it)."""
    table: Table = schema.metadata.tables[table_name]
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    names = ", ".join(_quote(c) for c in columns)
    typed = ", ".join(f"{_quote(c)} {table.c[c].type.compile(dialect=dialect)}" for c in columns)
    return (f"INSERT INTO {_quote(table_name)} ({names}) SELECT {names} FROM ROWS FROM "
            f"(json_to_recordset(%s::json) AS ({typed})) WITH ORDINALITY AS rows_({names}, ordinal_) "
            f"ORDER BY ordinal_ {on_conflict}").strip()


@cache
def _insert_article(columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO articles ({', '.join(_quote(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


def _json(rows: Sequence[dict[str, Any]]) -> str:
    # Dates as ISO text; json.dumps runs in C, far cheaper than adapting each value as a parameter.
    return json.dumps(rows, default=str, ensure_ascii=False, allow_nan=False)


def add(conn: Connection, ex: Extraction, measures: Sequence[MeasureRow], marks: Sequence[str],
        mark_earlier: MarkEarlier | None = None) -> Stored:
    """Store `ex` on `conn` (outside any transaction of its own) and mark `marks` pending, with
    `mark_earlier(ids)` when the URL has earlier versions, in one transaction (a duplicate stores nothing).
    Database errors are raised as SQLAlchemy's (IntegrityError for a row another process stored meanwhile)."""
    import psycopg

    mode = os.environ.get(SYNCHRONOUS_COMMIT, "").strip().lower() or "off"
    if mode not in _COMMIT_MODES:
        raise StoreError(f"{SYNCHRONOUS_COMMIT}={mode!r} is not a synchronous_commit setting",
                         f"set it to one of {', '.join(_COMMIT_MODES)}, or unset it")
    if has_nul(ex):
        ex = without_nul(ex)
    digest = text_hash(ex.article.text)
    pg: Any = conn.connection.driver_connection  # a psycopg.Connection
    try:
        try:
            found = _check(pg, ex.article.url, digest, mode)
        except psycopg.OperationalError:
            if not pg.closed:
                raise
            # A held connection (Store.holding) the server dropped since the last article: nothing was
            # sent for this one yet, so take a new connection and ask again, once.
            conn.invalidate()
            pg = conn.connection.driver_connection
            found = _check(pg, ex.article.url, digest, mode)
        if isinstance(found, Stored):
            return found
        aid, version, earlier = found
        if earlier and mark_earlier is not None:
            marks = [*marks, *mark_earlier(earlier)]
        _store(pg, ex, measures, marks, digest, aid, version)
        return Stored("version" if version > 1 else "added", aid, version, earlier=earlier)
    except psycopg.Error as err:
        if not pg.closed:
            pg.rollback()
        raise DBAPIError.instance(None, None, err, psycopg.Error) from err


def _check(pg: Any, url: str | None, digest: str, mode: str) -> Stored | tuple[int, int, list[int]]:
    """Begin the transaction; the stored duplicate of the text, else (new id, version, earlier versions' ids)."""
    with pg.pipeline():  # BEGIN and the query in one round trip
        pg.execute(f"SET LOCAL synchronous_commit = {mode}")  # one of _COMMIT_MODES
        first = pg.execute(_DUPLICATE_OR_ID, (url, url, digest))
    row = first.fetchone()
    assert row is not None, "the query answers one row"
    if row[0] is not None:
        pg.rollback()
        return duplicate(url, row[0], row[1], row[2])
    return int(row[3]), int(row[4] or 0) + 1, list(row[5] or [])


def _store(pg: Any, ex: Extraction, measures: Sequence[MeasureRow], marks: Sequence[str], digest: str,
           aid: int, version: int) -> None:
    """Send every write of the article and COMMIT, in one round trip."""
    art = ex.article
    article = {"id": aid, **article_row(ex, digest, version)}
    labels = {m.key: m.label for m in measures}
    names, aliases = source_rows([(f.source, m.source) for f, m in zip(ex.figures, measures, strict=True)])
    now = datetime.now(UTC).replace(tzinfo=None)
    with pg.pipeline():
        if version > 1:
            pg.execute(_SUPERSEDE, (art.url,))
        pg.execute(_insert_article(tuple(article)), tuple(article.values()))
        if labels:  # keys in one order for every writer, so that two cannot deadlock
            pg.execute(_insert("measures", ("key", "label"), "ON CONFLICT DO NOTHING"),
                       (_json([{"key": k, "label": labels[k]} for k in sorted(labels)]),))
        if names:
            pg.execute(_insert("sources", ("name", "label"), "ON CONFLICT DO NOTHING"),
                       (_json([{"name": n, "label": n} for n in names]),))
            pg.execute(_insert("source_aliases", ("alias", "source"), "ON CONFLICT DO NOTHING"),
                       (_json([{"alias": a, "source": aliases[a]} for a in sorted(aliases)]),))
        for kind, rows in record_rows(aid, ex, measures).items():
            if rows:
                pg.execute(_insert(kind, tuple(rows[0])), (_json(rows),))
        if marks:
            pg.execute(_MARK, (uuid.uuid4().hex, sorted(set(marks))))
        pg.execute(_BUMP, (now,))  # the last statement: see store/changes.py
        pg.commit()
