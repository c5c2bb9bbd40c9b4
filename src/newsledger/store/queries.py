"""Reading the ledger: articles (full-text search), figures, quotes, a measure's figures, versions, counts."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
)

from newsledger.store import counts as maintained
from newsledger.store import paging, schema

a, f, q = schema.articles, schema.figures, schema.quotes


@dataclass
class StoredArticle:
    id: int
    source_id: str | None
    url: str | None
    version: int
    title: str | None
    outlet: str | None
    published: date | None
    origin: str
    added_at: Any
    snippet: str | None = None


@dataclass
class StoredFigure:
    """A stored figure with its article's facts; `measure_key` is the stored one until overrides apply."""

    id: int
    article_id: int
    span_start: int
    span_end: int
    text: str
    value: float | None
    value_max: float | None
    qualifier: str
    counted: str | None
    category: str
    source: str | None
    as_of: date | None
    part_of: int | None
    measure_key: str
    measure_explanation: str | None
    measure_label: str | None
    published: date | None
    url: str | None
    outlet: str | None
    title: str | None
    article_source_id: str | None
    whole_figure_id: int | None = None  # the stored figure this one is part of (part_of), if any
    whole_value: float | None = None
    period: str | None = None  # the period a period count covers (figures.period)


@dataclass
class StoredQuote:
    id: int
    article_id: int
    span_start: int
    span_end: int
    content: str
    kind: str
    speaker: str | None
    speaker_mention: str | None
    cue: str | None
    published: date | None
    url: str | None
    outlet: str | None
    title: str | None
    ordinal: int = 0  # its place in its article (text order): with the article, what paging goes by


def _figure_select(current_only: bool = True, lean: bool = False, outer: bool = False) -> Select[Any]:
    """Figures with their article's facts; `lean` leaves out long texts a series does not show. `outer`
    joins the articles as a LEFT JOIN (the same rows: every figure has its article, and the current-version
    test drops none), which keeps SQLite from building a Bloom filter over every article (reading the
    whole articles table, half a second at 139,200 articles) before a page that looks up fifty."""
    m = schema.measures
    whole = f.alias("whole")

    def maybe(column: Any, name: str) -> Any:
        return null().label(name) if lean else column.label(name)

    joined = f.outerjoin(a, f.c.article_id == a.c.id) if outer else f.join(a, f.c.article_id == a.c.id)
    if not lean:
        joined = joined.outerjoin(m, m.c.key == f.c.measure_key)
    return (select(f.c.id, f.c.article_id, f.c.span_start, f.c.span_end, f.c.text, f.c.value,
                   f.c.value_max, f.c.qualifier, f.c.counted, f.c.category, f.c.source, f.c.as_of,
                   f.c.part_of, f.c.measure_key, maybe(f.c.measure_explanation, "measure_explanation"),
                   maybe(m.c.label, "measure_label"), a.c.published, a.c.url, a.c.outlet,
                   maybe(a.c.title, "title"), maybe(a.c.source_id, "article_source_id"),
                   whole.c.id.label("whole_figure_id"), whole.c.value.label("whole_value"), f.c.period)
            .select_from(joined.outerjoin(whole, and_(whole.c.article_id == f.c.article_id,
                                                      whole.c.ordinal == f.c.part_of)))
            .where(a.c.is_current.is_(True) if current_only else true()))


assert [c.name for c in _figure_select().selected_columns] == [fl.name for fl in fields(StoredFigure)], \
    "_figure_select must select StoredFigure's fields in order"


