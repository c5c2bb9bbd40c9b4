"""A story's best estimates of how many were killed and injured, from its articles' figures.

The best estimate of a category is the figure of the latest article that gives one (later reports
correct earlier ones: a victim dies, a count is revised), taking within that article the figure of the
most specific source (a named source over none) and, among those, the first one the article states
(the lead states the happening's own count; later figures are more often background).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from newsledger.store.queries import StoredFigure

CATEGORIES = ("killed", "injured")


@dataclass
class BestEstimate:
    """A story's best figure for one category, with the figure it rests on."""

    category: str
    value: float
    qualifier: str
    source: str | None
    figure_id: int
    article_id: int
    published: date | None
    text: str
    considered: int  # figures of this category in the story


def best_figure(figures: Iterable[StoredFigure]) -> BestEstimate | None:
    """The best estimate among figures that count one thing (None when there is none)."""
    figs = [f for f in figures if f.value is not None and f.value >= 0]
    if not figs:
        return None
    latest = max(figs, key=lambda f: (f.published or date.min, f.article_id))
    own = [f for f in figs if f.article_id == latest.article_id]
    best = min(own, key=lambda f: (f.source is None, f.span_start))
    return BestEstimate(best.category, float(best.value or 0), best.qualifier, best.source, best.id,
                        best.article_id, best.published, best.text, len(figs))


def best_estimates(figures: Iterable[StoredFigure]) -> dict[str, BestEstimate]:
    """category -> best estimate, for killed and injured (a category without figures is left out)."""
    by_cat: dict[str, list[StoredFigure]] = {c: [] for c in CATEGORIES}
    for fig in figures:
        if fig.category in by_cat:
            by_cat[fig.category].append(fig)
    out = {cat: best_figure(figs) for cat, figs in by_cat.items()}
    return {cat: b for cat, b in out.items() if b is not None}


__all__ = ["BestEstimate", "CATEGORIES", "best_estimates", "best_figure"]
