"""Reading and writing stories: the facts stories are built from, placements, links and hand-made rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, text

from newsledger.store import schema

a, e, d = schema.articles, schema.entities, schema.dates


@dataclass
class ArticleRow:
    """An article's facts as stored: the lead of its text, its places, people and resolved days."""

    id: int
    source_id: str | None
    url: str | None
    title: str | None
    published: date | None
    lead: str
    places: list[str]
    people: list[str]
    days: list[date]


@dataclass
class StoryRow:
    id: int
    title: str
    place: str | None
    first_day: date | None
    last_day: date | None
    kind: str
    articles: int
    killed: float | None
    injured: float | None


def article_rows(conn: Connection, lead_chars: int, ids: Sequence[int] | None = None) -> list[ArticleRow]:
    """Current articles (or those of `ids`) with what stories are built from, in ledger order."""
    stmt = (select(a.c.id, a.c.source_id, a.c.url, a.c.title, a.c.published,
                   func.substr(a.c.text, 1, lead_chars).label("lead"))
            .where(a.c.is_current.is_(True)).order_by(a.c.id))
    if ids is not None:
        stmt = stmt.where(a.c.id.in_(list(ids)))
    out = {r.id: ArticleRow(r.id, r.source_id, r.url, r.title, r.published, r.lead or "", [], [], [])
           for r in conn.execute(stmt)}
    chunks = [None] if ids is None else [sorted(out)[i:i + 500] for i in range(0, len(out), 500)]
    for chunk in chunks:
        ents: Any = (select(e.c.article_id, e.c.label, e.c.canonical)
                     .where(e.c.label.in_(("GPE", "PERSON")))
                     .order_by(e.c.article_id, e.c.span_start))
        days: Any = (select(d.c.article_id, d.c.value).where(d.c.granularity == "day", d.c.value.is_not(None))
                     .order_by(d.c.article_id, d.c.span_start))
        if chunk is not None:
            ents = ents.where(e.c.article_id.in_(chunk))
            days = days.where(d.c.article_id.in_(chunk))
        for row in conn.execute(ents):
            art = out.get(row.article_id)
            if art is not None:
                (art.places if row.label == "GPE" else art.people).append(row.canonical)
        for day in conn.execute(days):
            art = out.get(day.article_id)
            if art is not None:
                art.days.append(day.value)
    return list(out.values())


def unplaced_ids(conn: Connection) -> list[int]:
    """Current articles in no story yet, in ledger order."""
    sa = schema.story_articles
    stmt = (select(a.c.id).where(a.c.is_current.is_(True))
            .where(~select(sa.c.article_id).where(sa.c.article_id == a.c.id).exists()).order_by(a.c.id))
    return [r.id for r in conn.execute(stmt)]


@dataclass
class IndexState:
    """How far the stored placement index can serve an incremental placement."""

    current: int        # current articles
    placed: int         # placements
    stale: int          # placements of articles no longer current (a newer version replaced them)
    indexed: int        # placed articles with an index row
    indexed_n: int      # ledger size when the oldest index rows were computed (0: none)


def index_state(conn: Connection) -> IndexState:
    sa, si = schema.story_articles, schema.story_index
    current = conn.execute(select(func.count()).where(a.c.is_current.is_(True))).scalar() or 0
    placed = conn.execute(select(func.count()).select_from(sa)).scalar() or 0
    stale = conn.execute(select(func.count()).select_from(sa.join(a, a.c.id == sa.c.article_id))
                         .where(a.c.is_current.is_(False))).scalar() or 0
    indexed = conn.execute(select(func.count()).select_from(sa.join(si, si.c.article_id == sa.c.article_id))
                           ).scalar() or 0
    oldest = conn.execute(select(func.min(si.c.indexed_n))).scalar() or 0
    return IndexState(int(current), int(placed), int(stale), int(indexed), int(oldest))


def term_counts(conn: Connection, terms: Iterable[str]) -> dict[str, int]:
    """term -> in how many indexed articles it is (for a paragraph key: how often it occurs)."""
    st = schema.story_terms
    out: dict[str, int] = {}
    wanted = sorted(set(terms))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        stmt = (select(st.c.term, func.count(), func.sum(st.c.weight))
                .where(st.c.term.in_(chunk)).group_by(st.c.term))
        for term, docs, total in conn.execute(stmt):
            out[term] = int(round(total or 0)) if term.startswith("#") else int(docs)
    return out


def postings(conn: Connection, terms: Iterable[str]) -> list[tuple[str, int, float]]:
    """(term, article, weight) of the indexed articles holding one of `terms`."""
    st = schema.story_terms
    wanted = sorted(set(terms))
    out: list[tuple[str, int, float]] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        out.extend((r.term, r.article_id, r.weight) for r in conn.execute(
            select(st.c.term, st.c.article_id, st.c.weight).where(st.c.term.in_(chunk))))
    return out