def _contains(column: Any, needle: str) -> Any:
    """Case-insensitive substring match that treats % and _ literally."""
    escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def _norm_pattern(needle: str) -> str:
    escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def distinct_values(conn: Connection, column: Any, pattern: str | None = None) -> list[str]:
    """The distinct non-null values of an indexed column (that match a LIKE pattern), read by stepping
    through its index from one value to the next (a loose index scan): one probe per distinct value,
    where SELECT DISTINCT would read every row. Names repeat (a few thousand sources over a million
    figures), so this is how a name search finds its names."""
    table, name = column.table.name, column.name
    assert re.fullmatch(r"\w+", table) and re.fullmatch(r"\w+", name), "identifiers, not user input"
    sql = (f"WITH RECURSIVE d(v) AS (SELECT (SELECT min({name}) FROM {table}) "
           f"UNION ALL SELECT (SELECT min({name}) FROM {table} WHERE {name} > d.v) FROM d WHERE d.v IS NOT NULL) "
           "SELECT v FROM d WHERE v IS NOT NULL")
    if pattern is None:
        return [row[0] for row in conn.execute(text(sql))]
    return [row[0] for row in conn.execute(text(sql + " AND v LIKE :pattern ESCAPE '\\'"), {"pattern": pattern})]


def source_names(conn: Connection, pattern: str | None = None) -> list[str]:
    """The distinct lower-cased sources of figures (that match a LIKE pattern), read from the figure counts
    per written source that triggers keep (source_counts: a row per written form, a few thousand at a
    million figures) rather than by probing the figures' name index once per distinct name."""
    sc = schema.source_counts
    return _lowered(conn, sc.c.source, sc.c.figures > 0, pattern)


def speaker_names(conn: Connection, kind: str, pattern: str | None = None) -> list[str]:
    """The distinct lower-cased speakers (kind "speaker") or speaker mentions ("mention") of quotes (that
    match a LIKE pattern), read from the maintained speaker_counts as source_names reads source_counts."""
    sc = schema.speaker_counts
    return _lowered(conn, sc.c.name, and_(sc.c.kind == kind, sc.c.quotes > 0), pattern)


def _lowered(conn: Connection, name: Any, held: Any, pattern: str | None) -> list[str]:
    norm = func.lower(name)
    stmt = select(norm).where(held).distinct()
    if pattern is not None:
        stmt = stmt.where(norm.like(pattern, escape="\\"))
    return sorted(row[0] for row in conn.execute(stmt))


def _figures_stmt(conn: Connection, *, source: str | None = None, since: date | None = None,
                  until: date | None = None, category: str | None = None,
                  measure_keys: Sequence[str] | None = None, article_id: int | None = None,
                  current_only: bool = True, lean: bool = False, ids: Sequence[int] | None = None,
                  article_ids: Sequence[int] | None = None, sources: Sequence[str] | None = None,
                  names: list[str] | None = None, outer: bool = False) -> Select[Any]:
    when = func.coalesce(f.c.as_of, a.c.published)
    stmt = _figure_select(current_only, lean, outer)
    if source:
        if names is None:
            names = source_names(conn, _norm_pattern(source))
        stmt = stmt.where(f.c.source_norm.in_(names) if names else false())
    if sources is not None:
        stmt = stmt.where(f.c.source.in_(list(sources)))
    if since:
        stmt = stmt.where(when >= since)
    if until:
        stmt = stmt.where(when <= until)
    if category:
        stmt = stmt.where(f.c.category == category)
    if measure_keys is not None:
        stmt = stmt.where(f.c.measure_key.in_(list(measure_keys)))
    if article_id is not None:
        stmt = stmt.where(f.c.article_id == article_id)
    if ids is not None:
        stmt = stmt.where(f.c.id.in_(list(ids)))
    if article_ids is not None:
        stmt = stmt.where(f.c.article_id.in_(list(article_ids)))
    return stmt


