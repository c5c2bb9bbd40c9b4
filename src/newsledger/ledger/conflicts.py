"""Find figures that cannot all be true: sources that disagree, running totals that fall, parts over wholes."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from newsledger.extract.lexicons import load_resource
from newsledger.ledger.measures import is_cumulative, lexicon, measure_scope
from newsledger.ledger.sources import source_name

KINDS: tuple[str, ...] = ("disagreement", "qualifiers", "decrease", "part_exceeds_whole", "reference")
_BOUNDS = ("at_least", "more_than", "at_most", "less_than", "range")
_WORDS = {"approx": "about ", "at_least": "at least ", "more_than": "more than ", "at_most": "at most ",
          "less_than": "fewer than ", "exact": ""}


@dataclass
class Point:
    """One stored figure as a value of a measure at a date, with who gave it and where it was printed."""

    figure_id: int
    article_id: int
    measure_key: str
    category: str
    value: float
    value_max: float | None
    qualifier: str
    as_of: str | None
    source: str | None
    outlet: str | None
    whole_value: float | None = None  # the value of the figure this one is part of, if any
    whole_figure_id: int | None = None
    period: str | None = None  # the period a period count covers ("2016", "2016-03-12/2016-03-13")
    start: int | None = None  # where the figure starts in its article's text
    end: int | None = None  # and where it ends


@dataclass
class Conflict:
    """Points that cannot all hold, of one kind (see KINDS), with a one-line reason a person can read."""

    kind: str
    measure_key: str
    points: list[Point]
    reason: str
    sentences: list[str] = field(default_factory=list)  # each point's sentence, filled by the Ledger
    story: str | None = None  # the story both points belong to, when articles were grouped into stories


def number(value: float) -> str:
    """A value as people write it: 48,446; 2.5; 1,200,000."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def describe_value(value: float, value_max: float | None, qualifier: str) -> str:
    """A value with its qualifier, as a reader would say it ("at least 48,446", "20–30")."""
    if qualifier == "range" and value_max is not None:
        return f"{number(value)}–{number(value_max)}"
    return _WORDS.get(qualifier, "") + number(value)


def who(point: Point) -> str:
    """The source a point is attributed to, as a name for messages."""
    if point.source and point.outlet:
        return f"{point.source} (in {point.outlet})"
    return point.source or (f"{point.outlet} (unattributed)" if point.outlet else "an unattributed report")


def source_key(point: Point) -> str:
    """Points with the same source key count as one source's running series (see ledger.sources)."""
    return source_name(point.source or point.outlet or "") or ""


def rounding_band(value: float) -> float:
    """How far an "about" value may be from the truth: half a unit of its last significant digit.

    "about 50,000" covers 45,000–55,000; "about 48,000" covers 47,500–48,500.
    """
    v = abs(value)
    if v < 1 or not float(v).is_integer():
        return v * 0.05
    unit = 1
    n = int(v)
    while n % 10 == 0 and n >= 10:
        n //= 10
        unit *= 10
    return unit / 2


def interval(point: Point) -> tuple[float, float]:
    """The values a point allows: exact [v, v], "at least v" [v, inf), "fewer than v" [0, v], ranges."""
    v, q = point.value, point.qualifier
    if q == "range" and point.value_max is not None:
        return (v, point.value_max)
    if q == "approx":
        band = rounding_band(v)
        return (v - band, v + band)
    if q in ("at_least", "more_than"):
        return (v, math.inf)
    if q in ("at_most", "less_than"):
        return (0.0, v)
    return (v, v)


def _reported(point: Point) -> tuple[float | None, float]:
    """The (floor, ceiling) a report asserts for a running total.

    A later "at least 45,000" after an exact 48,446 is a decrease: a reported lower bound is the count
    the reporter stands by, so it is its own ceiling too. Upper bounds ("fewer than 40") give no floor.
    """
    v, q = point.value, point.qualifier
    if q == "approx":
        band = rounding_band(v)
        return (v - band, v + band)
    if q == "range" and point.value_max is not None:
        return (v, point.value_max)
    if q in ("at_most", "less_than"):
        return (None, v)
    return (v, v)


