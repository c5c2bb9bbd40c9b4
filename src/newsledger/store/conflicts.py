"""The kept conflicts table: rows replaced measure by measure, read newest first in keyset pages."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, tuple_

from newsledger.store import schema

ALL = "*"  # the pending mark that means every measure
_CHUNK = 500  # keys per IN (...) list: far below both backends' parameter limits


@dataclass
class ConflictRow:
    """One stored conflict as the table holds it (JSON columns still as text)."""

    conflict_id: str
    kind: str
    measure_key: str
    story: str | None
    day: str
    reason: str
    figure_ids: str
    points: str
    sentences: str


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def replace(conn: Connection, keys: Iterable[str] | None, rows: Sequence[ConflictRow]) -> None:
    """Drop the conflicts of these measures (every conflict with None) and store `rows` in their place."""
    c = schema.conflicts
    if keys is None:
        conn.execute(delete(c))
    else:
        for part in _chunks(sorted(set(keys))):
            conn.execute(delete(c).where(c.c.measure_key.in_(part)))
    if rows:
        conn.execute(c.insert(), [vars(r) for r in rows])


def mark(conn: Connection, keys: Iterable[str]) -> None:
    """Record measures whose conflicts must be found again (kept until a refresh claims them). Each call
    gives its marks a new token, also to measures already pending, and inserts or updates in one statement
    per chunk, so two processes marking the same measure at once both succeed."""
    p = schema.conflicts_pending
    want = sorted(set(keys))
    if not want:
        return
    token = uuid.uuid4().hex
    from sqlalchemy.dialects import postgresql, sqlite

    upsert: Any = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    for part in _chunks(want):
        stmt = upsert(p).values([{"measure_key": k, "token": token} for k in part])
        conn.execute(stmt.on_conflict_do_update(index_elements=[p.c.measure_key], set_={"token": token}))


def pending(conn: Connection) -> dict[str, str]:
    """Pending measures with the token of their latest mark."""
    p = schema.conflicts_pending
    return {r.measure_key: r.token for r in conn.execute(select(p.c.measure_key, p.c.token))}


def claim(conn: Connection, marks: Mapping[str, str]) -> set[str]:
    """Remove the marks read earlier that are unchanged since, and return their measures. Call it first in
    the transaction that stores their refreshed conflicts: a mark changed meanwhile (the measure changed
    again) stays pending, and of two processes refreshing one measure only the first to commit claims it
    (the other's DELETE finds the row gone)."""
    p = schema.conflicts_pending
    pairs = sorted(marks.items())
    claimed: set[str] = set()
    for i in range(0, len(pairs), _CHUNK):
        part = pairs[i:i + _CHUNK]
        stmt = (delete(p).where(tuple_(p.c.measure_key, p.c.token).in_(part)).returning(p.c.measure_key))
        claimed.update(conn.execute(stmt).scalars())
    return claimed


def unmark(conn: Connection, keys: Iterable[str] | None) -> None:
    """Forget pending marks: these (every one with None)."""
    p = schema.conflicts_pending
    if keys is None:
        conn.execute(delete(p))
        return
    for part in _chunks(sorted(set(keys))):
        conn.execute(delete(p).where(p.c.measure_key.in_(part)))


def _filtered(stmt: Any, *, measure_key: str | None, story: str | None, kind: str | None,
              since: str | None, until: str | None) -> Any:
    c = schema.conflicts
    if measure_key is not None:
        stmt = stmt.where(c.c.measure_key == measure_key)
    if story is not None:
        stmt = stmt.where(c.c.story == story)
    if kind is not None:
        stmt = stmt.where(c.c.kind == kind)
    if since is not None:
        stmt = stmt.where(c.c.day >= since)
    if until is not None:
        stmt = stmt.where(c.c.day <= until, c.c.day != "")
    return stmt


def page(conn: Connection, *, measure_key: str | None = None, story: str | None = None, kind: str | None = None,
         since: str | None = None, until: str | None = None, after: tuple[str, str] | None = None,
         limit: int | None = None, offset: int = 0) -> list[ConflictRow]:
    """Stored conflicts, newest day first (then by id), filtered; `after` is the (day, conflict_id) of the
    last row of the page before (keyset paging: any page costs what the first does)."""
    c = schema.conflicts
    cols = [c.c[name] for name in ConflictRow.__dataclass_fields__]
    stmt = _filtered(select(*cols), measure_key=measure_key, story=story, kind=kind, since=since, until=until)
    if after is not None:
        stmt = stmt.where(tuple_(c.c.day, c.c.conflict_id) < tuple_(*after))
    stmt = stmt.order_by(c.c.day.desc(), c.c.conflict_id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return [ConflictRow(*row) for row in conn.execute(stmt).all()]


def count(conn: Connection, *, measure_key: str | None = None, story: str | None = None, kind: str | None = None,
          since: str | None = None, until: str | None = None) -> int:
    stmt = _filtered(select(func.count()).select_from(schema.conflicts), measure_key=measure_key, story=story,
                     kind=kind, since=since, until=until)
    return int(conn.execute(stmt).scalar() or 0)


def figure_keys(conn: Connection, article_ids: Iterable[int]) -> list[tuple[str, str | None, str]]:
    """(measure key, counted, text) of every figure of these articles, current or not."""
    f = schema.figures
    ids = sorted(set(article_ids))
    out: list[tuple[str, str | None, str]] = []
    for i in range(0, len(ids), _CHUNK):
        stmt = select(f.c.measure_key, f.c.counted, f.c.text).where(f.c.article_id.in_(ids[i:i + _CHUNK]))
        out.extend((k, c, t) for k, c, t in conn.execute(stmt).all())
    return out


def versions_of(conn: Connection, url: str) -> list[int]:
    """Every stored version's article id of one URL."""
    a = schema.articles
    return list(conn.execute(select(a.c.id).where(a.c.url == url)).scalars())


def article_of_figure(conn: Connection, figure_id: int) -> int | None:
    f = schema.figures
    found = conn.execute(select(f.c.article_id).where(f.c.id == figure_id)).scalar()
    return None if found is None else int(found)
