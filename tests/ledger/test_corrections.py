"""People's corrections on SQLite and PostgreSQL: stored apart, applied when read, flagged in exports, counted
in stats, and kept across a re-extraction and a new version of the article (examples/ceasefire.txt)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete

from newsledger.errors import InputError, NotFoundError
from newsledger.ledger import Ledger
from newsledger.model import Article
from newsledger.store import schema

CEASEFIRE = (Path(__file__).resolve().parents[2] / "examples" / "ceasefire.txt").read_text(encoding="utf-8")
URL = "https://news.example/ceasefire"


def _article(text: str = CEASEFIRE) -> Article:
    return Article(text=text, url=URL, published=date(2025, 3, 7), title="Hamas asks Trump", outlet="Wire")


@pytest.fixture
def ledger(db_url, pipeline):
    with Ledger(db_url, pipeline=pipeline) as lg:
        status, _ = lg.add_article(_article())
        assert status == "added"
        yield lg


def _figure(ledger: Ledger, text: str):
    return next(f for f in ledger.figures() if f.text == text)


def test_a_corrected_figure_reads_corrected_and_the_extraction_is_kept(ledger):
    fig = _figure(ledger, "48,446")
    made = ledger.correct("figure", fig.id, {"value": "48,500", "source": "Gaza health ministry"},
                          author="ana", note="checked the ministry's bulletin")
    assert {(c.field, c.old, c.new) for c in made} == {("value", 48446.0, 48500.0),
                                                       ("source", fig.source, "Gaza health ministry")}
    now = _figure(ledger, "48,446")
    assert (now.value, now.source) == (48500.0, "Gaza health ministry")
    assert [f.id for f in ledger.figures(source="Gaza health ministry")] == [fig.id]
    # What the machine extracted is still stored as it was.
    with ledger.store.read() as conn:
        stored = conn.execute(schema.figures.select().where(schema.figures.c.id == fig.id)).first()
    assert stored.value == 48446.0
    history = ledger.corrections(record_id=fig.id)
    assert {c.author for c in history} == {"ana"} and history[0].note == "checked the ministry's bulletin"
    stats = ledger.stats()
    assert stats["corrections"] == 2 and stats["records_corrected"] == 1


def test_the_same_value_again_is_no_correction(ledger):
    fig = _figure(ledger, "48,446")
    assert ledger.correct("figure", fig.id, {"value": "48446"}) == []


def test_a_figure_marked_wrong_leaves_listings_and_is_flagged_in_exports(ledger, tmp_path):
    fig = _figure(ledger, "9,500")
    ledger.correct("figure", fig.id, wrong=True, author="ana", note="not a count of detainees")
    assert fig.id not in {f.id for f in ledger.figures()}
    assert ledger.stats()["records_marked_wrong"] == 1
    out = tmp_path / "figures.jsonl"
    ledger.export("figures", "jsonl", out)
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows[fig.id]["wrong"] is True and rows[fig.id]["corrected"] is False
    assert not any(r["wrong"] for i, r in rows.items() if i != fig.id)
    ledger.correct("figure", fig.id, wrong=False, note="it is")
    assert fig.id in {f.id for f in ledger.figures()}


def test_a_corrected_speaker_is_found_by_the_new_name(ledger):
    quote = next(q for q in ledger.quotes() if "respect" in q.content)
    ledger.correct("quote", quote.id, {"speaker": "Basem Naim (Hamas)"})
    assert [q.id for q in ledger.quotes(speaker="Naim (Hamas)")] == [quote.id]
    assert ledger.article_records(quote.article_id)["quotes"][0]["corrected"] in (True, False)
    [row] = [r for r in ledger.article_records(quote.article_id)["quotes"] if r["id"] == quote.id]
    assert row["speaker"] == "Basem Naim (Hamas)" and row["corrected"] is True


def test_corrections_follow_a_new_version_of_the_article(ledger):
    fig = _figure(ledger, "48,446")
    ledger.correct("figure", fig.id, {"source": "Gaza health ministry"})
    changed = CEASEFIRE.replace("Trump met eight", "On Thursday, Trump met eight") + "\nMore talks are due."
    status, new_id = ledger.add_article(_article(changed))
    assert status == "version"
    now = _figure(ledger, "48,446")
    assert now.article_id == new_id and now.id != fig.id
    assert now.source == "Gaza health ministry"


def test_corrections_survive_a_re_extraction(ledger):
    fig = _figure(ledger, "48,446")
    ledger.correct("figure", fig.id, {"qualifier": "exact"})
    # A re-extraction: the article and its records are stored again from scratch, with new ids.
    with ledger.store.write() as conn:
        for table in schema.RECORD_TABLES.values():
            conn.execute(delete(table).where(table.c.article_id == fig.article_id))
        conn.execute(delete(schema.articles).where(schema.articles.c.id == fig.article_id))
    ledger.add_article(_article())
    now = _figure(ledger, "48,446")  # a new id on PostgreSQL; SQLite may hand the old one out again
    assert now.qualifier == "exact"


def test_bad_corrections_are_refused_with_a_reason(ledger):
    fig = _figure(ledger, "48,446")
    with pytest.raises(InputError, match="qualifier"):
        ledger.correct("figure", fig.id, {"qualifier": "lots"})
    with pytest.raises(InputError, match="not a number"):
        ledger.correct("figure", fig.id, {"value": "many"})
    with pytest.raises(InputError, match="no field"):
        ledger.correct("figure", fig.id, {"speaker": "x"})
    with pytest.raises(NotFoundError):
        ledger.correct("figure", 999_999, {"value": "1"})
    assert ledger.corrections() == []