def _apart(high: float, low: float) -> float:
    """How far apart two values are, as a share of the higher."""
    return (high - low) / high if high > 0 else (0.0 if high == low else 1.0)


def _days_between(a: str, b: str) -> int:
    try:
        return (date.fromisoformat(b) - date.fromisoformat(a)).days
    except ValueError:
        return 0


def _day(as_of: str | None) -> str | None:
    return as_of[:10] if as_of else None


def find_conflicts(points: Iterable[Point], tolerance: float = 0.02,
                   stories: Mapping[int, str] | None = None) -> list[Conflict]:
    """Every conflict among the points, measure by measure, in key and date order.

    Figures are compared only where they count the same thing: the same measure (category, counted
    thing, place and scope) and as-of dates that overlap (the same day for a running total, the same
    period for a period's count). One incident is compared only within a story: `stories` maps article
    ids to story ids (an article outside the mapping is a story of its own); without it, two shootings in
    one city on one day are two things and no incident is compared. Running totals and periods are one
    happening by their measure and date whatever the story (the story clusterer may split one war's
    daily reports into many stories). Kinds:

    - "qualifiers": a bound ("fewer than 30,000", "at least 20") that the other value lies outside of,
      whatever the tolerance ("fewer than 30,000" against 30,320 on one day); "at least 20" against 25
      is no conflict.
    - "disagreement": values without bounds more than `tolerance` apart (an "about" value covers its
      rounding).
    - "decrease": a running total of a cumulative category that one source reports lower than before,
      by more than `tolerance` (one conflict per earlier peak, counting the later reports below it).
    - "part_exceeds_whole": a part of a compared category (killed, held, ...) larger than its whole (the
      caller keeps only parts really inside their whole: see `part_inside`).

    Rates, records, comparisons and parts of other counts are never compared. Runs in O(n log n): points
    are grouped by measure, story and day, never compared pair by pair.
    """
    by_group: dict[tuple[str, str], list[Point]] = defaultdict(list)
    out: list[Conflict] = []
    for p in points:
        if math.isnan(p.value):
            continue  # a figure without a number cannot disagree with anything
        story = _story_of(p, stories) if measure_scope(p.measure_key) == "incident" else ""
        by_group[(p.measure_key, story)].append(p)
        if p.whole_value is not None and interval(p)[0] > p.whole_value and _counted_category(p.measure_key):
            out.append(Conflict(
                "part_exceeds_whole", p.measure_key, [p],
                f"{who(p)} gave a part of {describe_value(p.value, p.value_max, p.qualifier)} "
                f"larger than its whole of {number(p.whole_value)}"
                + (f" (figure {p.whole_figure_id})" if p.whole_figure_id is not None else ""),
                story=_shared_story([p], stories),
            ))
    for key, story in sorted(by_group):
        pts = by_group[(key, story)]
        found = _same_day(key, pts, tolerance, in_story=stories is not None)
        if is_cumulative(key) and comparable(key):
            found.extend(_decreases(key, pts, tolerance))
        for c in found:
            c.story = story or _shared_story(c.points, stories)
        out.extend(found)
    return out


def _counted_category(key: str) -> bool:
    """Whether a measure counts something of a compared category ("two buildings, including eight" does not)."""
    return key.split("|")[0] in lexicon()["compared_categories"]


def _shared_story(pts: list[Point], stories: Mapping[int, str] | None) -> str | None:
    """The story every point's article belongs to, when they share one."""
    if stories is None:
        return None
    found = {stories.get(p.article_id) for p in pts}
    return found.pop() if len(found) == 1 and None not in found else None


def _story_of(p: Point, stories: Mapping[int, str] | None) -> str:
    if stories is None:
        return ""
    return str(stories.get(p.article_id, f"article:{p.article_id}"))