@dataclass
class IndexRow:
    """An indexed article's facts with its story: what an incremental placement compares with."""

    article_id: int
    published: date | None
    event_day: date | None
    roundup: bool
    places: list[str]
    names: list[str]
    story_id: int
    story_kind: str
    story_size: int


def index_rows(conn: Connection, article_ids: Iterable[int]) -> list[IndexRow]:
    si, sa, s = schema.story_index, schema.story_articles, schema.stories
    ids = sorted(set(article_ids))
    out: list[IndexRow] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        stmt = (select(si.c.article_id, si.c.published, si.c.event_day, si.c.roundup, si.c.places, si.c.names,
                       sa.c.story_id, s.c.kind, s.c.articles)
                .select_from(si.join(sa, sa.c.article_id == si.c.article_id).join(s, s.c.id == sa.c.story_id))
                .where(si.c.article_id.in_(chunk)))
        for r in conn.execute(stmt):
            out.append(IndexRow(r.article_id, r.published, r.event_day, bool(r.roundup),
                                [x for x in r.places.split("\n") if x], [x for x in r.names.split("\n") if x],
                                r.story_id, r.kind, int(r.articles)))
    return out


@dataclass
class IndexEntry:
    """An article's placement index, as written."""

    article_id: int
    published: date | None
    event_day: date | None
    roundup: bool
    places: Sequence[str]
    names: Sequence[str]
    terms: dict[str, float]


def save_index(conn: Connection, entries: Sequence[IndexEntry], indexed_n: int, *, replace: bool) -> None:
    """Store the placement index of `entries` (every stored row replaced first with `replace`)."""
    si, st = schema.story_index, schema.story_terms
    if replace:
        conn.execute(delete(st))
        conn.execute(delete(si))
    rows = [{"article_id": x.article_id, "published": x.published, "event_day": x.event_day,
             "roundup": x.roundup, "places": "\n".join(sorted(x.places)), "names": "\n".join(sorted(x.names)),
             "indexed_n": indexed_n} for x in entries]
    for start in range(0, len(rows), 2000):
        conn.execute(si.insert(), rows[start:start + 2000])
    terms = [{"article_id": x.article_id, "term": t, "weight": w} for x in entries for t, w in x.terms.items()]
    for start in range(0, len(terms), 5000):
        conn.execute(st.insert(), terms[start:start + 5000])


def save_changes(conn: Connection, stories: Sequence[StoryRow], placed: dict[int, int],
                 links: Iterable[tuple[int, int]]) -> None:
    """Store an incremental placement: `stories` replace the rows of their ids, `placed` are new
    placements, `links` are added (the caller owns the transaction)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SAVE_LOCK})
    s, sa, sl = schema.stories, schema.story_articles, schema.story_links
    ids = [x.id for x in stories]
    for start in range(0, len(ids), 500):
        conn.execute(delete(s).where(s.c.id.in_(ids[start:start + 500])))
    if stories:
        conn.execute(s.insert(), [vars(x) for x in stories])
    if placed:
        conn.execute(sa.insert(), [{"article_id": k, "story_id": v} for k, v in sorted(placed.items())])
    have = set(story_links(conn))
    new = [{"roundup_id": r, "story_id": x} for r, x in sorted(set(links) - have)]
    if new:
        conn.execute(sl.insert(), new)


def placements(conn: Connection) -> dict[int, int]:
    """article id -> story id, as stored."""
    sa = schema.story_articles
    return {r.article_id: r.story_id for r in conn.execute(select(sa.c.article_id, sa.c.story_id))}


def successors(conn: Connection) -> dict[int, int]:
    """Article id -> the current article of its URL, for placed articles and story ids (a story's id is its
    first article's) that a newer version replaced."""
    sa, s, new = schema.story_articles, schema.stories, a.alias("new")
    ids = select(sa.c.article_id).union(select(s.c.id)).subquery()
    stmt = (select(a.c.id, new.c.id.label("current"))
            .select_from(ids.join(a, a.c.id == ids.c.article_id).join(new, new.c.url == a.c.url))
            .where(a.c.is_current.is_(False), new.c.is_current.is_(True)))
    return {r.id: r.current for r in conn.execute(stmt)}


def rules(conn: Connection) -> list[tuple[str, int, int]]:
    r = schema.story_rules
    return [(row.kind, row.article_a, row.article_b)
            for row in conn.execute(select(r.c.kind, r.c.article_a, r.c.article_b).order_by(r.c.id))]


def add_rules(conn: Connection, rows: Iterable[tuple[str, int, int]]) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    values = [{"kind": k, "article_a": x, "article_b": y, "created_at": now} for k, x, y in rows]
    if values:
        conn.execute(schema.story_rules.insert(), values)


def drop_rules_between(conn: Connection, left: Sequence[int], right: Sequence[int]) -> None:
    """Remove the rules that tie an article of `left` to one of `right` (a newer rule replaces them)."""
    r, x, y = schema.story_rules, list(left), list(right)
    conn.execute(delete(r).where(or_(r.c.article_a.in_(x) & r.c.article_b.in_(y),
                                     r.c.article_a.in_(y) & r.c.article_b.in_(x))))


def unplace(conn: Connection, articles: Sequence[int]) -> None:
    """Forget where `articles` were placed, so the next build places them again."""
    ids = list(articles)
    for table in (schema.story_articles, schema.story_index, schema.story_terms):
        conn.execute(delete(table).where(table.c.article_id.in_(ids)))


# An arbitrary constant naming the advisory lock that serialises saves of the story tables.
_SAVE_LOCK = 7_161_910_406


def save(conn: Connection, stories: Sequence[StoryRow], placed: dict[int, int],
         links: Iterable[tuple[int, int]]) -> None:
    """Replace the stored stories, placements and links (the caller owns the transaction)."""
    if conn.dialect.name == "postgresql":
        # Two `add` processes finishing at once would each delete and insert every placement; on PostgreSQL
        # the second insert then collides with the first's rows. One writer at a time, until commit.
        # (SQLite already lets one write transaction run at a time.)
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SAVE_LOCK})
    for table in (schema.story_links, schema.story_articles, schema.stories):
        conn.execute(delete(table))
    if stories:
        conn.execute(schema.stories.insert(), [vars(s) for s in stories])
    if placed:
        conn.execute(schema.story_articles.insert(),
                     [{"article_id": k, "story_id": v} for k, v in sorted(placed.items())])
    link_rows = [{"roundup_id": r, "story_id": s} for r, s in sorted(set(links))]
    if link_rows:
        conn.execute(schema.story_links.insert(), link_rows)


