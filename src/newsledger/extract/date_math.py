"""Calendar arithmetic for date resolution: years, weeks, weekends and periods around a publication day."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Literal

from newsledger.model import Granularity

Lean = Literal["past", "future", "present"] | None
Period = tuple[date, date, Granularity]


def month_end(y: int, m: int) -> date:
    """The last day of month `m` of year `y`."""
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    """(year, month) `n` months after (or before, for negative `n`) month `m` of year `y`."""
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def safe_date(y: int, m: int, d: int) -> date | None:
    """The date, or None for an impossible one ("February 30")."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def pick_year(make: Callable[[int], tuple[date, date] | None], pub: date, lean: Lean
              ) -> tuple[date, date] | None:
    """The period (from `make(year)`) nearest the publication day, leaning back or forward by tense."""
    cands = [p for p in (make(pub.year - 1), make(pub.year), make(pub.year + 1)) if p is not None]
    if not cands:
        return None
    if lean in ("past", None):  # news mostly reports what happened: an unknown tense leans back
        past = [p for p in cands if p[0] <= pub]
        if past:
            return max(past)
    elif lean == "future":
        ahead = [p for p in cands if p[1] >= pub]
        if ahead:
            return min(ahead)

    def dist(p: tuple[date, date]) -> tuple[int, int]:
        if p[0] <= pub <= p[1]:
            return (0, 0)
        gap = min(abs((p[0] - pub).days), abs((p[1] - pub).days))
        return (gap, 0 if p[1] < pub else 1)  # ties go to the past: news mostly reports what happened

    return min(cands, key=dist)


def weekday_near(pub: date, wd: int, lean: Lean, mod: str) -> date:
    """The day with weekday `wd` (Monday 0) that a clause of this tense and modifier means."""
    back = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    if mod == "last" or mod == "this past":
        return pub - timedelta(days=back or 7)
    if mod == "next":
        return pub + timedelta(days=ahead or 7)
    if mod in ("coming", "this coming"):
        return pub + timedelta(days=ahead)
    if lean == "future":
        return pub + timedelta(days=ahead)
    # Past, present or unknown: local news reports "remains in hospital Tuesday" of a day gone by, and the
    # same weekday as publication is the publication day itself ("Hamas on Friday urged").
    return pub - timedelta(days=back)


def week_of(day: date) -> Period:
    """The Monday-to-Sunday week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6), "week"


def weekend(pub: date, lean: Lean, mod: str) -> Period:
    """The Saturday-Sunday that "this/last/next weekend" means, seen from the publication day."""
    if mod in ("last", "past", "this past", "previous") or (mod == "this" and lean == "past"):
        # The latest weekend that is over before the publication day ends (a Sunday paper's "last
        # weekend" is the one before).
        sunday = pub - timedelta(days=(pub.weekday() - 6) % 7 or 7)
        if mod == "this" and pub.weekday() >= 5:
            sunday = pub + timedelta(days=6 - pub.weekday())
    elif mod == "next":
        sunday = pub + timedelta(days=(6 - pub.weekday()) + 7 * (pub.weekday() < 5))
    else:
        sunday = pub + timedelta(days=6 - pub.weekday())
    return sunday - timedelta(days=1), sunday, "range"


def unit_shift(pub: date, unit: str, n: int) -> Period:
    """The calendar week/month/year `n` units away from the one holding the publication day."""
    if unit == "week":
        return week_of(pub + timedelta(days=7 * n))
    if unit == "month":
        y, m = add_months(pub.year, pub.month, n)
        return date(y, m, 1), month_end(y, m), "month"
    return date(pub.year + n, 1, 1), date(pub.year + n, 12, 31), "year"


def named_period(gd: dict[str, Any], pub: date, lean: Lean) -> Period:
    """A "this/last/next week|weekend|month|year" match (its groups `mod`, `unit`, `the`, `pre`) as a period."""
    mod = re.sub(r"\s+", " ", gd["mod"].lower())
    unit = gd["unit"].lower()
    if unit == "weekend":
        return weekend(pub, lean, mod)
    if gd.get("the") and mod in ("past", "last"):
        # "the past week" is the seven days up to publication, not the previous calendar week.
        days = {"week": 7, "month": 30, "year": 365}[unit]
        return pub - timedelta(days=days), pub, "range"
    shift = {"last": -1, "past": -1, "previous": -1, "this past": -1, "next": 1, "coming": 1,
             "this coming": 1}.get(mod, 0)
    start, end, gran = unit_shift(pub, unit, shift)
    pre = (gd.get("pre") or "").lower()
    if shift == 0 and pre == "earlier":
        return start, pub, "range"
    if shift == 0 and pre == "later":
        return pub, end, "range"
    return start, end, gran


def holiday(y: int, rule: list[int]) -> date | None:
    """A holiday's date in year `y`: [month, day], or [month, weekday, nth] with nth -1 for the last."""
    if len(rule) == 2:
        return safe_date(y, rule[0], rule[1])
    month, wd, nth = rule
    if nth > 0:
        first = date(y, month, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (nth - 1))
    last = month_end(y, month)
    return last - timedelta(days=(last.weekday() - wd) % 7)