def figures(conn: Connection, *, source: str | None = None, since: date | None = None,
            until: date | None = None, category: str | None = None,
            measure_keys: Sequence[str] | None = None, article_id: int | None = None,
            limit: int | None = None, current_only: bool = True, lean: bool = False,
            stream: bool = False, offset: int = 0, ids: Sequence[int] | None = None,
            article_ids: Sequence[int] | None = None, sources: Sequence[str] | None = None,
            after: tuple[date | None, int] | None = None) -> Iterator[StoredFigure]:
    """Figures of current article versions, oldest as-of date (else publication day) first, then by id.

    `limit` and `offset` page through them, and `after` (the (as-of else publication day, id) of the last
    row of a page) starts the next page after that row (keyset paging); `ids` and `article_ids` pick
    figures by id or by article; `source` matches words of the source as written, `sources` lists written
    forms exactly (a source's aliases)."""
    when = func.coalesce(f.c.as_of, a.c.published)
    names = source_names(conn, _norm_pattern(source)) if source else None
    # Either words of a source or its exact written forms (both at once: the plain statement).
    by_name = bool(limit and ((names and sources is None) or (sources and not source)))
    # The plain listing (no names, ids, articles or measures) a page at a time through its index.
    listing = bool(limit) and not by_name and not source and sources is None and ids is None \
        and article_ids is None and measure_keys is None and article_id is None
    stmt = _figures_stmt(conn, source=None if by_name else source, since=since, until=until, category=category,
                         measure_keys=measure_keys, article_id=article_id, current_only=current_only,
                         lean=lean, ids=ids, article_ids=article_ids, sources=None if by_name else sources,
                         names=names, outer=(by_name or listing) and conn.dialect.name == "sqlite")
    if after is not None:
        stmt = stmt.where(paging.after([(when, False, True), (f.c.id, False, False)], after))
    if listing and limit:
        stmt = _first_by_name(stmt, [true()], limit + offset, after, since, until)
    elif by_name and limit:
        # Each name's (or written form's) first rows through the (source_norm, as_of, id) index. A written
        # form is checked as `source || ''`: as an index condition beside its lower-cased form, PostgreSQL
        # takes the two as independent, expects a handful of rows and sorts every one of them.
        picks = ([f.c.source_norm == name for name in names or ()]
                 + [and_(f.c.source_norm == form.lower(), f.c.source.concat("") == form) for form in dict.fromkeys(sources or ())])
        stmt = _first_by_name(stmt, picks, limit + offset, after, since, until)
    else:
        stmt = stmt.order_by(when.is_(None), when, f.c.id)
    if limit:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    # Positional construction (columns are selected in field order, checked below): a series of a
    # measure can be tens of thousands of rows, and building each from a mapping doubles the cost.
    # `stream` reads in batches (exports of millions of rows); otherwise all rows at once, which is faster.
    rows = conn.execution_options(yield_per=5000).execute(stmt) if stream else conn.execute(stmt).all()
    for row in rows:
        yield StoredFigure(*row)


def _first_by_name(stmt: Select[Any], picks: list[Any], limit: int,
                   after: tuple[date | None, int] | None = None, since: date | None = None,
                   until: date | None = None) -> Select[Any]:
    """The first `limit` rows of `stmt` (figures of some sources) in listing order, read through the
    (source_norm, as_of, id) index: per pick (a condition naming one source_norm, and maybe one written
    form), its first rows that have an as-of date (in index order, which is the listing order for them),
    plus every row without one (rare: the as-of date falls back to the publication day); then those in
    listing order (the caller limits). Sorting every figure of a common source ("police": tens of
    thousands at a million figures) is what this avoids. The picks must not overlap. After a cursor
    (keyset paging) each pick's rows start at the cursor's (as_of, id) in the same index, and the dated
    rows' bounds (`since`, `until`) are put on as_of itself, where the index can start and stop. A pick
    of `true()` is the whole listing, through the (as_of, id) index."""
    dated: Any = f.c.as_of.is_not(None)
    if since:
        dated = and_(dated, f.c.as_of >= since)
    if until:
        dated = and_(dated, f.c.as_of <= until)
    if after is not None:
        dated = and_(dated, tuple_(f.c.as_of, f.c.id) > tuple_(*after)) if after[0] is not None else false()
    parts = [stmt.where(pick, dated).order_by(f.c.as_of, f.c.id)
             .limit(limit).subquery() for pick in picks]
    # Those without an as-of date in their own order (the article's day), only as many as a page holds.
    undated = (stmt.where(or_(*picks), f.c.as_of.is_(None))
               .order_by(a.c.published.is_(None), a.c.published, f.c.id).limit(limit).subquery())
    union = union_all(*[select(*p.c) for p in parts], select(*undated.c)).subquery()
    when = func.coalesce(union.c.as_of, union.c.published)
    return select(*union.c).order_by(when.is_(None), when, union.c.id)


