"""What pages and API answers are made of, asked of the Ledger once: an article with its records, a measure
with its series and conflicts, conflicts with their sentences, filtered and paged lists."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsledger.errors import InputError
from newsledger.ledger import Ledger
from newsledger.ledger.conflicts import KINDS as CONFLICT_KINDS
from newsledger.ledger.conflicts import Conflict
from newsledger.ledger.corrections import Dismissal, conflict_id
from newsledger.store import StoredFigure
from newsledger.web.views import Page, page_of, plain, sentence, text_diff


@dataclass
class ArticleView:
    article: Any
    text: str
    records: dict[str, list[dict[str, Any]]]
    versions: list[Any]
    diffs: list[dict[str, Any]]


def article_view(ledger: Ledger, article_id: int, *, with_diff: bool = True) -> ArticleView:
    article = ledger.article(article_id)
    text = ledger.article_text(article_id)
    records = ledger.article_records(article_id)
    added = ledger.additions(article_id=article_id)  # what people added where the extractor missed it
    for kind in ("figure", "quote"):
        records[f"added_{kind}s"] = [x.record() for x in added if x.kind == kind]
    versions = ledger.versions(article.url) if article.url else [article]
    diffs: list[dict[str, Any]] = []
    if with_diff and article.url and len(versions) > 1:
        for d in ledger.diff(article.url):
            if article_id not in (d.old_article_id, d.new_article_id):
                continue
            diffs.append({"old_version": d.old_version, "new_version": d.new_version,
                          "old_article_id": d.old_article_id, "new_article_id": d.new_article_id,
                          "figures_added": [plain(f) for f in d.figures_added],
                          "figures_removed": [plain(f) for f in d.figures_removed],
                          "quotes_added": [plain(q) for q in d.quotes_added],
                          "quotes_removed": [plain(q) for q in d.quotes_removed],
                          "text": text_diff(ledger.article_text(d.old_article_id),
                                            ledger.article_text(d.new_article_id))})
    return ArticleView(article, text, records, versions, diffs)


def article_json(view: ArticleView) -> dict[str, Any]:
    return {"article": plain(view.article), "text": view.text, "records": plain(view.records),
            "versions": [{"id": v.id, "version": v.version, "published": plain(v.published),
                          "added_at": plain(v.added_at)} for v in view.versions],
            "diffs": [{k: v for k, v in d.items()} for d in view.diffs]}


@dataclass
class ConflictView:
    id: str
    kind: str
    measure_key: str
    reason: str
    points: list[dict[str, Any]]
    dismissed: Dismissal | None = None

    def to_json(self) -> dict[str, Any]:
        out = plain(dataclasses.asdict(self))
        assert isinstance(out, dict)
        return out


def conflict_views(ledger: Ledger, conflicts: list[Conflict], dismissed: dict[str, Dismissal]) -> list[ConflictView]:
    """Each conflict with, for every figure in it, the sentence it was printed in, its outlet, date, link."""
    texts = ledger.article_texts(p.article_id for c in conflicts for p in c.points)  # one read
    records: dict[int, dict[int, dict[str, Any]]] = {}
    articles: dict[int, Any] = {}
    out = []
    for c in conflicts:
        points = []
        for p in c.points:
            if p.article_id < 0:  # a loaded reference series' value: no article, no sentence
                points.append({"figure_id": None, "added": False, "article_id": None, "value": p.value,
                               "value_max": p.value_max, "qualifier": p.qualifier, "as_of": p.as_of,
                               "source": p.source, "outlet": None, "title": None, "url": None, "published": None,
                               "sentence": {"before": "", "span": "", "after": ""}})
                continue
            if p.article_id not in records:
                records[p.article_id] = {r["id"]: r for r in
                                         ledger.article_records(p.article_id, ("figures",))["figures"]}
                articles[p.article_id] = ledger.article(p.article_id)
            fig = records[p.article_id].get(p.figure_id)
            art = articles[p.article_id]
            # An added figure (negative id) is no extracted record: its point carries its span.
            at = ((fig["span_start"], fig["span_end"]) if fig else
                  (p.start, p.end) if p.start is not None and p.end is not None else None)
            before, span, after = sentence(texts[p.article_id], *at) if at else ("", "", "")
            points.append({"figure_id": p.figure_id, "added": p.figure_id < 0, "article_id": p.article_id,
                           "value": p.value,
                           "value_max": p.value_max, "qualifier": p.qualifier, "as_of": p.as_of,
                           "source": p.source, "outlet": p.outlet or art.outlet, "title": art.title,
                           "url": art.url, "published": art.published,
                           "sentence": {"before": before, "span": span, "after": after}})
        cid = conflict_id(c)
        out.append(ConflictView(cid, c.kind, c.measure_key, c.reason, points, dismissed.get(cid)))
    return out


def _conflict_day(c: Conflict) -> str | None:
    days = [p.as_of for p in c.points if p.as_of]
    return max(days) if days else None


def filter_conflicts(ledger: Ledger, *, measure: str | None = None, kind: str | None = None,
                     since: date | None = None, until: date | None = None,
                     include_dismissed: bool = False) -> tuple[list[Conflict], dict[str, Dismissal]]:
    if kind and kind not in CONFLICT_KINDS:
        raise InputError(f"unknown conflict kind {kind!r}", f"choose one of {', '.join(CONFLICT_KINDS)}")
    found = ledger.conflicts(measure or None)
    dismissed = ledger.dismissed_conflicts()
    out = []
    for c in found:
        if kind and c.kind != kind:
            continue
        day = _conflict_day(c)
        if since and (day is None or day < since.isoformat()):
            continue
        if until and (day is None or day > until.isoformat()):
            continue
        if not include_dismissed and conflict_id(c) in dismissed:
            continue
        out.append(c)
    out.sort(key=lambda c: (_conflict_day(c) or "", c.measure_key), reverse=True)
    return out, dismissed


@dataclass
class MeasureView:
    key: str
    label: str
    figures: list[StoredFigure]
    conflicts: list[Conflict]
    conflicted: set[int] = field(default_factory=set)
    merged_from: list[str] = field(default_factory=list)


def measure_view(ledger: Ledger, key: str) -> MeasureView:
    """One measure by its exact key (after merges and splits): its figures, oldest first, and conflicts."""
    info = ledger.measure_info(key)
    figures = ledger.measure_figures(key)
    # As `Ledger.conflicts` finds them (the same rules as the CLI), from the figures already read.
    found = ledger.conflicts_among(figures, sentences=False)
    dismissed = ledger.dismissed_conflicts()
    open_ = [c for c in found if conflict_id(c) not in dismissed]
    conflicted = {p.figure_id for c in open_ for p in c.points if p.article_id >= 0}  # not a reference value
    return MeasureView(key, info.label, figures, open_, conflicted, info.merged_from)


def figure_rows(ledger: Ledger, figures: list[StoredFigure]) -> list[tuple[StoredFigure, tuple[str, str, str]]]:
    """Each figure with its sentence (before, span, after); the articles' texts are read in one query."""
    texts = ledger.article_texts(f.article_id for f in figures)
    return [(f, sentence(texts[f.article_id], f.span_start, f.span_end)) for f in figures]


