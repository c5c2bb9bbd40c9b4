"""Name searches on SQLite and PostgreSQL: figures by source and quotes by speaker through lower-cased,
indexed name columns, with the meaning of before (case-insensitive substring, wildcards taken literally)."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from newsledger.model import Article, Extraction, Figure, Quote
from newsledger.store import MeasureRow, Store, queries, resolve_url
from newsledger.store.migrations import MIGRATIONS

SOURCES = ["West Midlands Police", "police", "Police Scotland", "the fire service", "100%_sure"]


def _extraction(i: int, source: str) -> Extraction:
    text = f"{source} said 1{i} people were hurt. \u201cIt was bad,\u201d said {source}."
    n = text.index(f"1{i}")
    q0 = text.index("\u201c")
    figure = Figure(start=n, end=n + 2, text=f"1{i}", value=10 + i, category="injured", source=source)
    quote = Quote(start=q0 + 1, end=q0 + 12, content=text[q0 + 1:q0 + 12], kind="direct", speaker=source,
                  speaker_mention=source.split()[-1], cue="said")
    return Extraction(article=Article(text=text, id=f"a{i}"), figures=[figure], quotes=[quote])


def _stored(db_url: str) -> Store:
    store = Store(db_url)
    for i, source in enumerate(SOURCES):
        store.add(_extraction(i, source), [MeasureRow("injured|people", "injured", "test")])
    return store


def test_sources_are_found_by_any_part_of_the_name_in_any_case(db_url):
    store = _stored(db_url)
    try:
        with store.read() as conn:
            police = sorted(f.source for f in queries.figures(conn, source="POLICE"))
            literal = [f.source for f in queries.figures(conn, source="%_")]
            none = list(queries.figures(conn, source="army"))
            speakers = sorted(q.speaker for q in queries.quotes(conn, speaker="Scotland"))
            by_mention = sorted(q.speaker for q in queries.quotes(conn, speaker="SERVICE"))
            names = queries.distinct_values(conn, queries.f.c.source_norm)
    finally:
        store.close()
    assert police == ["Police Scotland", "West Midlands Police", "police"]
    assert literal == ["100%_sure"]
    assert none == []
    assert speakers == ["Police Scotland"] and by_mention == ["the fire service"]
    assert names == sorted(s.lower() for s in SOURCES)


def test_the_migration_adds_name_columns_to_tables_made_before_it(db_url):
    """A ledger made before the migration: its rows get their lower-cased names, and the indexes."""
    migrate = dict(MIGRATIONS)["normalised_names"]
    engine = create_engine(resolve_url(db_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE figures (id INTEGER PRIMARY KEY, source TEXT, as_of DATE)"))
            conn.execute(text("CREATE TABLE quotes (id INTEGER PRIMARY KEY, speaker TEXT, speaker_mention TEXT)"))
            conn.execute(text("INSERT INTO figures (id, source) VALUES (1, 'Police Scotland')"))
            conn.execute(text("INSERT INTO quotes (id, speaker, speaker_mention) VALUES (1, 'Jo Bloggs', 'Bloggs')"))
        with engine.begin() as conn:
            migrate(conn)
        with engine.begin() as conn:
            migrate(conn)  # a second run changes nothing
        with engine.connect() as conn:
            assert conn.execute(text("SELECT source_norm FROM figures")).scalar() == "police scotland"
            assert conn.execute(text("SELECT speaker_norm, mention_norm FROM quotes")).one() == ("jo bloggs", "bloggs")
            indexes = {i["name"] for t in ("figures", "quotes") for i in inspect(conn).get_indexes(t)}
        assert {"ix_figures_source_norm", "ix_quotes_speaker_norm", "ix_quotes_mention_norm"} <= indexes
    finally:
        engine.dispose()


def test_a_search_page_is_the_start_of_the_whole_result(db_url, gold_extractions):
    store = Store(db_url)
    try:
        for ex in gold_extractions[:30]:
            store.add(ex, [MeasureRow("m", "m", "test")] * len(ex.figures))
        with store.read() as conn:
            whole = list(queries.articles(conn, search="killed"))
            page = list(queries.articles(conn, search="killed", limit=3))
    finally:
        store.close()
    assert len(whole) > 3
    assert [(x.id, x.snippet) for x in page] == [(x.id, x.snippet) for x in whole[:3]]
    assert all("[" in (x.snippet or "") for x in page)


def test_search_pages_by_keyset_list_every_match_latest_stored_first(db_url, gold_extractions):
    store = Store(db_url)
    try:
        for ex in gold_extractions[:30]:
            store.add(ex, [MeasureRow("m", "m", "test")] * len(ex.figures))
        with store.read() as conn:
            whole = list(queries.articles(conn, search="killed"))
            pages, before = [], None
            while page := list(queries.articles(conn, search="killed", limit=2, before=before)):
                pages.append(page)
                before = page[-1].id
    finally:
        store.close()
    ids = [x.id for x in whole]
    assert len(ids) > 4 and ids == sorted(ids, reverse=True)
    assert [(x.id, x.snippet) for p in pages for x in p] == [(x.id, x.snippet) for x in whole]
    assert all(len(p) == 2 for p in pages[:-1])


def test_stats_count_distinct_sources_and_speakers(db_url):
    store = _stored(db_url)
    try:
        with store.read() as conn:
            counts = queries.counts(conn)
    finally:
        store.close()
    assert counts["sources"] == counts["speakers"] == len(SOURCES)
    assert counts["articles"] == counts["figures"] == counts["quotes"] == len(SOURCES)


def test_a_first_page_by_source_is_the_start_of_the_whole_listing(db_url):
    """Dated and undated figures of several matching names interleave as in the unpaged listing, on any page."""
    from dataclasses import replace
    from datetime import date

    store = Store(db_url)
    try:
        for i in range(12):
            ex = _extraction(i, SOURCES[i % 3])
            day = f"2024-0{1 + i % 9}-1{i % 10}" if i % 4 else None  # every fourth has no as-of date
            ex = replace(ex, figures=[replace(ex.figures[0], as_of=day)],
                         article=replace(ex.article, published=date(2024, 1 + (7 * i) % 12, 5) if i % 5 else None))
            store.add(ex, [MeasureRow("injured|people", "injured", "test")])
        with store.read() as conn:
            whole = [x.id for x in queries.figures(conn, source="police")]
            pages = {(n, k): [x.id for x in queries.figures(conn, source="police", limit=n, offset=k)]
                     for n in (1, 4, 7, 20) for k in (0, 3)}
            forms = ["police", "Police Scotland"]  # a source entity's written forms, matched exactly
            whole_forms = [x.id for x in queries.figures(conn, sources=forms)]
            form_pages = {(n, k): [x.id for x in queries.figures(conn, sources=forms, limit=n, offset=k)]
                          for n in (1, 4, 20) for k in (0, 3)}
    finally:
        store.close()
    assert len(whole) == 12 and len(whole_forms) == 8
    for (n, k), page in pages.items():
        assert page == whole[k:k + n], (n, k)
    for (n, k), page in form_pages.items():
        assert page == whole_forms[k:k + n], (n, k)


def test_quote_pages_by_speaker_are_the_same_whichever_plan_reads_them(db_url, monkeypatch):
    """A common name is read article by article in listing order, a rare one through the name indexes:
    the pages are the start of the same whole listing either way (undated articles last)."""
    from dataclasses import replace
    from datetime import date

    store = Store(db_url)
    try:
        for i in range(12):
            ex = _extraction(i, SOURCES[i % 3])
            ex = replace(ex, article=replace(ex.article, published=date(2024, 1 + (5 * i) % 12, 3) if i % 4 else None))
            store.add(ex, [MeasureRow("injured|people", "injured", "test")])
        with store.read() as conn:
            whole = [x.id for x in queries.quotes(conn, speaker="police")]
            pages = {}
            for common in (10_000, 2):  # the first reads through the name indexes, the second by article
                monkeypatch.setattr(queries, "COMMON_NAME", common)
                pages[common] = [[x.id for x in queries.quotes(conn, speaker="police", limit=n, offset=k)]
                                 for n, k in ((1, 0), (5, 0), (5, 5), (20, 0))]
            published = [x.published for x in queries.quotes(conn, speaker="police")]
    finally:
        store.close()
    assert len(whole) == 12
    assert published[-3:] == [None] * 3 and all(p is not None for p in published[:-3])
    want = [whole[:1], whole[:5], whole[5:10], whole]
    assert pages[10_000] == want and pages[2] == want


def test_source_names_read_from_the_counts_are_the_distinct_lower_cased_sources(db_url):
    store = _stored(db_url)
    try:
        with store.read() as conn:
            every = queries.source_names(conn)
            indexed = queries.distinct_values(conn, queries.f.c.source_norm)
            police = queries.source_names(conn, "%police%")
            literal = queries.source_names(conn, "%0\\%%")
    finally:
        store.close()
    assert every == sorted(indexed) and len(every) == len(SOURCES)
    assert police == ["police", "police scotland", "west midlands police"]
    assert literal == ["100%_sure"]


def test_speaker_names_read_from_the_counts_are_the_distinct_lower_cased_names(db_url):
    store = _stored(db_url)
    try:
        with store.read() as conn:
            speakers = queries.speaker_names(conn, "speaker")
            mentions = queries.speaker_names(conn, "mention", "%police%")
            indexed = queries.distinct_values(conn, queries.q.c.speaker_norm)
    finally:
        store.close()
    assert speakers == sorted(indexed) and len(speakers) == len(SOURCES)
    assert mentions == ["police"]