def count_figures(conn: Connection, **filters: Any) -> int:
    """How many figures `figures(conn, **filters)` would give without a limit."""
    stmt = _figures_stmt(conn, lean=True, **filters)
    return int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar() or 0)


# A speaker search whose names hold at least this many quotes reads the quotes article by article in
# listing order (its first page is near the start); a rarer one reads its quotes through the name indexes
# and sorts them. Either way about this many rows at most: at a million quotes both plans cost tens of ms
# here, where the wrong one costs seconds (every quote of "police" sorted; every article read for "smith").
COMMON_NAME = 10_000


def _speaker_names(conn: Connection, speaker: str) -> tuple[list[str], list[str]]:
    """The lower-cased speaker names and speaker mentions that contain `speaker`."""
    pattern = _norm_pattern(speaker)
    return speaker_names(conn, "speaker", pattern), speaker_names(conn, "mention", pattern)


def _quotes_stmt(conn: Connection, *, speaker: str | None = None, search: str | None = None,
                 article_id: int | None = None, current_only: bool = True, scan_articles: bool = False,
                 names: tuple[list[str], list[str]] | None = None) -> Select[Any]:
    stmt = (select(q.c.id, q.c.article_id, q.c.span_start, q.c.span_end, q.c.content, q.c.kind,
                   q.c.speaker, q.c.speaker_mention, q.c.cue, a.c.published, a.c.url, a.c.outlet,
                   a.c.title, q.c.ordinal)
            .select_from(q.join(a, q.c.article_id == a.c.id))
            .where(a.c.is_current.is_(True) if current_only else true()))
    if speaker:
        speakers, mentions = names if names is not None else _speaker_names(conn, speaker)
        if scan_articles:
            # `|| ''` hides the name indexes, so the articles' listing index leads and quotes follow by article.
            by_speaker, by_mention = q.c.speaker_norm.concat(""), q.c.mention_norm.concat("")
        else:
            by_speaker, by_mention = q.c.speaker_norm, q.c.mention_norm
        stmt = stmt.where(or_(by_speaker.in_(speakers) if speakers else false(),
                              by_mention.in_(mentions) if mentions else false()))
    if search:
        stmt = stmt.where(_contains(q.c.content, search))
    if article_id is not None:
        stmt = stmt.where(q.c.article_id == article_id)
    return stmt


def _common_names(conn: Connection, speakers: list[str], mentions: list[str]) -> bool:
    """Whether these names hold at least COMMON_NAME quotes (counted through the name indexes, stopping at
    COMMON_NAME)."""
    if not speakers and not mentions:
        return False
    hits = (select(q.c.id).where(or_(q.c.speaker_norm.in_(speakers) if speakers else false(),
                                     q.c.mention_norm.in_(mentions) if mentions else false()))
            .limit(COMMON_NAME).subquery())
    return int(conn.execute(select(func.count()).select_from(hits)).scalar() or 0) >= COMMON_NAME


