"""Maintained counts (store/counts.py) equal a fresh count after adds, new versions, regrouping and deletes,
on SQLite and PostgreSQL: `stats` and `measures` read them instead of counting every row."""

from __future__ import annotations

import dataclasses

from sqlalchemy import delete, func, select

from newsledger.store import MeasureRow, Store, counts, queries, schema
from newsledger.store.sources import update_figures


def _recounted(conn) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    a, f = schema.articles, schema.figures
    rows = {"articles": conn.execute(select(func.count()).select_from(a).where(a.c.is_current.is_(True))).scalar(),
            "article_versions": conn.execute(select(func.count()).select_from(a)).scalar()}
    rows.update({name: conn.execute(select(func.count()).select_from(t)).scalar()
                 for name, t in schema.RECORD_TABLES.items()})
    per_key = (select(f.c.measure_key, func.count()).select_from(f.join(a, f.c.article_id == a.c.id))
               .where(a.c.is_current.is_(True)).group_by(f.c.measure_key))
    per_source = (select(f.c.source, func.count()).select_from(f.join(a, f.c.article_id == a.c.id))
                  .where(a.c.is_current.is_(True), f.c.source.is_not(None)).group_by(f.c.source))
    return rows, {key: n for key, n in conn.execute(per_key)}, {src: n for src, n in conn.execute(per_source)}


def _check(store: Store) -> dict[str, int]:
    with store.read() as conn:
        rows, per_key, per_source = _recounted(conn)
        assert counts.row_counts(conn) == rows
        assert queries.measure_counts(conn) == per_key
        assert counts.source_counts(conn) == per_source and per_source
        qt = schema.quotes
        for kind, column in (("speaker", qt.c.speaker), ("mention", qt.c.speaker_mention)):
            written = {name: n for name, n in conn.execute(
                select(column, func.count()).where(column.is_not(None)).group_by(column))}
            assert counts.speaker_counts(conn, kind) == written and (written or kind == "mention")
    return per_key


def test_counts_follow_adds_versions_regrouping_and_deletes(db_url, gold_extractions):
    store = Store(db_url)
    try:
        extractions = [dataclasses.replace(ex, article=dataclasses.replace(ex.article, url=f"https://example.org/{i}"))
                       for i, ex in enumerate([ex for ex in gold_extractions if ex.figures][:6])]
        for i, ex in enumerate(extractions):
            keys = [MeasureRow(f"m{(i + j) % 3}", f"measure {(i + j) % 3}", "test") for j in range(len(ex.figures))]
            store.add(ex, keys)
        first = _check(store)
        assert sum(first.values()) == sum(len(ex.figures) for ex in extractions) > 10
        # A new version of one article: its old figures stop counting for measures and current articles.
        old = extractions[0]
        changed = dataclasses.replace(old, article=dataclasses.replace(old.article, text=old.article.text + " More."))
        store.add(changed, [MeasureRow("m9", "measure 9", "test")] * len(changed.figures))
        assert _check(store)["m9"] == len(changed.figures)
        with store.read() as conn:
            now = counts.row_counts(conn)
        assert now["article_versions"] == now["articles"] + 1
        # Regrouping moves figures from one measure to another.
        with store.write() as conn:
            ids = [r.id for r in conn.execute(select(schema.figures.c.id).limit(4))]
            update_figures(conn, [{"id": i, "key": "m7", "explanation": None, "period": None} for i in ids])
        _check(store)
        # A figure's source corrected in place moves its count.
        with store.write() as conn:
            fid = conn.execute(select(schema.figures.c.id).where(schema.figures.c.source.is_not(None)).limit(1)).scalar()
            conn.execute(schema.figures.update().where(schema.figures.c.id == fid).values(source="a new source"))
        # A quote's speaker corrected in place moves its count.
        with store.write() as conn:
            qid = conn.execute(select(schema.quotes.c.id).where(schema.quotes.c.speaker.is_not(None)).limit(1)).scalar()
            conn.execute(schema.quotes.update().where(schema.quotes.c.id == qid).values(speaker="A New Speaker"))
        _check(store)
        # Deleting an article deletes its records (cascade) and their counts.
        with store.write() as conn:
            gone = conn.execute(select(schema.articles.c.id).where(schema.articles.c.is_current.is_(True))
                                .limit(1)).scalar()
            for table in schema.RECORD_TABLES.values():
                conn.execute(delete(table).where(table.c.article_id == gone))
            conn.execute(delete(schema.articles).where(schema.articles.c.id == gone))
        _check(store)
    finally:
        store.close()
