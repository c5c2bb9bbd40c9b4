"""The kept conflicts table on SQLite and PostgreSQL equals a full recomputation after every change that can
move a conflict: adds, a new version, merges and splits of measures and stories, corrections, an added
figure, dismissals, a reference series; it pages newest first and filters by measure, story, kind and day."""

from __future__ import annotations

import json

import pytest

from newsledger.ledger import Ledger
from newsledger.ledger.conflict_table import cursor
from newsledger.ledger.conflicts import comparable
from newsledger.ledger.core import to_point
from newsledger.ledger.corrections import conflict_id
from newsledger.ledger.measures import measure_scope
from newsledger.model import Article, Extraction, parse_iso_date
from newsledger.store import conflicts as table


def _sample(corpus_dir, gold_dir):
    """By a fixed rule: the gva-local articles of the first six dev incidents with three or more articles,
    in corpus order, without their `incident` answer key."""
    incidents = [json.loads(x) for x in (gold_dir / "gva-incidents-dev.jsonl").read_text().splitlines()]
    wanted = {a for g in [g for g in incidents if len(g["articles"]) >= 3][:6] for a in g["articles"]}
    rows = []
    for line in (corpus_dir / "gva-local.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        row.pop("incident", None)
        if row["id"] in wanted:
            rows.append(row)
    return rows


def _article(r, text=None):
    return Article(text=text or r["text"], id=r["id"], title=r.get("title"), url=r.get("url"),
                   published=parse_iso_date(r.get("published")), origin="jsonl")


@pytest.fixture(scope="module")
def extracted(pipeline, corpus_dir, gold_dir):
    rows = _sample(corpus_dir, gold_dir)
    out = [x for x in pipeline.extract_many([_article(r) for r in rows]) if isinstance(x, Extraction)]
    assert len(out) == len(rows) >= 15
    # A new version of the first article with a URL: one more sentence giving another count.
    first = next(r for r in rows if r.get("url"))
    again = first["text"] + "\n\nPolice later said 11 people were killed and 40 were injured in the shooting."
    version = next(x for x in pipeline.extract_many([_article(first, again)]) if isinstance(x, Extraction))
    return out, version


@pytest.fixture
def ledger(db_url, pipeline):
    with Ledger(db_url, pipeline=pipeline) as lg:
        yield lg


def _kept_rows(ledger):
    ledger.conflicts()  # refreshes whatever is pending
    with ledger.store.read() as conn:
        assert not table.pending(conn)
        return sorted((vars(r) for r in table.page(conn)), key=lambda r: (r["conflict_id"], r["reason"]))


def _assert_same(ledger):
    """The table holds exactly what a full recomputation over every figure finds now."""
    kept = _kept_rows(ledger)
    fresh = sorted((vars(r) for r in ledger._rows(ledger.computed_conflicts())),
                   key=lambda r: (r["conflict_id"], r["reason"]))
    assert kept == fresh
    return kept


def _shared_measure_figure(ledger):
    """A report's own count of its incident that another article of its story reports too: the figures
    the conflict rules compare (see Ledger.keep_comparable)."""
    figs = {f.id: f for f in ledger.figures() if f.value is not None}
    stories = ledger.story_map({f.article_id for f in figs.values()}) or {}
    points = ledger.keep_comparable([to_point(f) for f in figs.values()], stories)
    groups: dict[tuple[str, str], dict[int, int]] = {}
    for p in sorted(points, key=lambda p: p.figure_id):
        if comparable(p.measure_key) and measure_scope(p.measure_key) == "incident" and p.article_id in stories:
            groups.setdefault((p.measure_key, stories[p.article_id]), {}).setdefault(p.article_id, p.figure_id)
    for (key, _), first in sorted(groups.items()):
        if len(first) >= 2 and key.split("|")[0] in ("killed", "injured"):
            one, other = sorted(first.values())[:2]
            return figs[one], figs[other]
    return None


def test_kept_conflicts_equal_a_full_recomputation_through_every_change(ledger, extracted):
    exs, version = extracted
    half = len(exs) // 2
    ledger.add_extractions(exs[:half])
    _assert_same(ledger)
    ledger.add_extractions(exs[half:])
    _assert_same(ledger)
    ledger.add_extractions([version])  # a new version replaces the old one
    _assert_same(ledger)

    # A correction that makes one report disagree with the others of its story: a new conflict, kept.
    found = _shared_measure_figure(ledger)
    assert found is not None
    fig, other = found
    before = len(_kept_rows(ledger))
    day = (other.as_of or other.published).isoformat()
    ledger.correct("figure", fig.id, {"value": str(other.value * 3 + 7), "as_of": day})
    after = _assert_same(ledger)
    assert len(after) > before and any(fig.id in json.loads(r["figure_ids"]) for r in after)
    ledger.correct("figure", fig.id, wrong=True)  # marked wrong: it leaves its conflicts
    assert not any(fig.id in json.loads(r["figure_ids"]) for r in _assert_same(ledger))

    # Measures merged and split by hand, and undone.
    measures = [m for m in ledger.measures() if m.figures >= 2][:2]
    a, b = measures[0].key, measures[1].key
    ledger.merge_measures(a, b)
    _assert_same(ledger)
    word = next(f.counted for f in ledger.measure_figures(b) if f.counted)
    into = ledger.split_measure(b, word.split()[-1])
    _assert_same(ledger)
    ledger.unsplit(into)
    ledger.unmerge(a)
    _assert_same(ledger)

    # Stories merged and split by hand.
    stories = sorted(ledger.stories(), key=lambda s: -len(s.articles))
    kept = ledger.merge_stories(stories[0].id, stories[1].id)
    _assert_same(ledger)
    members = sorted(ledger.story_articles(kept))
    ledger.split_story(kept, members[: len(members) // 2])
    _assert_same(ledger)

    # A figure a person added, and a dismissal (the conflict stays kept, listed as dismissed).
    target = fig.article_id
    text = ledger.article_text(target)
    start = text.index(next(w for w in text.split() if w.isdigit()))
    ledger.add_record(target, "figure", start=start, end=start + len(text[start:].split()[0]),
                      fields={"category": "killed", "counted": "people"})
    found = ledger.conflicts()
    _assert_same(ledger)
    if found:
        ledger.dismiss_conflict(conflict_id(found[0]), "different counts of one night")
        assert conflict_id(found[0]) in ledger.dismissed_conflicts()
        assert conflict_id(found[0]) in {conflict_id(c) for c in ledger.conflicts()}
    _assert_same(ledger)

    # The table rebuilt from scratch (as after the migration on an older ledger) holds the same rows.
    kept_rows = _kept_rows(ledger)
    ledger.mark_all_conflicts()
    assert _kept_rows(ledger) == kept_rows


def test_kept_conflicts_page_and_filter(ledger, extracted):
    exs, version = extracted
    ledger.add_extractions([*exs, version])
    fig, other = _shared_measure_figure(ledger)
    ledger.correct("figure", fig.id, {"value": str(other.value * 3 + 7),
                                      "as_of": (other.as_of or other.published).isoformat()})
    every = ledger.conflicts()
    assert every
    days = [max((p.as_of or "")[:10] for p in c.points) for c in every]
    assert days == sorted(days, reverse=True)  # newest first
    # Keyset pages of one put together are the whole listing, in order.
    paged, after = [], None
    while True:
        page = ledger.conflicts(limit=1, after=after)
        if not page:
            break
        paged += page
        after = cursor(page[-1])
    assert [conflict_id(c) for c in paged] == [conflict_id(c) for c in every]
    assert ledger.count_conflicts() == len(every)
    c = every[0]
    assert conflict_id(c) in {conflict_id(x) for x in ledger.conflicts(c.measure_key)}
    assert all(x.kind == c.kind for x in ledger.conflicts(kind=c.kind))
    if c.story is not None:
        assert conflict_id(c) in {conflict_id(x) for x in ledger.conflicts(story=int(c.story))}
    day = parse_iso_date(days[0])
    assert all(max((p.as_of or "")[:10] for p in x.points) >= days[0] for x in ledger.conflicts(since=day))
    # Another tolerance is found per query, with the same filters.
    wide = ledger.conflicts(tolerance=0.9)
    assert {conflict_id(x) for x in wide} <= {conflict_id(x) for x in ledger.conflicts(tolerance=0.0)}