def quotes(conn: Connection, *, speaker: str | None = None, search: str | None = None,
           article_id: int | None = None, limit: int | None = None,
           current_only: bool = True, offset: int = 0,
           after: tuple[date | None, int, int] | None = None) -> Iterator[StoredQuote]:
    """Quotes, oldest article first (undated last; then by article id), in text order within an article;
    `after` (the (publication day, article id, ordinal) of the last quote of a page) starts the next page
    after that quote (keyset paging)."""
    names = _speaker_names(conn, speaker) if speaker else None
    # SQLite's planner cannot tell a common name from a rare one, so it is told; PostgreSQL's weighs the
    # two plans itself from its statistics on the name columns.
    scan = bool(names and limit and article_id is None and conn.dialect.name == "sqlite"
                and _common_names(conn, *names))
    stmt = _quotes_stmt(conn, speaker=speaker, search=search, article_id=article_id, current_only=current_only,
                        scan_articles=scan, names=names)
    # The articles' listing index (published IS NULL, published, id) gives this order without a sort.
    order = (a.c.published.is_(None), a.c.published, a.c.id, q.c.ordinal)
    if after is not None:
        yield from _quotes_after(conn, stmt, after, limit, offset)
        return
    stmt = stmt.order_by(*order)
    if limit:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    for row in conn.execute(stmt):
        yield StoredQuote(**row._mapping)


def _quotes_after(conn: Connection, stmt: Select[Any], after: tuple[date | None, int, int], limit: int | None,
                  offset: int) -> Iterator[StoredQuote]:
    """The quotes after a cursor: those of dated articles first (when the cursor is dated), then those of
    undated ones. Each part is a range on the articles' listing index written as PostgreSQL can plan it:
    `published IS NOT NULL AND (published, id) >= (day, article)` is estimated from the publication days,
    where the one row comparison that leads with the IS NULL flag was estimated at one row and planned as
    a sort of every later quote (8 s for page 1,000 at a million quotes)."""
    day, article, ordinal = after
    parts = []
    if day is not None:
        parts.append(stmt.where(a.c.published.is_not(None), tuple_(a.c.published, a.c.id) >= tuple_(day, article),
                                tuple_(a.c.published, a.c.id, q.c.ordinal) > tuple_(day, article, ordinal))
                     .order_by(a.c.published, a.c.id, q.c.ordinal))
        parts.append(stmt.where(a.c.published.is_(None)).order_by(a.c.id, q.c.ordinal))
    else:
        parts.append(stmt.where(a.c.published.is_(None), a.c.id >= article,
                                tuple_(a.c.id, q.c.ordinal) > tuple_(article, ordinal)).order_by(a.c.id, q.c.ordinal))
    wanted = limit + offset if limit else None
    found: list[StoredQuote] = []
    for part in parts:
        if wanted is not None:
            part = part.limit(wanted - len(found))
        found += [StoredQuote(**row._mapping) for row in conn.execute(part)]
        if wanted is not None and len(found) >= wanted:
            break
    yield from (found[offset:offset + limit] if limit else found[offset:])


def count_quotes(conn: Connection, **filters: Any) -> int:
    """How many quotes `quotes(conn, **filters)` would give without a limit."""
    stmt = _quotes_stmt(conn, **filters)
    return int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar() or 0)


_ARTICLE_COLS = [c.name for c in fields(StoredArticle) if c.name != "snippet"]


def fts_query(search: str) -> str:
    """The user's words as an FTS5 query: every word must occur (quoted, so no syntax errors)."""
    words = re.findall(r"\w+", search)
    return " ".join(f'"{w}"' for w in words)


