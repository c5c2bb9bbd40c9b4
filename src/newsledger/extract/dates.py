"""Date mentions resolved against the publication day, and the date a clause holds for."""

from __future__ import annotations

from typing import Any

from newsledger.model import DateMention

REQUIRES: tuple[str, ...] = ("entities",)
ASSIGNS = "dates"


def date_for(ctx: Any, start: int, end: int) -> str | None:
    """The ISO date (YYYY-MM-DD) that the clause around [start, end) holds for, else None.

    First version: the publication day (a governing date expression replaces it in the next version).
    """
    published = getattr(ctx, "published", None)
    return published.isoformat() if published is not None else None


def extract(ctx: Any) -> list[DateMention]:
    """Date mentions in text order (placeholder: none yet)."""
    return []
