"""The store on SQLite and PostgreSQL: migrations, idempotent writes, versions, spans, full-text search."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from sqlalchemy import func, select, text

from newsledger.errors import StoreError
from newsledger.model import Article, Extraction
from newsledger.store import SCHEMA_VERSION, MeasureRow, Store, queries, schema
from newsledger.store.migrations import MIGRATIONS


def _measures(ex: Extraction) -> list[MeasureRow]:
    return [MeasureRow(f"{f.category}|{f.counted or ''}", f"{f.category} · {f.counted}", "test grouping")
            for f in ex.figures]


def _copy(ex: Extraction, **article_changes) -> Extraction:
    return dataclasses.replace(ex, article=dataclasses.replace(ex.article, **article_changes))


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def _count(store: Store, table) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar())


def test_new_database_records_every_migration_by_name(store):
    with store.read() as conn:
        rows = conn.execute(select(schema.schema_version).order_by(schema.schema_version.c.version)).all()
    assert [(r.version, r.name) for r in rows] == [(i, name) for i, (name, _) in enumerate(MIGRATIONS, 1)]
    assert store.schema_version == SCHEMA_VERSION


def test_reopening_applies_nothing_twice(db_url, gold_extractions):
    with_data = Store(db_url)
    with_data.add(gold_extractions[0], _measures(gold_extractions[0]))
    with_data.close()
    again = Store(db_url)
    assert _count(again, schema.schema_version) == SCHEMA_VERSION
    assert _count(again, schema.articles) == 1
    again.close()


def test_database_of_a_newer_schema_is_refused_and_left_intact(db_url, gold_extractions):
    s = Store(db_url)
    s.add(gold_extractions[0], _measures(gold_extractions[0]))
    with s.write() as conn:
        conn.execute(schema.schema_version.insert().values(version=SCHEMA_VERSION + 1, name="from_the_future",
                                                           applied_at=datetime(2030, 1, 1)))
    s.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db_url)
    # Read it without migrating: the article must still be there.
    from newsledger.store.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(db_url))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.articles)).scalar() == 1
    engine.dispose()


def test_a_ledger_that_applied_migrations_in_another_order_gets_the_one_it_lacks(db_url, pipeline):
    # A development build applied a later migration under the number this one gives "kept_conflicts": the
    # highest number looks current, the names tell what is missing (before, it was never applied).
    from newsledger.ledger import Ledger

    with Ledger(db_url, pipeline=pipeline) as lg:
        lg.add([Article(text="Police said 3 people were killed and 5 injured in a shooting on Main Street.",
                        id="one")])
    s = Store(db_url)
    with s.write() as conn:
        conn.execute(schema.schema_version.delete().where(schema.schema_version.c.name == "kept_conflicts"))
        conn.execute(text("DROP TABLE conflicts_pending"))
        conn.execute(text("DROP TABLE conflicts"))
    s.close()
    with Ledger(db_url, pipeline=pipeline) as lg:  # migrates, then marks and keeps conflicts as it adds
        report = lg.add([Article(text="Police said 4 people were killed in the Main Street shooting.", id="two")])
        assert report.added == 1
        with lg.store.read() as conn:
            names = [r.name for r in conn.execute(select(schema.schema_version.c.name))]
    assert sorted(names) == sorted(name for name, _ in MIGRATIONS)


def test_a_database_not_made_by_newsledger_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE articles (x INTEGER)")
    with pytest.raises(StoreError, match="not made by newsledger"):
        Store(path)


def test_unreachable_server_is_one_store_error():
    with pytest.raises(StoreError, match="cannot reach database") as info:
        Store("postgresql://nobody@127.0.0.1:9/none")
    assert "\n" not in str(info.value)


def test_missing_folder_is_one_store_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "no" / "such" / "ledger.db")


def test_same_article_twice_is_stored_once(store, gold_extractions):
    ex = gold_extractions[1]
    first = store.add(ex, _measures(ex))
    second = store.add(ex, _measures(ex))
    assert first.status == "added" and second.status == "duplicate"
    assert _count(store, schema.articles) == 1
    assert _count(store, schema.figures) == len(ex.figures)


def test_same_text_with_other_whitespace_and_url_is_a_duplicate(store, gold_extractions):
    ex = gold_extractions[2]
    store.add(_copy(ex, url="https://a.example/1"), _measures(ex))
    reflowed = _copy(ex, url="https://b.example/2", text="  " + ex.article.text.replace(" ", "\n ") + "\n")
    again = store.add(reflowed, _measures(ex))
    assert again.status == "duplicate" and "same text" in (again.reason or "")
    assert _count(store, schema.articles) == 1


def test_changed_text_at_a_known_url_is_a_new_version(store, gold_extractions):
    old, new = gold_extractions[3], gold_extractions[4]
    url = "https://news.example/story"
    assert store.add(_copy(old, url=url), _measures(old)).status == "added"
    second = store.add(_copy(new, url=url), _measures(new))
    assert (second.status, second.version) == ("version", 2)
    with store.read() as conn:
        current = list(queries.articles(conn))
        every = list(queries.articles(conn, url=url, all_versions=True))
        figure_articles = {f.article_id for f in queries.figures(conn)}
    assert [a.version for a in every] == [1, 2]
    assert [a.id for a in current] == [second.article_id]
    # Figures of the superseded version are kept (for diffs) but not read as current.
    assert figure_articles <= {second.article_id}


def test_every_stored_span_is_a_slice_of_the_stored_text(store, gold_extractions):
    for ex in gold_extractions[:20]:
        store.add(ex, _measures(ex))
    with store.read() as conn:
        figs = list(queries.figures(conn))
        texts = {a.id: queries.article_text(conn, a.id) for a in queries.articles(conn)}
        quotes = list(queries.quotes(conn))
    assert figs and quotes
    for f in figs:
        assert texts[f.article_id][f.span_start:f.span_end] == f.text
    for q in quotes:
        assert q.span_end > q.span_start and q.span_end <= len(texts[q.article_id])


def test_an_article_that_fails_midway_stores_nothing(store, gold_extractions):
    ex = next(e for e in gold_extractions if len(e.figures) >= 2)
    broken = _measures(ex)[:-1]  # one measure short: the figure insert fails after the article insert
    with pytest.raises(ValueError):
        store.add(ex, broken)
    assert _count(store, schema.articles) == 0
    assert _count(store, schema.figures) == 0
    assert _count(store, schema.quotes) == 0
    assert store.add(ex, _measures(ex)).status == "added"


def test_full_text_search_finds_articles_by_their_words(store, gold_extractions):
    for ex in gold_extractions[:30]:
        store.add(ex, _measures(ex))
    target = gold_extractions[0]  # the Gaza truce report
    with store.read() as conn:
        found = list(queries.articles(conn, search="Palestinian prisoners truce"))
        odd = list(queries.articles(conn, search='"hostages" OR (NEAR -*'))  # user punctuation is no syntax
        none = list(queries.articles(conn, search="zzzqqq"))
    assert found and found[0].source_id == target.article.id
    assert all("[" in (a.snippet or "") for a in found)
    assert none == []
    assert all(a.source_id for a in odd)


def test_figures_filter_by_source_and_date(store, gold_extractions):
    ex = gold_extractions[0]
    store.add(ex, _measures(ex))
    with store.read() as conn:
        by_source = list(queries.figures(conn, source="naim"))
        later = list(queries.figures(conn, since=ex.article.published.replace(year=2030)))
    assert by_source and all("Naim" in (f.source or "") for f in by_source)
    assert later == []


def test_quotes_filter_by_speaker(store, gold_extractions):
    ex = gold_extractions[0]
    store.add(ex, _measures(ex))
    with store.read() as conn:
        found = list(queries.quotes(conn, speaker="basem"))
    assert found and all("Basem" in (q.speaker or "") for q in found)


def test_sqlite_file_is_plain_and_documented(tmp_path, gold_extractions):
    s = Store(tmp_path / "plain.db")
    s.add(gold_extractions[0], _measures(gold_extractions[0]))
    s.close()
    import sqlite3

    with sqlite3.connect(tmp_path / "plain.db") as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        n = conn.execute("SELECT count(*) FROM figures f JOIN articles a ON a.id = f.article_id "
                         "WHERE substr(a.text, f.span_start + 1, f.span_end - f.span_start) = f.text").fetchone()[0]
    assert {"articles", "figures", "quotes", "entities", "dates", "events", "measures", "schema_version",
            "measure_merges", "measure_splits", "articles_fts"} <= names
    assert n == len(gold_extractions[0].figures)


def test_postgres_search_column_is_indexed(db_url):
    s = Store(db_url)
    try:
        if s.backend != "postgresql":
            pytest.skip("PostgreSQL only")
        with s.read() as conn:
            idx = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_search'")
                               ).scalar()
        assert idx and "gin" in idx.lower()
    finally:
        s.close()


def test_article_model_round_trip_keeps_fields(store):
    art = Article(text="Officials said 12 people were injured in the blast on Monday.", id="x1",
                  title="Blast", url="https://news.example/blast", outlet="Example News", origin="html")
    stored = store.add(Extraction(article=art), [])
    with store.read() as conn:
        row = next(queries.articles(conn))
    assert row.id == stored.article_id
    assert (row.title, row.url, row.outlet, row.origin, row.source_id) == (
        "Blast", "https://news.example/blast", "Example News", "html", "x1")