def figure_json(fig: StoredFigure) -> dict[str, Any]:
    out = plain(fig)
    assert isinstance(out, dict)
    out["added"] = fig.id < 0  # a person's addition (newsledger.ledger.additions), known by minus its id
    return out


def paged_figures(ledger: Ledger, page: int, per_page: int, *, source: str | None = None,
                  category: str | None = None, measure: str | None = None, since: date | None = None,
                  until: date | None = None) -> Page:
    want = page * per_page + 1
    figs = ledger.figures(source=source or None, category=category or None, measure=measure or None,
                          since=since, until=until, limit=want, added=True)
    return page_of(figs, page, per_page, complete=len(figs) < want)


def paged_quotes(ledger: Ledger, page: int, per_page: int, *, speaker: str | None = None,
                 search: str | None = None) -> Page:
    want = page * per_page + 1
    found = ledger.quotes(speaker=speaker or None, search=search or None, limit=want)
    return page_of(found, page, per_page, complete=len(found) < want)


def paged_articles(ledger: Ledger, page: int, per_page: int, *, search: str | None = None) -> Page:
    want = page * per_page + 1
    found = ledger.articles(search=search or None, limit=want)
    return page_of(found, page, per_page, complete=len(found) < want)


def paged_events(ledger: Ledger, page: int, per_page: int, *, type: str | None = None, actor: str | None = None,
                 recipient: str | None = None, place: str | None = None, status: str | None = None,
                 since: date | None = None, until: date | None = None) -> Page:
    """Events, dated ones oldest first, then undated ones (the timeline `newsledger events` prints)."""
    want = page * per_page + 1
    found = ledger.events(type=type or None, actor=actor or None, recipient=recipient or None, place=place or None,
                          status=status or None, since=since, until=until, undated=not (since or until), limit=want)
    return page_of(found, page, per_page, complete=len(found) < want)
