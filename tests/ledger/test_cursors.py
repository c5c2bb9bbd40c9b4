"""Keyset paging of every listing on SQLite and PostgreSQL: walking the pages by cursor gives every row
exactly once, in listing order, also while articles are added between pages (those after the cursor
appear in their place, those before it do not shift the pages); bad cursors are refused with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from newsledger.errors import InputError
from newsledger.ledger import Ledger, cursors

PAGE = 7


def _walk(read: Any, cursor_of: Any, between: Any = None) -> tuple[list[Any], Any]:
    """Every page of `read(after=..., limit=PAGE)` in turn; `between(last_row)` runs once, after the first
    page. Returns the rows read and the last row of the first page."""
    rows: list[Any] = []
    after, first_last = None, None
    while True:
        page = read(after=after, limit=PAGE)
        assert len(page) <= PAGE
        rows += page
        if not page:
            break
        if first_last is None:
            first_last = page[-1]
            if between is not None:
                between(first_last)
        after = cursor_of(page[-1])
    return rows, first_last


LISTINGS = {
    "figures": (lambda lg, **kw: lg.figures(**kw), cursors.figure_cursor, lambda r: r.id),
    "figures of a source": (lambda lg, **kw: lg.figures(source="official", **kw), cursors.figure_cursor,
                            lambda r: r.id),
    "figures by date": (lambda lg, **kw: lg.figures(since=__import__("datetime").date(2015, 1, 1), **kw),
                        cursors.figure_cursor, lambda r: r.id),
    "quotes": (lambda lg, **kw: lg.quotes(**kw), cursors.quote_cursor, lambda r: r.id),
    "quotes of a speaker": (lambda lg, **kw: lg.quotes(speaker="an", **kw), cursors.quote_cursor,
                            lambda r: r.id),
    "articles": (lambda lg, **kw: lg.articles(**kw), lambda r: cursors.article_cursor(r, False), lambda r: r.id),
}


@pytest.fixture
def split_gold(gold_extractions):
    """The gold articles in two halves by a fixed rule (every other one), the second added between pages."""
    return gold_extractions[::2], gold_extractions[1::2]


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_walking_by_cursor_gives_every_row_once_in_order(db_url, split_gold, listing):
    read, cursor_of, ident = LISTINGS[listing]
    with Ledger(db_url) as ledger:
        ledger.add_extractions(split_gold[0] + split_gold[1], stories=False)
        everything = [ident(r) for r in read(ledger)]
        walked, _ = _walk(lambda **kw: read(ledger, **kw), cursor_of)
    assert len(everything) > PAGE
    assert [ident(r) for r in walked] == everything


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_rows_added_between_pages_neither_repeat_nor_shift_the_pages(db_url, split_gold, listing):
    read, cursor_of, ident = LISTINGS[listing]
    first, second = split_gold
    with Ledger(db_url) as ledger:
        ledger.add_extractions(first, stories=False)
        before = {ident(r) for r in read(ledger)}
        walked, mark = _walk(lambda **kw: read(ledger, **kw), cursor_of,
                             between=lambda _row: ledger.add_extractions(second, stories=False))
        final = [ident(r) for r in read(ledger)]
    assert len(final) > len(before)  # the added articles hold rows of this listing
    ids = [ident(r) for r in walked]
    assert len(ids) == len(set(ids)), "a row was read twice"
    cut = final.index(ident(mark))
    # Every row there from the start, in its place; of the new ones, exactly those after the first page.
    assert ids == [x for i, x in enumerate(final) if x in before or i > cut]


def test_events_page_by_cursor(db_url, pipeline, gold_dir):
    import json

    from newsledger.model import Article, parse_iso_date

    rows = [json.loads(x) for x in (gold_dir / "dev.jsonl").read_text(encoding="utf-8").splitlines()][:6]
    articles = [Article(text=r["text"], id=r["id"], published=parse_iso_date(r.get("published")), origin="jsonl")
                for r in rows]
    with Ledger(db_url, pipeline=pipeline) as ledger:
        ledger.add(articles)
        everything = [e.id for e in ledger.events(undated=True)]
        after, walked = None, []
        while page := ledger.events(undated=True, limit=3, after=after):
            walked += [e.id for e in page]
            after = cursors.event_cursor(page[-1])
    assert len(everything) > 3
    assert walked == everything


def test_measures_sources_and_stories_page_by_cursor(db_url, gold_extractions):
    with Ledger(db_url) as ledger:
        ledger.add_extractions(gold_extractions)
        for read, cursor_of, ident in ((ledger.measures, cursors.measure_cursor, lambda m: m.key),
                                       (ledger.sources, cursors.source_cursor, lambda s: s.name),
                                       (ledger.stories, cursors.story_cursor, lambda s: s.id)):
            everything = [ident(x) for x in read()]
            after, walked = None, []
            while page := read(after=after, limit=3):
                walked += [ident(x) for x in page]
                after = cursor_of(page[-1])
            assert len(everything) > 3
            assert walked == everything


def test_a_cursor_of_another_listing_or_no_cursor_is_refused(db_url, gold_extractions):
    with Ledger(db_url) as ledger:
        ledger.add_extractions(gold_extractions[:3], stories=False)
        quote = ledger.quotes(limit=1)[0]
        for bad in (cursors.quote_cursor(quote), "not-a-cursor", "", "W10"):
            with pytest.raises(InputError, match="is not a cursor of figures"):
                ledger.figures(limit=5, after=bad)
