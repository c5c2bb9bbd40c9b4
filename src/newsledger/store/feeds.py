"""The state of watched feeds: validators for conditional GET, last poll, status, backoff, entries seen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from newsledger.store import schema

fd, fi = schema.feeds, schema.feed_items


@dataclass
class FeedState:
    """One watched feed as stored: what the next poll sends and what the last one found."""

    id: int
    url: str
    kind: str | None
    etag: str | None
    last_modified: str | None
    last_poll: datetime | None
    last_status: str | None
    last_error: str | None
    http_status: int | None
    failures: int
    next_poll: datetime | None
    articles: int
    last_new: int
    added_at: datetime


_COLUMNS = [c.name for c in fields(FeedState)]


def now() -> datetime:
    """The current UTC time, naive, as every DateTime column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_feeds(conn: Connection, urls: Iterable[str]) -> list[FeedState]:
    """The stored state of each URL (in the order given), adding the ones not yet watched."""
    urls = list(dict.fromkeys(urls))
    have = {row.url for row in conn.execute(select(fd.c.url).where(fd.c.url.in_(urls)))} if urls else set()
    new = [{"url": u, "failures": 0, "articles": 0, "last_new": 0, "added_at": now()}
           for u in urls if u not in have]
    if new:
        conn.execute(fd.insert(), new)
    by_url = {s.url: s for s in all_feeds(conn)}
    return [by_url[u] for u in urls]


def all_feeds(conn: Connection) -> list[FeedState]:
    rows = conn.execute(select(*[fd.c[name] for name in _COLUMNS]).order_by(fd.c.id))
    return [FeedState(*row) for row in rows]


def save_poll(conn: Connection, feed_id: int, **values: Any) -> None:
    """Record what a poll found (any FeedState columns); `articles_added` adds to the running count."""
    added = int(values.pop("articles_added", 0))
    stmt = update(fd).where(fd.c.id == feed_id).values(**values)
    if added:
        stmt = stmt.values(articles=fd.c.articles + added)
    conn.execute(stmt)


def seen_items(conn: Connection, feed_id: int) -> dict[str, str]:
    """Entry key -> fingerprint of every entry the feed has listed before."""
    return {r.item_key: r.fingerprint for r in conn.execute(
        select(fi.c.item_key, fi.c.fingerprint).where(fi.c.feed_id == feed_id))}


def mark_seen(conn: Connection, feed_id: int, item_key: str, fingerprint: str) -> None:
    conn.execute(delete(fi).where(fi.c.feed_id == feed_id, fi.c.item_key == item_key))
    conn.execute(fi.insert().values(feed_id=feed_id, item_key=item_key, fingerprint=fingerprint,
                                    seen_at=now()))


def feed_counts(conn: Connection) -> dict[str, int]:
    """How many feeds are watched and how many articles they brought, for `stats`."""
    row = conn.execute(select(func.count(), func.coalesce(func.sum(fd.c.articles), 0))).first()
    return {"feeds": int(row[0]) if row else 0, "feed_articles": int(row[1]) if row else 0}


def max_article_id(conn: Connection) -> int:
    """The highest article id so far: articles stored after this moment have larger ids."""
    return int(conn.execute(select(func.max(schema.articles.c.id))).scalar() or 0)


def article_ids_after(conn: Connection, after: int) -> list[int]:
    a = schema.articles
    return [int(r[0]) for r in conn.execute(select(a.c.id).where(a.c.id > after).order_by(a.c.id))]
