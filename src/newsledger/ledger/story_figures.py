"""A story's best estimates of how many were killed and injured, from its articles' figures.

Each report of the story states its count first (the lead gives the happening's own count; later figures
are more often background). The story's best estimate is the
value most of its reports agree on, the latest report's value when as many reports give each: a later
report corrects an earlier one (a victim dies, a count is revised) unless the others still agree.
A story whose reports give no count but say in a title or lead that someone died (or was hurt) gets the
implied count 1, marked with the qualifier `implied`.
For one measure (`best_figure`), the best estimate is the latest report's figure from the most specific
source.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from newsledger.extract.lexicons import load_resource
from newsledger.store.queries import StoredFigure

CATEGORIES = ("killed", "injured")


@dataclass
class BestEstimate:
    """A story's best figure for one category, with the figure it rests on (None when implied)."""

    category: str
    value: float
    qualifier: str
    source: str | None
    figure_id: int | None
    article_id: int | None
    published: date | None
    text: str
    considered: int  # figures of this category in the story


def _estimate(fig: StoredFigure, considered: int) -> BestEstimate:
    return BestEstimate(fig.category, float(fig.value or 0), fig.qualifier, fig.source, fig.id, fig.article_id,
                        fig.published, fig.text, considered)


def _usable(figures: Iterable[StoredFigure]) -> list[StoredFigure]:
    return [f for f in figures if f.value is not None and f.value >= 0]


def best_figure(figures: Iterable[StoredFigure]) -> BestEstimate | None:
    """The latest report's figure from the most specific source (None when there is none)."""
    figs = _usable(figures)
    if not figs:
        return None
    latest = max(figs, key=lambda f: (f.published or date.min, f.article_id))
    own = [f for f in figs if f.article_id == latest.article_id]
    return _estimate(min(own, key=lambda f: (f.source is None, f.span_start)), len(figs))


def agreed_figure(figures: Iterable[StoredFigure]) -> BestEstimate | None:
    """The value most reports give first (ties: the latest report's), with the figure that states it."""
    figs = _usable(figures)
    if not figs:
        return None
    firsts: dict[int, StoredFigure] = {}
    for f in sorted(figs, key=lambda f: (f.article_id, f.span_start)):
        firsts.setdefault(f.article_id, f)
    votes = Counter(f.value for f in firsts.values())
    latest = {v: max((f for f in firsts.values() if f.value == v),
                     key=lambda f: (f.published or date.min, f.article_id)) for v in votes}
    value = max(votes, key=lambda v: (votes[v], latest[v].published or date.min, latest[v].article_id))
    return _estimate(latest[value], len(figs))


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern[str], re.Pattern[str], int]:
    data = load_resource("stories.json")
    return (re.compile(data["fatal_cue"], re.I), re.compile(data["hurt_cue"], re.I), int(data["lead_chars"]))


def best_estimates(figures: Iterable[StoredFigure], reports: Sequence[tuple[str | None, str]] = ()
                   ) -> dict[str, BestEstimate]:
    """category -> best estimate for killed and injured; `reports` are the story's (title, text) pairs,
    read for an implied count where no figure gives one. A category with neither is left out."""
    by_cat: dict[str, list[StoredFigure]] = {c: [] for c in CATEGORIES}
    for fig in figures:
        if fig.category in by_cat:
            by_cat[fig.category].append(fig)
    out = {cat: agreed_figure(figs) for cat, figs in by_cat.items()}
    if reports:
        fatal, hurt, lead = _cues()
        titles = " ".join(t or "" for t, _ in reports)
        leads = " ".join(f"{t or ''} {text[:lead]}" for t, text in reports)
        implied = {"killed": bool(fatal.search(leads)),
                   "injured": bool(hurt.search(leads)) and not fatal.search(titles)}
        for cat in CATEGORIES:
            if out[cat] is None and implied[cat]:
                out[cat] = BestEstimate(cat, 1.0, "implied", None, None, None, None,
                                        "implied by the reports' words", 0)
    return {cat: b for cat, b in out.items() if b is not None}


__all__ = ["BestEstimate", "CATEGORIES", "agreed_figure", "best_estimates", "best_figure"]
