"""Reading stored events: filtered by type, actor, recipient, place, status and date; dated ones by date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, select, tuple_

from newsledger.store import paging, schema
from newsledger.store.writer import NAME_SEPARATOR

a, ev, fg = schema.articles, schema.events, schema.figures


@dataclass
class StoredEvent:
    """A stored event with its article's facts; names are lists again, figure links carry their values."""

    id: int
    article_id: int
    ordinal: int
    span_start: int
    span_end: int
    text: str
    trigger: str
    trigger_start: int | None
    type: str | None
    mode: str | None
    actor: list[str]
    recipient: list[str]
    date: str | None          # ISO at the precision written (YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY)
    first_day: dt.date | None    # the first day of that period, what --since/--until and sorting use
    end_date: str | None
    date_text: str | None
    location: str | None
    status: str | None
    source: str | None
    dead: int | None
    injured: int | None
    size: int | None
    same_as: int | None
    content_of: int | None
    quote: int | None
    published: dt.date | None
    url: str | None
    outlet: str | None
    title: str | None
    article_source_id: str | None
    dead_value: float | None = None
    injured_value: float | None = None
    size_value: float | None = None


def _names(value: str | None) -> list[str]:
    return value.split(NAME_SEPARATOR) if value else []


def _contains(column: Any, needle: str) -> Any:
    escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def events(conn: Connection, *, type: str | None = None, actor: str | None = None,
           recipient: str | None = None, place: str | None = None, status: str | None = None,
           since: dt.date | None = None, until: dt.date | None = None, undated: bool = False,
           article_id: int | None = None, limit: int | None = None, offset: int = 0,
           after: tuple[dt.date | None, int, int] | None = None) -> Iterator[StoredEvent]:
    """Events of current article versions, oldest first (then by article and text order); undated ones
    only with `undated` (then last). `after` (the (first day, article id, ordinal) of the last event of a
    page) starts the next page after it (keyset paging).

    `actor`, `recipient` and `place` match words of the names (case-insensitive); `since`/`until` compare
    the first day of the event's date."""
    stmt = (select(ev.c.id, ev.c.article_id, ev.c.ordinal, ev.c.span_start, ev.c.span_end, ev.c.text,
                   ev.c.trigger, ev.c.trigger_start, ev.c.type, ev.c.mode, ev.c.actor, ev.c.recipient,
                   ev.c.date_value, ev.c.date, ev.c.end_date, ev.c.date_text, ev.c.location, ev.c.status,
                   ev.c.source, ev.c.dead, ev.c.injured, ev.c.size, ev.c.same_as, ev.c.content_of, ev.c.quote,
                   a.c.published, a.c.url, a.c.outlet, a.c.title, a.c.source_id)
            .select_from(ev.join(a, ev.c.article_id == a.c.id))
            .where(a.c.is_current.is_(True)))
    if type:
        stmt = stmt.where(func.lower(ev.c.type) == type.lower())
    if status:
        stmt = stmt.where(func.lower(ev.c.status) == status.lower())
    if actor:
        stmt = stmt.where(_contains(ev.c.actor, actor))
    if recipient:
        stmt = stmt.where(_contains(ev.c.recipient, recipient))
    if place:
        stmt = stmt.where(_contains(ev.c.location, place))
    if since:
        stmt = stmt.where(ev.c.date >= since)
    if until:
        stmt = stmt.where(ev.c.date <= until)
    if not undated:
        stmt = stmt.where(ev.c.date.is_not(None))
    if article_id is not None:
        stmt = stmt.where(ev.c.article_id == article_id)
    stmt = stmt.order_by(ev.c.date.is_(None), ev.c.date, ev.c.article_id, ev.c.ordinal)
    if after is not None:
        stmt = stmt.where(paging.after([(ev.c.date, False, True), (ev.c.article_id, False, False),
                                        (ev.c.ordinal, False, False)], after))
    if limit:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    found = []
    for row in conn.execute(stmt):
        r = list(row)
        r[10], r[11] = _names(r[10]), _names(r[11])
        found.append(StoredEvent(*r))
    _figure_values(conn, found)
    yield from found


def _figure_values(conn: Connection, found: Sequence[StoredEvent]) -> None:
    """The values of the figures the events point to (dead, injured, size), read in one query."""
    wanted = {(e.article_id, k) for e in found for k in (e.dead, e.injured, e.size) if k is not None}
    if not wanted:
        return
    values: dict[tuple[int, int], float] = {}
    pairs = sorted(wanted)
    for i in range(0, len(pairs), 500):
        chunk = pairs[i:i + 500]
        stmt = select(fg.c.article_id, fg.c.ordinal, fg.c.value).where(
            and_(tuple_(fg.c.article_id, fg.c.ordinal).in_(chunk)))
        for aid, ordinal, value in conn.execute(stmt):
            values[(aid, ordinal)] = value
    for e in found:
        e.dead_value = values.get((e.article_id, e.dead)) if e.dead is not None else None
        e.injured_value = values.get((e.article_id, e.injured)) if e.injured is not None else None
        e.size_value = values.get((e.article_id, e.size)) if e.size is not None else None