def _when(p: Point, scope: str) -> str | None:
    """The as-of date (or period) two points must share to be compared."""
    if scope == "period":
        return p.period
    return p.as_of[:10] if p.as_of else None


def _same_day(key: str, pts: list[Point], tolerance: float, in_story: bool = False) -> list[Conflict]:
    """One conflict per day (or period) whose values cannot all hold.

    Intervals on a line have a common point exactly when the highest lower end is at most the lowest
    upper end, so the pair of extremes is the conflict, and each day costs one pass.
    """
    scope = measure_scope(key)
    if scope in ("rate", "record", "part") or not comparable(key):
        return []
    if scope == "incident" and (not in_story or key.split("|")[0] in cues()["incident_uncompared"]):
        return []  # two incidents on one day are two things, not two accounts of one
    if scope == "incident":
        # Within a story, an article's first count of the incident is what it reports; later counts of the
        # same measure are details ("two victims were airlifted", "one was shot in the head").
        first: dict[int, Point] = {}
        for p in pts:
            if p.article_id not in first or p.figure_id < first[p.article_id].figure_id:
                first[p.article_id] = p
        pts = list(first.values())
    by_day: dict[str, list[tuple[float, float, Point]]] = defaultdict(list)
    for p in pts:
        day = _when(p, scope)
        if day:
            lo, hi = interval(p)
            by_day[day].append((lo, hi, p))
    out: list[Conflict] = []
    for day in sorted(by_day):
        group = by_day[day]
        if len(group) < 2:
            continue
        pair = _extremes(group)
        if pair is None:
            continue
        (high, _, hi_p), (_, low, lo_p) = pair
        if high <= low:
            continue
        # A bound is a claim about every value beyond it: a value outside it contradicts it however near.
        bound = hi_p.qualifier in _BOUNDS or lo_p.qualifier in _BOUNDS
        if not bound and _apart(high, low) <= tolerance:
            continue
        kind = "qualifiers" if bound else "disagreement"
        a = describe_value(hi_p.value, hi_p.value_max, hi_p.qualifier)
        b = describe_value(lo_p.value, lo_p.value_max, lo_p.qualifier)
        when = f"the {_period_words(day)}" if scope == "period" else day
        if not source_key(hi_p) and not source_key(lo_p):
            lead = f"one unattributed report said {a} for {when} but another said {b} for the same " \
                   f"{'period' if scope == 'period' else 'day'}"
        elif source_key(hi_p) == source_key(lo_p):
            lead = f"{who(hi_p)} gave both {a} and {b} for {when}"
        else:
            lead = f"{who(hi_p)} said {a} for {when} but {who(lo_p)} said {b} for the same " \
                   f"{'period' if scope == 'period' else 'day'}"
        tail = "cannot both hold" if bound else f"{_apart(high, low) * 100:.1f}% apart"
        out.append(Conflict(kind, key, [hi_p, lo_p], f"{lead} ({tail})"))
    return out


def _period_words(period: str) -> str:
    if "/" in period:
        return f"weekend {period}"
    if "-W" in period:
        return f"week {period}"
    return {4: "year", 7: "month"}.get(len(period), "day") + f" {period}"


def comparable(key: str) -> bool:
    """Whether values of a measure can contradict each other on one day.

    Only measures of a compared category (killed, held, ...: see the lexicon) that name a counted thing
    and a place: "other · people" is anything people do, and people killed with no place is every
    incident in the world on that day.
    """
    parts = (key.split("|") + ["", "", "", ""])[:4]
    category, head, place = parts[0], parts[2], parts[3]
    return bool(head) and bool(place) and category in lexicon()["compared_categories"]


_Span = tuple[float, float, Point]


