"""Sources as entities, reference series, regrouping and conflict evidence, through the Ledger on SQLite
and PostgreSQL, with articles written for the test (real sentences, figures as the extractor gives them)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from newsledger.ledger import Ledger
from newsledger.ledger.sources import source_name
from newsledger.model import Article, Entity, Extraction, Figure

FOUR_NAMES = ["health ministry", "health ministry in Gaza", "Hamas-run health ministry",
              "the territory's health ministry"]


def test_one_source_under_four_names():
    assert {source_name(n) for n in FOUR_NAMES} == {"health ministry"}
    assert source_name("Gaza's Ministry of Health") == "health ministry"
    assert source_name("Israeli health ministry") != "health ministry"
    assert source_name("") is None


def _article(n: int, day: str, sentence: str, number: str, source: str, counted: str = "people",
             category: str = "killed", qualifier: str = "exact") -> Extraction:
    start = sentence.index(number)
    fig = Figure(start, start + len(number), number, float(number.replace(",", "")), None, qualifier,  # type: ignore[arg-type]
                 counted, category, source, day)  # type: ignore[arg-type]
    gaza = sentence.index("Gaza")
    return Extraction(article=Article(text=sentence, id=f"t{n}", url=f"https://t.example/{n}", outlet=f"Wire {n}",
                                      published=date.fromisoformat(day)),
                      figures=[fig], entities=[Entity(gaza, gaza + 4, "Gaza", "GPE", "Gaza")])


ARTICLES = [
    (1, "2024-02-27", "The health ministry said 29,878 people have been killed in Gaza since October 7.", "29,878",
     "health ministry", "exact"),
    (2, "2024-02-28", "The health ministry in Gaza said 29,954 people have been killed since the war began.",
     "29,954", "health ministry in Gaza", "exact"),
    (3, "2024-02-29", "The Hamas-run health ministry said 30,035 people have been killed in Gaza so far.", "30,035",
     "Hamas-run health ministry", "exact"),
    (4, "2024-02-29", "Fewer than 29,000 Palestinians have been killed in Gaza, the territory's health ministry "
     "said.", "29,000", "the territory's health ministry", "less_than"),
]


@pytest.fixture
def ledger(db_url):
    with Ledger(db_url) as lg:
        report = lg.add_extractions(_article(n, d, s, num, src, qualifier=q) for n, d, s, num, src, q in ARTICLES)
        assert report.added == 4
        yield lg


def test_sources_are_stored_with_their_aliases_and_used_by_figures(ledger):
    [ministry] = ledger.sources("health ministry")
    assert ministry.name == "health ministry" and ministry.figures == 4
    assert sorted(ministry.aliases) == sorted(FOUR_NAMES)
    assert len(ledger.figures(source="health ministry")) == 4
    assert len(ledger.figures(source="Hamas-run health ministry")) == 4  # an alias names the whole source


def test_conflicts_name_their_reason_and_both_sentences(ledger):
    found = ledger.conflicts("killed in Gaza")
    assert {c.kind for c in found} == {"qualifiers", "decrease"}
    fewer = next(c for c in found if c.kind == "qualifiers")
    assert "fewer than 29,000" in fewer.reason and "30,035" in fewer.reason
    assert len(fewer.sentences) == 2 and any(s.startswith("Fewer than 29,000") for s in fewer.sentences)


def test_best_estimate_and_reference_outliers(ledger, tmp_path):
    est = ledger.best_estimate("killed in Gaza")
    assert est is not None and est.as_of == "2024-02-29" and est.value == 30035 and est.qualifier == "exact"
    assert est.source == "Hamas-run health ministry"
    ref = tmp_path / "gaza-daily.json"
    ref.write_text(json.dumps([{"report_date": "2024-02-27", "killed_cum": 29878, "injured_cum": 70215},
                               {"report_date": "2024-02-28", "killed_cum": 29954},
                               {"report_date": "2024-02-29", "killed_cum": 30035, "killed": 81}]))
    name, n = ledger.add_reference(ref)
    assert (name, n) == ("gaza-daily", 5)
    [listed] = ledger.references()
    assert listed["place"] == "Gaza" and listed["values"] == 5 and listed["measures"] == 3
    flagged = [c for c in ledger.conflicts("killed in Gaza") if c.kind == "reference"]
    # Only "fewer than 29,000" is ruled out by the reference's 29,878-30,035 over the days before.
    assert len(flagged) == 1 and "fewer than 29,000" in flagged[0].reason and "gaza-daily" in flagged[0].reason
    assert ledger.add_reference(ref)[1] == 5 and len(ledger.references()) == 1  # loading again replaces


def test_regroup_reads_stored_figures_again(ledger):
    report = ledger.regroup()
    assert report.figures == 4 and report.measures_after == report.measures_before == 1
    assert [m.figures for m in ledger.measures("killed in Gaza")] == [4]
