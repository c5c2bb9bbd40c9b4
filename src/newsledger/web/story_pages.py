"""Stories on the web: the list (filtered, paged) and one story in full, as pages and under /api/v1/stories.

A story page shows its articles on a time line, its measures with their best estimates, the series of the
measures it reports most (drawn as on a measure page, restricted to the story's articles) and their
conflicts with both sentences, its events and its speakers. Everything is read through the Ledger's story
API (newsledger.ledger.story_views), once per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup

from newsledger.errors import InputError
from newsledger.ledger import Ledger, story_views
from newsledger.ledger.corrections import conflict_id
from newsledger.web import data
from newsledger.web.api import FormatQ, PageQ, PerPageQ, _answer, _csv
from newsledger.web.app import ledger_of
from newsledger.web.chart import series_svg, timeline_svg
from newsledger.web.views import PER_PAGE, Page, link, page_json, paging, parse_day, plain

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"])

STORY_KINDS = ("story", "roundup")
CHARTS = 3  # series drawn on a story page: its measures with the most dated figures


# -- what a page and an API answer are made of ---------------------------------------------------------------
def story_list(ledger: Ledger, page: int, per_page: int, *, search: str | None = None, place: str | None = None,
               since: date | None = None, until: date | None = None, kind: str | None = None) -> Page:
    if kind and kind not in STORY_KINDS:
        raise InputError(f"unknown story kind {kind!r}", f"choose one of {', '.join(STORY_KINDS)}")
    found = ledger.stories(search=search or None, place=place or None, since=since, until=until)
    if kind:
        found = [s for s in found if s.kind == kind]
    # Newest first: a reader opens the list to see what is happening now.
    found.sort(key=lambda s: (s.last_day or date.min, s.id), reverse=True)
    return data.page_of(found, page, per_page)


def story_row(view: Any) -> dict[str, Any]:
    """One story in a list: a flat row (also a CSV row)."""
    return {"id": view.id, "title": view.title, "kind": view.kind, "place": view.place,
            "first_day": plain(view.first_day), "last_day": plain(view.last_day), "articles": len(view.articles),
            "killed": plain(view.killed), "injured": plain(view.injured), "url": f"/stories/{view.id}"}


@dataclass
class StoryPage:
    detail: Any
    conflicts: list[data.ConflictView]
    dismissed: int
    events: list[dict[str, Any]]
    speakers: list[dict[str, Any]]
    titles: dict[int, str]


def story_page(ledger: Ledger, story_id: int) -> StoryPage:
    detail = ledger.story(story_id)
    gone = ledger.dismissed_conflicts()
    open_ = [c for c in detail.conflicts if conflict_id(c) not in gone]
    views = data.conflict_views(ledger, open_, gone)
    events: list[dict[str, Any]] = []
    speakers: dict[str, dict[str, Any]] = {}
    titles = {a.id: a.title or f"Article {a.id}" for a in detail.story.articles}
    for art in detail.story.articles:
        records = ledger.article_records(art.id, ("quotes", "events"))
        for e in records["events"]:
            if not e.get("wrong"):
                events.append({**e, "published": art.published, "outlet": art.outlet})
        for q in records["quotes"]:
            if q.get("wrong") or not q.get("speaker"):
                continue
            who = speakers.setdefault(q["speaker"], {"speaker": q["speaker"], "quotes": 0, "articles": []})
            who["quotes"] += 1
            if art.id not in who["articles"]:
                who["articles"].append(art.id)
            who.setdefault("first_quote", q["id"])
            who.setdefault("first_article", art.id)
    events.sort(key=lambda e: (e.get("date") or e["published"] or date.min, e["article_id"], e["span_start"]))
    ranked = sorted(speakers.values(), key=lambda s: (-s["quotes"], s["speaker"]))
    return StoryPage(detail, views, len(detail.conflicts) - len(open_), events, ranked, titles)


def _estimate_json(best: Any) -> dict[str, Any] | None:
    return None if best is None else plain(best)


def story_json(sp: StoryPage) -> dict[str, Any]:
    d, view = sp.detail, sp.detail.story
    return {"story": story_row(view) | {"links": view.links},
            "articles": [plain(a) | {"url_page": f"/articles/{a.id}"} for a in view.articles],
            "estimates": {k: _estimate_json(b) for k, b in d.estimates.items()},
            "measures": [{"key": m.key, "label": m.label, "figures": m.figures, "best": _estimate_json(m.best)}
                         for m in d.measures],
            "figures": len(d.figures),
            "conflicts": [c.to_json() for c in sp.conflicts], "conflicts_dismissed": sp.dismissed,
            "events": [_event_json(e) for e in sp.events],
            "speakers": sp.speakers}


def _event_json(e: dict[str, Any]) -> dict[str, Any]:
    out = plain({k: v for k, v in e.items() if k not in ("corrected_fields",)})
    assert isinstance(out, dict)
    return out


def _charts(detail: Any, conflicted: set[int]) -> list[tuple[Any, Markup]]:
    """The series of the story's measures with the most dated figures, restricted to the story."""
    by_key: dict[str, list[Any]] = {}
    for f in detail.figures:
        if f.value is not None and (f.as_of or f.published):
            by_key.setdefault(f.measure_key, []).append(f)
    out: list[tuple[Any, Markup]] = []
    for m in detail.measures:
        figs = by_key.get(m.key, [])
        if len(figs) < 2 or len(out) == CHARTS:
            continue
        out.append((m, series_svg(figs, conflicted, title=f"{m.label} in this story: value over as-of date",
                                  chart_id=f"series-{len(out)}", href="/articles/{article}#figure-{id}")))
    return out