def _extremes(group: list[_Span]) -> tuple[_Span, _Span] | None:
    """The highest lower end and the lowest upper end of a day's values, from two different articles.

    One article giving two values for one measure on one day almost always means two things the grouping
    could not tell apart (a part and a total, two places), so such pairs are no disagreement. When the
    two extremes share an article, the next best of each end from another article is tried.
    """
    hi1 = max(group, key=itemgetter(0))
    lo1 = min(group, key=itemgetter(1))
    art = hi1[2].article_id
    if art != lo1[2].article_id:
        return hi1, lo1
    others = [span for span in group if span[2].article_id != art]
    if not others:
        return None
    hi2 = max(others, key=itemgetter(0))
    lo2 = min(others, key=itemgetter(1))
    return max(((hi1, lo2), (hi2, lo1)), key=lambda hl: hl[0][0] - hl[1][1])


def _decreases(key: str, pts: list[Point], tolerance: float) -> list[Conflict]:
    """Per source, reports of a running total lower than an earlier report: one conflict per earlier peak.

    A total nobody reported for `series_gap_days` (conflicts.json) starts again: the 2014 war's toll is no
    peak for the first days of a war nine years later.
    """
    by_source: dict[str, list[tuple[str, int, float | None, float, Point]]] = defaultdict(list)
    for p in pts:
        src = source_key(p)
        # A running total is one source's count: reports naming no source and no outlet are no series.
        if p.as_of and src:
            floor, ceiling = _reported(p)
            by_source[src].append((p.as_of[:10], p.figure_id, floor, ceiling, p))
    out: list[Conflict] = []
    for src in sorted(by_source):
        series = sorted(by_source[src], key=itemgetter(0, 1))
        peak: Point | None = None
        peak_floor = -math.inf
        found: dict[int, list[Point]] = {}  # id(peak) -> later points below it
        peaks: dict[int, Point] = {}
        day_best: tuple[float, Point] | None = None  # today's highest floor, counted from tomorrow on
        day = ""
        gap = int(cues()["series_gap_days"])
        for d, _, floor, ceiling, p in series:
            if d != day:
                if day_best is not None and day_best[0] > peak_floor:
                    peak_floor, peak = day_best
                if day and _days_between(day, d) > gap:
                    peak, peak_floor = None, -math.inf  # nobody reported it for months: a new count begins
                day, day_best = d, None
            if peak is not None and ceiling < peak_floor and _apart(peak_floor, ceiling) > tolerance:
                found.setdefault(id(peak), []).append(p)
                peaks[id(peak)] = peak
            if floor is not None and (day_best is None or floor > day_best[0]):
                day_best = (floor, p)
        for pid, lower in found.items():
            top = peaks[pid]
            first = lower[0]
            more = f"; {len(lower) - 1} later report(s) also below it" if len(lower) > 1 else ""
            out.append(Conflict(
                "decrease", key, [top, *lower],
                f"{who(first)} said {describe_value(first.value, first.value_max, first.qualifier)} on "
                f"{_day(first.as_of)}, below the {describe_value(top.value, top.value_max, top.qualifier)} "
                f"{who(top) if source_key(top) != source_key(first) else 'it'} gave on {_day(top.as_of)}, "
                f"but this running total cannot fall ({_apart(_reported(top)[0] or 0, _reported(first)[1]) * 100:.1f}% lower"
                f"{more})",
            ))
    return out


# Words between a whole and its part: "48,446 people, including 17,492 children", "35 of whom".
_PART_CUE = re.compile(r"\b(?:including|includes|include|among them|among whom|of whom|of them|of which|"
                       r"among those|among the dead|among the injured|among the wounded|of those)\b", re.I)


_QUANTITY = re.compile(r"\b(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|several|dozens?|many|some|"
                       r"hundreds|scores)\b", re.I)


