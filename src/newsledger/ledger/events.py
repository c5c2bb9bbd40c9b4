"""Stored events as rows: our fields for people and timelines, and PLOVER's field names for event-data users
(docs/events.md)."""

from __future__ import annotations

from typing import Any

from newsledger.store.event_queries import StoredEvent

# PLOVER's quad categories (verbal/material cooperation/conflict) for its event types as POLECAT names them.
QUAD_CODE = {"agree": 1, "consult": 1, "support": 1, "concede": 1,
             "cooperate": 2, "aid": 2, "retreat": 2,
             "request": 3, "accuse": 3, "reject": 3, "threaten": 3, "sanction": 3,
             "protest": 4, "mobilize": 4, "coerce": 4, "assault": 4}

EVENT_COLUMNS = ("date", "type", "status", "trigger", "actor", "recipient", "location", "article")
PLOVER_FIELDS = ("id", "date", "enddate", "source", "recipient", "event", "mode", "quad_code", "event_loc",
                 "event_text", "dead", "injured", "size", "link", "url", "title", "publication")


def _joined(names: list[str]) -> str | None:
    return "; ".join(names) if names else None


def event_row(e: StoredEvent) -> dict[str, Any]:
    """Our fields: the contract's names (dates at their precision), the article, and figure values."""
    return {"date": e.date, "end_date": e.end_date, "date_text": e.date_text, "type": e.type, "mode": e.mode,
            "status": e.status, "trigger": e.trigger, "actor": _joined(e.actor),
            "recipient": _joined(e.recipient), "location": e.location, "source": e.source,
            "dead": e.dead_value, "injured": e.injured_value, "size": e.size_value, "text": e.text,
            "article": e.article_id, "event": e.ordinal, "span_start": e.span_start, "span_end": e.span_end,
            "same_as": e.same_as, "content_of": e.content_of, "published": e.published, "url": e.url,
            "outlet": e.outlet, "title": e.title}


def plover_row(e: StoredEvent) -> dict[str, Any]:
    """PLOVER's field names (its JSON data fields), then ours beside them where PLOVER has no name for one.

    PLOVER's `source` is the actor (ours is `actor`); our `source`, who told of the event, becomes `told_by`.
    """
    return {"id": f"{e.article_id}-{e.ordinal}",
            "date": e.first_day.isoformat() if e.first_day else None,
            "enddate": e.end_date, "source": _joined(e.actor), "recipient": _joined(e.recipient),
            "event": (e.type or "").upper() or None, "mode": e.mode, "quad_code": QUAD_CODE.get(e.type or ""),
            "event_loc": e.location, "event_text": e.trigger, "dead": e.dead_value, "injured": e.injured_value,
            "size": e.size_value, "link": f"{e.article_id}-{e.same_as}" if e.same_as is not None else None,
            "url": e.url, "title": e.title, "publication": e.outlet,
            # ours, beside PLOVER's
            "actor": _joined(e.actor), "type": e.type, "status": e.status, "date_value": e.date,
            "date_text": e.date_text, "told_by": e.source, "text": e.text, "article_id": e.article_id,
            "span_start": e.span_start, "span_end": e.span_end, "published": e.published}