def _articles_stmt(conn: Connection, *, search: str | None = None, url: str | None = None,
                   all_versions: bool = False, with_snippet: bool = True, limit: int | None = None,
                   offset: int = 0, before: int | None = None,
                   after: tuple[date | None, int] | None = None) -> Select[Any] | None:
    """The articles query. A search lists its matches latest stored first (by id, descending), and with
    `limit` (and no `url`) the page is chosen first (ids only) and snippets are made for its rows alone.
    Ranking by relevance reads every match to find the best (6 s for a word in 127,368 of 139,200
    articles); in id order both engines stop after a page: FTS5 walks its index in rowid order, and
    PostgreSQL walks the primary key testing each article's stored vector (or, for a rare word, reads its
    few matches from the GIN index and sorts them). `before` (an article id) starts the page after the
    article of that id: keyset paging, as fast on page 1,000 as on page 1. Without a search, `after` (the
    (publication day, id) of the last article of a page) starts the next page after it."""
    cols = [a.c[name] for name in _ARTICLE_COLS]
    current = a.c.is_current.is_(True)
    if search and conn.dialect.name == "sqlite":
        query = fts_query(search)
        if not query:
            return None
        fts = text("articles_fts")
        fts_id: Any = literal_column("articles_fts.rowid")
        match = literal_column("articles_fts").op("MATCH")(query)
        snippet = literal_column("snippet(articles_fts, 1, '[', ']', ' … ', 12)") if with_snippet else null()
        stmt = (select(*cols, snippet.label("snippet"))
                .select_from(a.join(fts, fts_id == a.c.id)).where(match).order_by(fts_id.desc()))
        if before is not None:
            stmt = stmt.where(fts_id < before)
        if limit and not url:
            ids = (select(fts_id).select_from(a.join(fts, fts_id == a.c.id)).where(match)
                   .where(true() if all_versions else current).order_by(fts_id.desc()).limit(limit).offset(offset))
            if before is not None:
                ids = ids.where(fts_id < before)
            page_ids = [int(i) for i in conn.execute(ids).scalars()]
            if not page_ids:
                return None
            # The page's ids first, then its rows with snippets, the full-text scan bounded to the page's
            # rowid range: given only `id IN (page)`, SQLite tests the MATCH on every match (1 s for a
            # word in 127,368 articles) and keeps the page's.
            stmt = stmt.where(fts_id >= min(page_ids), fts_id <= max(page_ids), a.c.id.in_(page_ids))
    elif search:
        tsq = func.websearch_to_tsquery("english", search)
        headline = (func.ts_headline("english", a.c.text, tsq, "MaxWords=18, MinWords=8, StartSel=[, StopSel=]")
                    if with_snippet else null())
        matches = literal_column("search").op("@@")(tsq)
        stmt = select(*cols, headline.label("snippet")).where(matches).order_by(a.c.id.desc())
        if before is not None:
            stmt = stmt.where(a.c.id < before)
        if limit and not url:
            page: Any = (select(a.c.id).where(matches).where(true() if all_versions else current)
                         .order_by(a.c.id.desc()).limit(limit).offset(offset))
            if before is not None:
                page = page.where(a.c.id < before)
            page = page.subquery()
            stmt = (select(*cols, headline.label("snippet")).select_from(a.join(page, page.c.id == a.c.id))
                    .order_by(a.c.id.desc()))
    else:
        stmt = select(*cols).order_by(a.c.published.desc().nulls_last(), a.c.id.desc())
        if after is not None:
            stmt = stmt.where(paging.after([(a.c.published, True, True), (a.c.id, True, False)], after))
    if not all_versions:
        stmt = stmt.where(current)
    if url:
        stmt = stmt.where(a.c.url == url).order_by(None).order_by(a.c.version)
    return stmt


def articles(conn: Connection, *, search: str | None = None, url: str | None = None,
             limit: int | None = None, all_versions: bool = False, offset: int = 0,
             before: int | None = None, after: tuple[date | None, int] | None = None) -> Iterator[StoredArticle]:
    """Articles, newest first; with `search`, those matching every word, latest stored first (`before`:
    only those stored before the article of that id, the next page after it)."""
    stmt = _articles_stmt(conn, search=search, url=url, all_versions=all_versions, limit=limit, offset=offset,
                          before=before, after=after)
    if stmt is None:
        return
    if not (search and limit and not url):  # a search page is chosen inside the statement
        if limit:
            stmt = stmt.limit(limit)
        if offset:
            stmt = stmt.offset(offset)
    for row in conn.execute(stmt):
        yield StoredArticle(**row._mapping)


def count_articles(conn: Connection, **filters: Any) -> int:
    """How many articles `articles(conn, **filters)` would give without a limit."""
    stmt = _articles_stmt(conn, with_snippet=False, **filters)
    if stmt is None:
        return 0
    return int(conn.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar() or 0)


