"""Found by fuzzing: NUL and other control characters follow one rule on both backends (replaced by a space
at ingest, one for one, and recorded), and processes that open one new database together all succeed."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
from datetime import date

from sqlalchemy import select, text

from newsledger.ledger import Ledger
from newsledger.model import Article
from newsledger.store import schema

TEXT = ("The health ministry said on Tuesday that 48,446 people\x00 have been killed in Gaza since the war "
        "began.\x07 Officials said 12 more\x1b were hurt in Rafah, according to the civil defence agency.")


def _spans_read_back(db_url: str) -> list[tuple[str, str]]:
    """(stored figure text, the same span read with SQL substr()) for every stored figure."""
    with Ledger(db_url, read_only=True) as ledger, ledger.store.read() as conn:
        f, a = schema.figures, schema.articles
        rows = conn.execute(select(f.c.text, text("substr(articles.text, figures.span_start + 1, "
                                                  "figures.span_end - figures.span_start)"))
                            .select_from(f.join(a, f.c.article_id == a.c.id))).all()
    return [(r[0], r[1]) for r in rows]


def test_control_characters_in_an_article_are_spaces_in_the_ledger_and_spans_hold(db_url, pipeline):
    with Ledger(db_url, pipeline=pipeline) as ledger:
        report = ledger.add([Article(text=TEXT, id="nul", published=date(2025, 3, 5))])
        assert (report.added, report.failed) == (1, [])
        with ledger.store.read() as conn:
            stored, warnings = conn.execute(select(schema.articles.c.text, schema.articles.c.warnings)).one()
    assert len(stored) == len(TEXT) and "\x00" not in stored and "\x07" not in stored and "\x1b" not in stored
    assert "3 control characters" in json.loads(warnings)[0]
    spans = _spans_read_back(db_url)
    assert spans and all(mine == theirs for mine, theirs in spans)


def test_an_extraction_made_elsewhere_with_nul_is_stored_without_it(db_url, pipeline):
    clean = pipeline.extract(Article(text=TEXT.replace("\x00", " "), id="x", published=date(2025, 3, 5)))
    dirty = dataclasses.replace(clean, article=dataclasses.replace(clean.article, text=TEXT))
    with Ledger(db_url, pipeline=pipeline) as ledger:
        report = ledger.add_extractions([dirty])
    assert report.added == 1
    spans = _spans_read_back(db_url)
    assert spans and all(mine == theirs for mine, theirs in spans)


def _add_in_a_process(args: tuple[str, list]) -> str:
    db_url, extractions = args
    try:
        with Ledger(db_url) as ledger:
            report = ledger.add_extractions(extractions)
        return f"added {report.added}"
    except Exception as err:  # noqa: BLE001 - reported to the test
        return f"{type(err).__name__}: {err}"


def test_four_processes_adding_into_one_new_database_all_succeed(db_url, gold_extractions):
    chunks = [(db_url, gold_extractions[i * 3:(i + 1) * 3]) for i in range(4)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_add_in_a_process, chunks)
    assert results == ["added 3"] * 4
    with Ledger(db_url, read_only=True) as ledger:
        assert ledger.stats()["articles"] == 12
