"""The Ledger on SQLite and PostgreSQL: adding real articles, series and conflicts on the Gaza reference
series, manual merges and splits that survive later adds, version diffs, exports and stats."""

from __future__ import annotations

import csv
import dataclasses
import json
from datetime import date

import pytest

from newsledger.errors import NotFoundError
from newsledger.ledger import Ledger
from newsledger.model import Article, Entity, Extraction, Figure, parse_iso_date


def _report_article(day: str, killed: int, injured: int, *, source: str = "health ministry",
                    outlet: str = "Reference Wire", counted: str = "people", url_prefix: str = "ref",
                    qualifier: str = "at_least") -> Extraction:
    """An article reporting one day of the reference series, with its figures, as a source would."""
    k, i = f"{killed:,}", f"{injured:,}"
    bound = "at least " if qualifier == "at_least" else ""
    text = (f"Gaza's {source} said on {day} that {bound}{k} {counted} have been killed and {i} "
            f"injured since the war began.")
    ks = text.index(k)
    is_ = text.index(i, ks + len(k))
    figures = [
        Figure(start=ks, end=ks + len(k), text=k, value=killed, qualifier=qualifier, counted=counted,
               category="killed", source=source, as_of=day),
        Figure(start=is_, end=is_ + len(i), text=i, value=injured, qualifier="exact", counted=counted,
               category="injured", source=source, as_of=day),
    ]
    article = Article(text=text, id=f"{url_prefix}-{day}", published=parse_iso_date(day), outlet=outlet,
                      url=f"https://{url_prefix}.example/{day}")
    return Extraction(article=article, figures=figures,
                      entities=[Entity(start=0, end=4, text="Gaza", label="GPE", canonical="Gaza")])


@pytest.fixture(scope="module")
def reference(shared_dir):
    rows = json.loads((shared_dir / "reference" / "gaza-casualties-daily.json").read_text(encoding="utf-8"))
    # One report a week for the first year: enough to check order, values and conflicts quickly.
    usable = [r for r in rows if r.get("killed_cum") and r.get("injured_cum")]
    return [r for r in usable if r["report_date"] < "2024-10-07"][::7]


@pytest.fixture
def ledger(db_url, pipeline):
    with Ledger(db_url, pipeline=pipeline) as lg:
        yield lg


@pytest.fixture
def gaza(ledger, reference):
    report = ledger.add_extractions(_report_article(r["report_date"], r["killed_cum"], r["injured_cum"])
                                    for r in reference)
    assert report.added == len(reference) and not report.failed
    return ledger


def test_series_follows_the_reference_values_in_date_order(gaza, reference):
    [series] = gaza.series("killed in Gaza")
    assert [f.value for f in series.figures] == [r["killed_cum"] for r in reference]
    assert [f.as_of.isoformat() for f in series.figures] == [r["report_date"] for r in reference]
    assert {f.category for f in series.figures} == {"killed"}
    assert all(f.source == "health ministry" and f.outlet == "Reference Wire" for f in series.figures)
    [injured] = gaza.series("injured in Gaza")
    assert [f.value for f in injured.figures] == [r["injured_cum"] for r in reference]


def test_unknown_measure_is_not_found(gaza):
    with pytest.raises(NotFoundError):
        gaza.series("hostages released in Lebanon")


def test_a_consistent_running_total_has_no_conflicts(gaza):
    assert gaza.conflicts("killed in Gaza") == []


def test_a_lower_later_total_and_a_same_day_disagreement_are_conflicts(gaza, reference):
    late, early = reference[-1], reference[10]
    # Another outlet's source gives the late day's toll 20% lower; the ministry itself later reports a
    # total below one it gave before.
    gaza.add_extractions([
        _report_article(late["report_date"], int(late["killed_cum"] * 0.8), late["injured_cum"],
                        source="civil defence", outlet="Other Daily", url_prefix="other", qualifier="exact"),
        _report_article("2024-10-20", early["killed_cum"], late["injured_cum"] + 5000),
    ])
    found = gaza.conflicts("killed in Gaza")
    kinds = {c.kind for c in found}
    assert "decrease" in kinds
    assert kinds & {"disagreement", "qualifiers"}
    assert all(c.reason and "\n" not in c.reason for c in found)
    # Every conflict names stored figures.
    ids = {f.id for f in gaza.figures(measure="killed in Gaza")}
    assert all(p.figure_id in ids for c in found for p in c.points)


def test_merge_survives_later_adds_and_can_be_undone(gaza, reference):
    killed_key = gaza.find_measures("killed in Gaza")[0]
    injured_key = gaza.find_measures("injured in Gaza")[0]
    assert killed_key != injured_key
    src, dst = gaza.merge_measures(injured_key, killed_key)
    assert (src, dst) == (injured_key, killed_key)
    assert len(gaza.measure_figures(killed_key)) == 2 * len(reference)
    gaza.add_extractions([_report_article("2024-11-01", 43_000, 101_000, url_prefix="later")])
    merged = gaza.measure_figures(killed_key)
    assert len(merged) == 2 * len(reference) + 2
    assert {f.category for f in merged} == {"killed", "injured"}
    assert [m.key for m in gaza.measures() if m.key == injured_key] == []
    assert gaza.unmerge(injured_key) == 1
    assert len(gaza.measure_figures(killed_key)) == len(reference) + 1


