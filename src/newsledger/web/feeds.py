"""Atom feeds people can subscribe to: new conflicts, and new figures of one measure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsledger.web import data
from newsledger.web.app import ledger_of
from newsledger.web.views import figure_anchor, measure_url, number

router = APIRouter(prefix="/feeds", tags=["feeds"])
ENTRIES = 50


def _stamp(day: Any) -> str:
    if isinstance(day, datetime):
        return day.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    if isinstance(day, date):
        return f"{day.isoformat()}T00:00:00Z"
    if isinstance(day, str) and day:
        return f"{day[:10]}T00:00:00Z"
    return "1970-01-01T00:00:00Z"


def _feed(request: Request, feed_id: str, title: str, entries: list[dict[str, str]]) -> Response:
    base = str(request.base_url).rstrip("/")
    updated = max((e["updated"] for e in entries), default=_stamp(None))
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<id>{escape(base + feed_id)}</id><title>{escape(title)}</title><updated>{updated}</updated>",
             f'<link rel="self" href="{escape(base + feed_id, {chr(34): "&quot;"})}"/>',
             "<author><name>newsledger</name></author>"]
    for e in entries:
        href = escape(base + e["link"], {'"': "&quot;"})
        parts.append(f'<entry><id>{escape(base + e["id"])}</id><title>{escape(e["title"])}</title>'
                     f'<updated>{e["updated"]}</updated><link href="{href}"/>'
                     f'<summary>{escape(e["summary"])}</summary></entry>')
    parts.append("</feed>")
    return Response("".join(parts), media_type="application/atom+xml; charset=utf-8")


@router.get("/conflicts.atom", summary="Atom feed of open conflicts, newest first")
def conflicts_feed(request: Request) -> Response:
    found, _ = data.filter_conflicts(ledger_of(request))
    entries = []
    for c in found[:ENTRIES]:
        cid = data.conflict_id(c)
        day = max((p.as_of for p in c.points if p.as_of), default=None)
        entries.append({"id": f"/conflicts#{cid}", "title": f"{c.kind}: {c.measure_key}", "updated": _stamp(day),
                        "link": f"/conflicts/{cid}", "summary": c.reason})
    return _feed(request, "/feeds/conflicts.atom", "newsledger: conflicts", entries)


@router.get("/measures/{key:path}.atom", summary="Atom feed of one measure's figures, newest first")
def measure_feed(request: Request, key: str) -> Response:
    view = data.measure_view(ledger_of(request), key)
    figs = sorted(view.figures, key=lambda f: (f.as_of or f.published or date.min, f.id), reverse=True)[:ENTRIES]
    entries = [{"id": f"/additions/{-f.id}" if f.id < 0 else f"/figures/{f.id}", "updated": _stamp(f.as_of or f.published),
                "title": f"{number(f.value)} {f.counted or ''} ({f.qualifier}) — {f.source or f.outlet or 'unattributed'}"
                         + (" (added by a person)" if f.id < 0 else ""),
                "link": f"/articles/{f.article_id}#{figure_anchor(f.id)}",
                "summary": f"{view.label}: {f.text} as of {f.as_of or f.published}"} for f in figs]
    return _feed(request, "/feeds" + measure_url(key) + ".atom", f"newsledger: {view.label}", entries)
