"""The best estimate of a measure: the latest figure from the most specific source, and what it rests on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsledger.ledger.conflicts import Point, describe_value, interval, who
from newsledger.ledger.measures import lexicon, measure_scope, period_bounds
from newsledger.ledger.sources import source_name

# How much a qualifier says: an exact count over a range over "about" over a bound.
_QUALIFIER_RANK = {"exact": 4, "range": 3, "approx": 2, "at_least": 1, "more_than": 1, "at_most": 0,
                   "less_than": 0}


@dataclass
class Estimate:
    """A measure's best estimate: one figure's value with its qualifier, date, source and support."""

    measure_key: str
    value: float
    value_max: float | None
    qualifier: str
    as_of: str  # the day, or the period of a period count
    source: str | None
    outlet: str | None
    figure_id: int
    article_id: int
    rests_on: list[int] = field(default_factory=list)  # figure ids of that day that agree with it
    why: str = ""

    @property
    def text(self) -> str:
        """"at least 48,446 as of 2025-03-07 (health ministry; 3 figures)"."""
        n = len(self.rests_on)
        return (f"{describe_value(self.value, self.value_max, self.qualifier)} as of {self.as_of} "
                f"({self.source or self.outlet or 'unattributed'}; {n} figure{'s' if n != 1 else ''})")

    def as_dict(self) -> dict[str, Any]:
        return {"measure": self.measure_key, "value": self.value, "value_max": self.value_max,
                "qualifier": self.qualifier, "value_text": describe_value(self.value, self.value_max,
                                                                          self.qualifier),
                "as_of": self.as_of, "source": self.source, "outlet": self.outlet, "figure_id": self.figure_id,
                "article_id": self.article_id, "rests_on": self.rests_on, "why": self.why}


def specificity(point: Point) -> int:
    """How specific a point's source is: 2 a named body, 1 a generic one ("officials"), 0 none given."""
    name = source_name(point.source)
    if not name:
        return 0
    return 1 if name in lexicon()["generic_sources"] else 2


def _when(p: Point, scope: str) -> tuple[str, str] | None:
    """(sort key, as written) of the day or period a point holds for."""
    if scope == "period":
        if not p.period:
            return None
        return period_bounds(p.period)[1].isoformat(), p.period
    if not p.as_of:
        return None
    return p.as_of[:10], p.as_of[:10]


def best_estimate(points: Iterable[Point]) -> Estimate | None:
    """The latest dated figure of a measure, from the most specific source that gave one that day.

    Among the figures of the latest day (or period), the one whose source is most specific wins
    (a named body over "officials" over an unattributed report), then the most precise qualifier
    (exact, range, about, bounds), then the highest value. It rests on every figure of that day
    whose allowed values overlap its own.
    """
    pts = [p for p in points if p.value == p.value]  # no NaN
    if not pts:
        return None
    scope = measure_scope(pts[0].measure_key)
    dated = [(w, p) for p in pts if (w := _when(p, scope)) is not None]
    if not dated:
        return None
    last = max(w[0] for w, _ in dated)
    day = [(w, p) for w, p in dated if w[0] == last]
    (_, shown), best = max(day, key=lambda wp: (specificity(wp[1]), _QUALIFIER_RANK.get(wp[1].qualifier, 0),
                                               interval(wp[1])[0], -wp[1].figure_id))
    lo, hi = interval(best)
    rests = sorted(p.figure_id for _, p in day if interval(p)[0] <= hi and interval(p)[1] >= lo)
    why = (f"latest {'period' if scope == 'period' else 'day'} {shown}; {who(best)} is the most specific "
           f"of {len({source_name(p.source) or p.outlet for _, p in day})} source(s) that day")
    return Estimate(best.measure_key, best.value, best.value_max, best.qualifier, shown, best.source,
                    best.outlet, best.figure_id, best.article_id, rests, why)