def part_inside(text: str, part: tuple[int, int, str], whole: tuple[int, int, str],
                heads: tuple[str, str] | None = None) -> bool:
    """Whether a part (start, end, category) is really inside its whole in the article text.

    The whole comes first and a part cue ("including", "of whom", "among them") stands between them in
    one sentence, and both count the same kind of thing (or the whole counts killed and injured together).
    "16 people hurt or killed" against "one killed and 15 wounded" is no part and whole; nor is a part
    written before its whole (the extractor's reversed pair).
    """
    p_start, _, p_cat = part
    _, w_end, w_cat = whole
    if w_end > p_start or p_start - w_end > 160:
        return False
    between = text[w_end:p_start]
    cue = _PART_CUE.search(between)
    if re.search(r"[.!?]\s", between) or not cue:
        return False
    if _QUANTITY.search(between[:cue.start()]):
        return False  # "one man ... and several people, including three men": the part is the several's
    if heads is not None and heads[0] != heads[1] and (heads[1] != "people" or p_cat == "other"):
        return False  # "58 people trapped in two buildings, including eight in a closet": no part of buildings
    return p_cat == w_cat or w_cat in ("casualties", "other") or p_cat == "other"


# -- what a figure of one incident counts: the report's own count, or a part of it -------------------------
@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """The lexicon of `extract/resources/conflicts.json`, with its word lists compiled."""
    data: dict[str, Any] = dict(load_resource("conflicts.json"))
    for name in ("after", "before"):
        alts = "|".join(re.escape(w) for w in sorted(data[name], key=len, reverse=True))
        data[f"_{name}"] = re.compile(r"(?<![a-z])(?:" + alts + r")(?![a-z])")
    data["victim_categories"] = frozenset(data["victim_categories"])
    data["incident_uncompared"] = frozenset(data["incident_uncompared"])
    data["own_cues"] = {k: frozenset(v) for k, v in data["own_cues"].items()}
    data["_clause_stop"] = re.compile("|".join(re.escape(w) for w in data["clause_stops"]))
    return data


def own_cues(key: str) -> frozenset[str]:
    """The detail cues a measure's own modifier already says ("taken to" of people injured in hospital)."""
    modifiers = (key.split("|") + ["", ""])[1]
    found: frozenset[str] = frozenset()
    for modifier, words in cues()["own_cues"].items():
        if modifier in modifiers:
            found |= words
    return found


_SENTENCE_STOP = re.compile(r"[.!?][\"'”’)]*\s|\n")


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def detail_cue(text: str, start: int, end: int, year: str | None = None,
               own: frozenset[str] = frozenset()) -> str | None:
    """The words that mark the figure at text[start:end] as no report's count of its whole incident.

    Read in its clause after it ("two victims were airlifted", "one person shot in the head", "two men
    charged with murder", "11 victims had injuries to the lower extremities") or, for page furniture,
    in its sentence before it ("Pictured: the two victims"), or a year other than `year` (its as-of
    year) in its sentence before it or in its clause; None when the figure reads as a count of the happening ("a shooting that left 17
    people injured").
    """
    data = cues()
    stop = _SENTENCE_STOP.search(text, end)
    after = text[end:min(stop.start() if stop else len(text), end + int(data["after_chars"]))].lower()
    clause = data["_clause_stop"].search(after)
    if clause:
        after = after[:clause.start()]
    found = next((m for m in data["_after"].finditer(after) if m.group(0) not in own), None)
    if found:
        return found.group(0)
    left = max((m.end() for m in _SENTENCE_STOP.finditer(text, max(0, start - 400), start)), default=0)
    before = text[left:start].lower()
    # "seven were injured in a July 2016 shooting" (or a byline "Created: 08/09/2014") in a report dated
    # 2017: another happening, or a report misdated.
    other = next((y for y in _YEAR.findall(before + " " + after) if year and y != year), None)
    if other:
        return other
    found = data["_before"].search(before)
    return found.group(0) if found else None


def place_in_lead(text: str, place: str) -> bool:
    """Whether an incident's place (a measure key's lower-case place) is named in the article's lead."""
    return not place or place in text[:int(cues()["lead_chars"])].lower()