def article_texts(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    """The texts of the given articles, by id."""
    if not ids:
        return {}
    return {int(i): t for i, t in conn.execute(select(a.c.id, a.c.text).where(a.c.id.in_(sorted(set(ids)))))}


def article_text(conn: Connection, article_id: int) -> str | None:
    return conn.execute(select(a.c.text).where(a.c.id == article_id)).scalar()


def stored_measure_keys(conn: Connection) -> dict[str, str]:
    """Every stored measure key with its label."""
    m = schema.measures
    return {row.key: row.label for row in conn.execute(select(m.c.key, m.c.label))}


def measure_counts(conn: Connection) -> dict[str, int]:
    """Figures per stored measure key (current article versions only), from the maintained counts."""
    return maintained.measure_counts(conn)


def counts(conn: Connection) -> dict[str, int]:
    """Rows per kind, plus current articles and distinct URLs."""
    out = maintained.row_counts(conn)
    sc, spk = schema.source_counts, schema.speaker_counts
    # One statement (each a small table's count): on a busy machine every round trip to PostgreSQL costs
    # a few milliseconds of waiting for the server process to run.
    measures, sources, speakers = conn.execute(select(
        select(func.count()).select_from(schema.measures).scalar_subquery(),
        select(func.count()).select_from(sc).where(sc.c.figures > 0).scalar_subquery(),
        select(func.count()).select_from(spk).where(spk.c.kind == "speaker", spk.c.quotes > 0).scalar_subquery(),
    )).one()
    out.update(measures=int(measures or 0), sources=int(sources or 0), speakers=int(speakers or 0))
    return out


def date_span(conn: Connection) -> tuple[date | None, date | None]:
    # Two subqueries: SQLite answers a lone min() or max() from the index, both in one SELECT by a scan.
    first, last = conn.execute(select(select(func.min(a.c.published)).scalar_subquery(),
                                      select(func.max(a.c.published)).scalar_subquery())).one()
    return first, last


def rows(conn: Connection, kind: str, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Every row of a record table joined with its article's url and date (streamed), for export."""
    table = schema.articles if kind == "articles" else schema.RECORD_TABLES[kind]
    if kind == "articles":
        stmt = select(*[c for c in a.c if c.name != "search"]).order_by(a.c.id)
    else:
        # The generated lower-cased names are an index's business, not a record's.
        stmt = (select(*[c for c in table.c if c.computed is None], a.c.url, a.c.published, a.c.outlet)
                .select_from(table.join(a, table.c.article_id == a.c.id))
                .where(and_(a.c.is_current.is_(True))).order_by(table.c.id))
    result = conn.execution_options(yield_per=batch).execute(stmt)
    for row in result:
        yield dict(row._mapping)


def article(conn: Connection, article_id: int) -> StoredArticle | None:
    """One stored article (any version) by id."""
    row = conn.execute(select(*[a.c[name] for name in _ARTICLE_COLS]).where(a.c.id == article_id)).first()
    return StoredArticle(**row._mapping) if row is not None else None


def article_records(conn: Connection, kind: str, article_id: int) -> list[dict[str, Any]]:
    """Every record of `kind` (a RECORD_TABLES name) of one article, in text order."""
    table = schema.RECORD_TABLES[kind]
    stmt = select(table).where(table.c.article_id == article_id).order_by(table.c.span_start, table.c.id)
    return [dict(row._mapping) for row in conn.execute(stmt)]


def record_article(conn: Connection, kind: str, record_id: int) -> int | None:
    """The article id of one record of `kind` (a RECORD_TABLES name), or None."""
    table = schema.RECORD_TABLES[kind]
    return conn.execute(select(table.c.article_id).where(table.c.id == record_id)).scalar()


def measure_labels(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The labels of just these stored measure keys (a page needs a few, not all of them)."""
    m = schema.measures
    if not keys:
        return {}
    return {row.key: row.label for row in conn.execute(select(m.c.key, m.c.label).where(m.c.key.in_(list(keys))))}