def test_split_survives_later_adds(gaza, reference):
    key = gaza.find_measures("killed in Gaza")[0]
    gaza.add_extractions([_report_article("2024-11-02", 43_100, 101_100, counted="Palestinians",
                                          url_prefix="split1")])
    assert len(gaza.measure_figures(key)) == len(reference) + 1
    into = gaza.split_measure("killed in Gaza", "Palestinians")
    assert len(gaza.measure_figures(key)) == len(reference)
    gaza.add_extractions([_report_article("2024-11-03", 43_200, 101_200, counted="Palestinians",
                                          url_prefix="split2")])
    split_off = gaza.measure_figures(into)
    assert [f.value for f in split_off] == [43_100, 43_200]
    assert len(gaza.measure_figures(key)) == len(reference)
    assert gaza.find_measures(into) == [into]


def test_figures_filter_by_source_since_and_measure(gaza, reference):
    since = date.fromisoformat(reference[20]["report_date"])
    figs = gaza.figures(source="ministry", since=since, measure="killed in Gaza")
    assert len(figs) == len(reference) - 20
    assert all(f.as_of >= since and f.category == "killed" for f in figs)
    assert gaza.figures(source="nobody at all") == []


def test_diff_shows_changed_figures_and_quotes_between_versions(ledger, gold_extractions):
    full = gold_extractions[0]
    cut = full.article.text.index("Of the 251 people")
    first = Extraction(article=dataclasses.replace(full.article, text=full.article.text[:cut],
                                                   url="https://wire.example/truce"),
                       figures=[f for f in full.figures if f.end <= cut and f.part_of is None],
                       quotes=[q for q in full.quotes if q.end <= cut])
    second = dataclasses.replace(full, article=dataclasses.replace(full.article, url="https://wire.example/truce"),
                                 figures=[dataclasses.replace(f, part_of=None) for f in full.figures])
    report = ledger.add_extractions([first, second])
    assert (report.added, report.versions) == (1, 1)
    [d] = ledger.diff("https://wire.example/truce")
    assert (d.old_version, d.new_version) == (1, 2)
    assert sorted(f.text for f in d.figures_added) == sorted(f.text for f in full.figures if f.end > cut)
    assert d.figures_removed == []
    assert d.unchanged_figures == len(first.figures)
    assert len(d.quotes_added) == len(full.quotes) - len(first.quotes)
    with pytest.raises(NotFoundError):
        ledger.diff("https://wire.example/never")


def test_add_real_articles_stores_spans_into_the_text_and_is_idempotent(ledger, corpus_dir):
    lines = (corpus_dir / "wikievents.jsonl").read_text(encoding="utf-8").splitlines()[:4]
    path = corpus_dir / "wikievents.jsonl"
    arts = [json.loads(line) for line in lines]
    articles = [Article(text=d["text"], id=d["id"], published=parse_iso_date(d.get("published")),
                        origin="jsonl") for d in arts]
    seen: list[str] = []
    report = ledger.add(articles, progress=lambda rep, where: seen.append(where))
    assert (report.added, report.skipped, report.failed) == (4, 0, [])
    assert seen == [d["id"] for d in arts]
    again = ledger.add(articles)
    assert (again.added, again.skipped) == (0, 4)
    for stored in ledger.articles():
        text = ledger.article_text(stored.id)
        with ledger.store.read() as conn:
            from sqlalchemy import select

            from newsledger.store import schema

            ents = conn.execute(select(schema.entities).where(schema.entities.c.article_id == stored.id)).all()
        assert ents, "real news text has entities"
        assert all(text[e.span_start:e.span_end] == e.text for e in ents)
    assert path.exists()


def test_full_text_search_over_added_articles(gaza):
    found = gaza.articles(search="killed injured war")
    assert found and all(a.snippet for a in found)
    assert gaza.articles(search="ceasefire") == []


def test_export_figures_as_parquet_csv_and_jsonl(gaza, reference, tmp_path):
    n = len(reference) * 2
    assert gaza.export("figures", "jsonl", tmp_path / "f.jsonl") == n
    rows = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text().splitlines()]
    assert {"measure_key", "measure_label", "span_start", "span_end", "article_id", "value"} <= set(rows[0])
    assert gaza.export("figures", "csv", tmp_path / "f.csv") == n
    with (tmp_path / "f.csv").open() as fh:
        assert len(list(csv.DictReader(fh))) == n
    assert gaza.export("figures", "parquet", tmp_path / "f.parquet") == n
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "f.parquet")
    assert table.num_rows == n and "measure_key" in table.column_names
    assert gaza.export("articles", "jsonl", tmp_path / "a.jsonl") == len(reference)


def test_stats_counts_what_is_stored(gaza, reference):
    stats = gaza.stats()
    assert stats["articles"] == len(reference)
    assert stats["figures"] == 2 * len(reference)
    assert stats["schema_version"] >= 2
    assert stats["published_from"] == date.fromisoformat(reference[0]["report_date"])


def test_public_surface_is_pinned():
    import newsledger.ledger
    import newsledger.store

    assert sorted(newsledger.ledger.__all__) == ["AddReport", "Ledger", "MeasureInfo", "Series", "VersionDiff"]
    assert sorted(newsledger.store.__all__) == [
        "MeasureRow", "Overrides", "SCHEMA_VERSION", "Split", "Store", "Stored", "StoredArticle", "StoredFigure",
        "StoredQuote", "resolve_url", "text_hash"]
    for module in (newsledger.ledger, newsledger.store):
        assert all(hasattr(module, name) for name in module.__all__)