# -- pages ---------------------------------------------------------------------------------------------------
@pages.get("/stories", response_class=HTMLResponse)
def stories(request: Request, search: str = "", place: str = "", since: str = "", until: str = "",
            kind: str = "", page: int = 1) -> Response:
    from newsledger.web.pages import render

    page, per_page = paging(page, PER_PAGE)
    result = story_list(ledger_of(request), page, per_page, search=search, place=place,
                        since=parse_day(since, "since"), until=parse_day(until, "until"), kind=kind)
    filters = {"search": search, "place": place, "since": since, "until": until, "kind": kind}
    return render(request, "stories.html", title="Stories", result=result, filters=filters, kinds=STORY_KINDS,
                  page_link=lambda p: link("/stories", page=p, **filters))


@pages.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: int, fig_page: int = 1, event_page: int = 1) -> Response:
    from newsledger.web.pages import render

    fig_page, per_page = paging(fig_page, PER_PAGE)
    event_page, _ = paging(event_page, PER_PAGE)
    ledger = ledger_of(request)
    sp = story_page(ledger, story_id)
    view = sp.detail.story
    conflicted = {p["figure_id"] for c in sp.conflicts for p in c.points}
    timeline = timeline_svg([(a.id, a.published, f"{a.outlet or ''} {a.title or ''}".strip()) for a in view.articles],
                            title=f"The {len(view.articles)} articles of this story by publication day")
    figs = data.page_of(sp.detail.figures, fig_page, per_page)
    rows = data.figure_rows(ledger, figs.items)
    events = data.page_of(sp.events, event_page, per_page)
    return render(request, "story.html", title=view.title, sp=sp, view=view, timeline=timeline,
                  charts=_charts(sp.detail, conflicted), conflicted=conflicted, figs=figs, rows=rows,
                  events=events,
                  fig_link=lambda p: link(f"/stories/{story_id}", fig_page=p, event_page=event_page) + "#figures",
                  event_link=lambda p: link(f"/stories/{story_id}", fig_page=fig_page, event_page=p) + "#events")


# -- API -----------------------------------------------------------------------------------------------------
@api.get("/stories", summary="Stories, latest first; filters: words of an article, place, dates, kind (csv too)")
def api_stories(request: Request, search: str | None = None, place: str | None = None, since: str | None = None,
                until: str | None = None, kind: str | None = None, page: PageQ = 1, per_page: PerPageQ = 25,
                format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    result = story_list(ledger_of(request), page, per_page, search=search, place=place,
                        since=parse_day(since, "since"), until=parse_day(until, "until"), kind=kind)
    rows = [story_row(s) for s in result.items]
    if format == "csv":
        return _csv(rows, "stories")
    return JSONResponse(page_json(result, rows))


@api.get("/stories/{story_id}", summary="One story: articles, best estimates, measures, conflicts with their "
                                         "sentences, events, speakers")
def api_story(request: Request, story_id: int) -> dict[str, Any]:
    return story_json(story_page(ledger_of(request), story_id))


@api.get("/stories/{story_id}/figures", summary="A story's figures, oldest as-of first, with their measure (csv too)")
def api_story_figures(request: Request, story_id: int, measure: str | None = None, page: PageQ = 1,
                      per_page: PerPageQ = 25, format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    figs = ledger_of(request).story(story_id).figures
    if measure:
        figs = [f for f in figs if f.measure_key == measure]
    result = data.page_of(figs, page, per_page)
    return _answer([data.figure_json(f) for f in result.items], result, format, "story-figures")


def stories_of(ledger: Ledger, article_ids: list[int], limit: int = 20) -> list[dict[str, Any]]:
    """The stories these articles are placed in (for links from article and measure pages), the first `limit`."""
    return [{"id": i, "title": t} for i, t in story_views.stories_of(ledger.store, article_ids)[:limit]]