def story_rows(conn: Connection, *, ids: Sequence[int] | None = None, place: str | None = None,
               since: date | None = None, until: date | None = None) -> Iterator[StoryRow]:
    s = schema.stories
    stmt = select(s).order_by(s.c.first_day.is_(None), s.c.first_day, s.c.id)
    if ids is not None:
        stmt = stmt.where(s.c.id.in_(list(ids)))
    if place:
        stmt = stmt.where(func.lower(s.c.place).like(f"%{place.lower()}%"))
    if since:
        stmt = stmt.where(s.c.last_day >= since)
    if until:
        stmt = stmt.where(s.c.first_day <= until)
    for row in conn.execute(stmt):
        yield StoryRow(**row._mapping)


def story_members(conn: Connection, story_ids: Sequence[int] | None = None) -> dict[int, list[int]]:
    """story id -> its article ids, in ledger order."""
    sa = schema.story_articles
    stmt = select(sa.c.story_id, sa.c.article_id).order_by(sa.c.story_id, sa.c.article_id)
    if story_ids is not None:
        stmt = stmt.where(sa.c.story_id.in_(list(story_ids)))
    out: dict[int, list[int]] = {}
    for row in conn.execute(stmt):
        out.setdefault(row.story_id, []).append(row.article_id)
    return out


def story_of_articles(conn: Connection, article_ids: Iterable[int]) -> dict[int, int]:
    """article id -> its story id, for just these articles (those placed in a story)."""
    sa, ids = schema.story_articles, sorted(set(article_ids))
    out: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        stmt = select(sa.c.article_id, sa.c.story_id).where(sa.c.article_id.in_(ids[start:start + 500]))
        out.update({r.article_id: r.story_id for r in conn.execute(stmt)})
    return out


def story_links(conn: Connection) -> list[tuple[int, int]]:
    sl = schema.story_links
    return [(r.roundup_id, r.story_id) for r in conn.execute(select(sl.c.roundup_id, sl.c.story_id))]


def search_article_ids(conn: Connection, words: str) -> set[int]:
    """Articles whose title or text holds every one of `words` (case-insensitive)."""
    stmt: Any = select(a.c.id).where(a.c.is_current.is_(True))
    for word in words.split():
        needle = f"%{word.lower().replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(func.lower(a.c.title).like(needle), func.lower(a.c.text).like(needle)))
    return {r.id for r in conn.execute(stmt)}


def input_ids(conn: Connection, article_ids: Iterable[int]) -> dict[int, str | None]:
    """article id -> the id its input gave it (JSONL id, else URL or file name)."""
    ids = sorted(set(article_ids))
    out: dict[int, str | None] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in conn.execute(select(a.c.id, a.c.source_id, a.c.url).where(a.c.id.in_(chunk))):
            out[row.id] = row.source_id or row.url
    return out
