"""Records a person adds where the extractor missed them, on SQLite and PostgreSQL: stored apart from the
extraction, placed on the article's words, kept across a re-extraction and a new version, exported with the
`added` flag and counted in stats (examples/ceasefire.txt)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from newsledger.errors import InputError, NotFoundError
from newsledger.ledger import Ledger
from newsledger.model import Article
from newsledger.store import schema

CEASEFIRE = (Path(__file__).resolve().parents[2] / "examples" / "ceasefire.txt").read_text(encoding="utf-8")
URL = "https://news.example/ceasefire"
WORDS = "two senior officials"
SAYING = "UN agencies regard the ministry's figures as reliable."


def _article(text: str = CEASEFIRE) -> Article:
    return Article(text=text, url=URL, published=date(2025, 3, 7), title="Hamas asks Trump", outlet="Wire")


@pytest.fixture
def ledger(db_url, pipeline):
    with Ledger(db_url, pipeline=pipeline) as lg:
        status, _ = lg.add_article(_article())
        assert status == "added"
        yield lg


def _article_id(ledger: Ledger) -> int:
    return next(a.id for a in ledger.articles() if a.url == URL)


def _figures_stored(ledger: Ledger) -> int:
    with ledger.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.figures)).scalar() or 0)


def test_an_added_figure_sits_on_its_words_and_is_stored_apart(ledger):
    aid = _article_id(ledger)
    before = _figures_stored(ledger)
    at = CEASEFIRE.index(WORDS)
    made = ledger.add_record(aid, "figure", start=at, end=at + len(WORDS), selected=WORDS,
                             fields={"value": "2", "counted": "Hamas officials", "source": "the group"},
                             author="ana", note="the extractor missed it")
    assert made.fields["value"] == 2.0 and made.fields["qualifier"] == "exact"
    assert (made.span_start, made.span_end, made.text) == (at, at + len(WORDS), WORDS)
    assert _figures_stored(ledger) == before  # nothing written into the extracted records
    [shown] = ledger.additions(article_id=aid)
    assert shown.id == made.id and shown.fields["source"] == "the group" and shown.author == "ana"
    assert ledger.stats()["records_added"] == 1


def test_a_word_number_needs_its_value_typed_and_a_digit_number_is_read(ledger):
    aid = _article_id(ledger)
    with pytest.raises(InputError, match="no number"):
        ledger.add_record(aid, "figure", selected="six weeks")
    made = ledger.add_record(aid, "figure", selected="six weeks", fields={"value": "6", "category": "duration"})
    assert made.fields["value"] == 6.0 and made.fields["category"] == "duration"
    digits = ledger.add_record(aid, "figure", selected="105 hostages")
    assert digits.fields["value"] == 105.0 and digits.fields["qualifier"] == "exact"


def test_a_browser_offset_that_misses_the_words_is_mended_by_the_words(ledger):
    aid = _article_id(ledger)
    at = CEASEFIRE.index(SAYING)
    # Off by a few characters (a browser folding line ends, counting UTF-16 units): the words decide.
    made = ledger.add_record(aid, "quote", start=at + 3, end=at + 3 + len(SAYING), selected=SAYING,
                             fields={"speaker": "UN agencies", "kind": "indirect"})
    assert (made.span_start, made.span_end) == (at, at + len(SAYING))
    assert made.record()["content"] == SAYING and made.fields["kind"] == "indirect"


def test_additions_survive_a_re_extraction_and_follow_a_new_version(ledger):
    aid = _article_id(ledger)
    made = ledger.add_record(aid, "figure", selected=WORDS, fields={"value": "2"})
    with ledger.store.write() as conn:
        for table in schema.RECORD_TABLES.values():
            conn.execute(delete(table).where(table.c.article_id == aid))
        conn.execute(delete(schema.articles).where(schema.articles.c.id == aid))
    ledger.add_article(_article())
    again = _article_id(ledger)
    [shown] = ledger.additions(article_id=again)
    assert shown.id == made.id and shown.text == WORDS
    changed = "Updated. " + CEASEFIRE + "\nMore talks are due."
    status, new_id = ledger.add_article(_article(changed))
    assert status == "version"
    [moved] = ledger.additions(article_id=new_id)
    assert moved.text == WORDS and changed[moved.span_start:moved.span_end] == WORDS
    assert ledger.additions(article_id=again) == []  # the old version is no longer current


def test_added_records_are_exported_with_the_flag(ledger, tmp_path):
    aid = _article_id(ledger)
    ledger.add_record(aid, "figure", selected=WORDS, fields={"value": "2", "counted": "officials"})
    ledger.add_record(aid, "quote", selected=SAYING, fields={"speaker": "UN agencies", "kind": "indirect"})
    for kind, field, want in (("figures", "counted", "officials"), ("quotes", "speaker", "UN agencies")):
        out = tmp_path / f"{kind}.jsonl"
        ledger.export(kind, "jsonl", out)
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        added = [r for r in rows if r["added"]]
        assert [r[field] for r in added] == [want]
        assert len(rows) > 1 and all(r["added"] is False for r in rows if r is not added[0])
        assert set(added[0]) == set(rows[0])  # the same columns, so CSV and Parquet take them
    ledger.export("figures", "csv", tmp_path / "figures.csv")
    assert "officials" in (tmp_path / "figures.csv").read_text(encoding="utf-8")


def test_bad_additions_are_refused_with_a_reason(ledger):
    aid = _article_id(ledger)
    with pytest.raises(InputError, match="does not contain"):
        ledger.add_record(aid, "figure", selected="a sentence that is not in the article")
    with pytest.raises(InputError, match="cannot add"):
        ledger.add_record(aid, "event", selected=WORDS)
    with pytest.raises(InputError, match="no field"):
        ledger.add_record(aid, "quote", selected=SAYING, fields={"value": "3"})
    with pytest.raises(InputError, match="qualifier"):
        ledger.add_record(aid, "figure", selected="105 hostages", fields={"qualifier": "lots"})
    with pytest.raises(NotFoundError):
        ledger.add_record(aid + 999, "figure", selected=WORDS)
    assert ledger.stats()["records_added"] == 0


# A second report of the same day whose toll the extractor misreads ("45" thousands, "thousands" as 1,000).
MISREAD = ("The health ministry in Gaza says Israel's offensive has killed 45 thousands of people in "
           "the territory.")


def test_an_added_figure_takes_its_measure_and_is_read_in_series_measures_and_conflicts(ledger):
    aid = _article_id(ledger)
    toll = next(f for f in ledger.figures() if f.text == "48,446")  # the ceasefire report's toll
    _, other = ledger.add_article(Article(text=MISREAD, url="https://other.example/toll", published=date(2025, 3, 7),
                                          title="Toll", outlet="Other"))
    for fig in ledger.figures(article_ids=[other]):  # a person reviews the misread numbers ...
        ledger.correct("figure", fig.id, wrong=True, author="ana", note="misread")
    assert ledger.conflicts(toll.measure_key) == []
    counted = next(m for m in ledger.measures() if m.key == toll.measure_key).figures
    made = ledger.add_record(other, "figure", selected="45 thousands of people",  # ... and adds the toll
                             fields={"value": "45,000", "category": "killed",
                                     "counted": "people in territory", "source": "The health ministry in Gaza"},
                             author="ana")
    # The same measure as the extracted toll it repeats, found as extraction finds it.
    assert made.fields["measure_key"] == toll.measure_key and made.fields["measure_label"]
    [series] = ledger.series(toll.measure_key)
    added = [f for f in series.figures if f.id < 0]
    assert [(f.id, f.value, f.article_id) for f in added] == [(-made.id, 45000.0, other)]
    assert toll.id in {f.id for f in series.figures}
    assert next(m for m in ledger.measures() if m.key == toll.measure_key).figures == counted + 1
    [conflict] = ledger.conflicts(toll.measure_key)
    assert conflict.kind == "qualifiers"  # 45,000 is below "at least 48,446" on the same day
    assert {p.figure_id for p in conflict.points} == {toll.id, -made.id}
    assert any("45 thousands of people" in sent for sent in conflict.sentences)  # its sentence, as `conflicts` shows
    assert any(c.measure_key == toll.measure_key and -made.id in {p.figure_id for p in c.points}
               for c in ledger.conflicts())
    # A measure only an addition has is a measure too: listed, found by its key and its words.
    keys = {m.key for m in ledger.measures()}
    more = ledger.add_record(aid, "figure", selected=WORDS, fields={"value": "2", "counted": "Hamas officials"})
    key = more.fields["measure_key"]
    assert key not in keys and "officials" in key
    assert ledger.measure_info(key).label == more.fields["measure_label"]
    assert next(m for m in ledger.measures() if m.key == key).figures == 1
    [only] = ledger.series(more.fields["measure_label"])
    assert only.key == key and [f.id for f in only.figures] == [-more.id]


def test_an_added_figure_is_corrected_by_minus_its_id_and_read_corrected_everywhere(ledger):
    aid = _article_id(ledger)
    made = ledger.add_record(aid, "figure", selected=WORDS, fields={"value": "2", "counted": "Hamas officials"},
                             author="ana")
    key = made.fields["measure_key"]
    [fix] = ledger.correct("figure", -made.id, {"source": "the group"}, author="ben", note="named after")
    assert (fix.record_id, fix.field, fix.old, fix.new, fix.author) == (-made.id, "source", None, "the group", "ben")
    [shown] = ledger.additions(article_id=aid)
    assert shown.fields["source"] == "the group" and shown.corrected and not shown.wrong
    assert ledger.record("figure", -made.id)["source"] == "the group"
    assert [f.source for f in ledger.measure_figures(key)] == ["the group"]
    assert [(f.id, f.source) for f in ledger.figures(added=True) if f.id < 0] == [(-made.id, "the group")]
    # Its history is a correction like any other; what the person first gave is kept in the addition's row.
    assert [(c.kind, c.record_id, c.field) for c in ledger.corrections()] == [("figure", -made.id, "source")]
    with ledger.store.read() as conn:
        assert "the group" not in conn.execute(select(schema.added_records.c.fields)).scalar_one()
    # Marked wrong, it leaves its measure and the listing, and stays on the article, flagged.
    ledger.correct("figure", -made.id, wrong=True, author="ben")
    assert ledger.measure_figures(key) == [] and all(f.id > 0 for f in ledger.figures(added=True))
    [shown] = ledger.additions(article_id=aid)
    assert shown.wrong and shown.record()["wrong"] is True
    with pytest.raises(NotFoundError):
        ledger.correct("figure", -(made.id + 99), {"source": "x"})


def test_figures_lists_added_figures_in_their_place_and_filters_them(ledger):
    aid = _article_id(ledger)
    extracted = ledger.figures()
    made = ledger.add_record(aid, "figure", selected=WORDS, fields={"value": "2", "counted": "Hamas officials",
                                                                    "category": "other", "as_of": "2025-03-07"})
    assert ledger.figures() == extracted  # what the other questions read is unchanged
    listed = ledger.figures(added=True)
    assert len(listed) == len(extracted) + 1 and [f.id for f in listed if f.id < 0] == [-made.id]
    assert [f.id for f in listed if f.id > 0] == [f.id for f in extracted]  # the extracted ones in their order
    assert ledger.count_figures(added=True) == len(listed)
    paged = ledger.figures(added=True, limit=3, offset=len(listed) - 3) + ledger.figures(added=True,
                                                                                        limit=len(listed) - 3)
    assert sorted(f.id for f in paged) == sorted(f.id for f in listed)
    assert [f.id for f in ledger.figures(added=True, category="other") if f.id < 0] == [-made.id]
    assert all(f.id > 0 for f in ledger.figures(added=True, category="killed"))
    assert all(f.id > 0 for f in ledger.figures(added=True, since=date(2025, 3, 8)))
    assert [f.id for f in ledger.figures(added=True, article_ids=[aid]) if f.id < 0] == [-made.id]
