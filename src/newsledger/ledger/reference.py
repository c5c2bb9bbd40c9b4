"""Reference series: an authoritative daily series loaded as a source of its own, and the figures it flags.

`newsledger reference add FILE` reads a JSON array of daily reports (the fields are described in
`extract/resources/measures.json`, "reference_fields": e.g. `killed_cum`, the running total of people
killed); each field becomes the values of one measure, keyed exactly as the ledger keys figures that count
the same thing, so that a measure's figures can be set beside it. A figure is an outlier when none of the
values it allows lies within `tolerance` of the reference's values over the days before its as-of date
(news reports lag the daily count by a day or two).
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.ledger.conflicts import Conflict, Point, describe_value, interval, number, who
from newsledger.ledger.measures import canonical_place, lexicon, measure_for, measure_scope
from newsledger.model import Figure

LAG_DAYS = 2  # a report of day D may give the count of D-2 to D


@dataclass(frozen=True)
class RefValue:
    """One value of a reference series: a measure on a day."""

    reference: str
    measure_key: str
    field: str
    as_of: date
    value: float


def reference_measure(category: str, counted: str, place: str, scope: str) -> tuple[str, str]:
    """(key, label) of the measure the ledger gives a figure counting `counted` (category) in `place`."""
    if scope == "day":
        text = f"12 {counted} were {category} in {place} in the past 24 hours."
    else:
        text = f"Since the war began, 12 {counted} have been {category} in {place}."
    start = text.index("12")
    fig = Figure(start, start + 2, "12", 12, counted=counted, category=category)  # type: ignore[arg-type]
    m = measure_for(fig, (), text, published=date(2000, 1, 1))
    return m.key, m.label


def read_reference(path: Path, place: str | None = None) -> tuple[str, str, list[RefValue], dict[str, str]]:
    """(name, place, values, measure labels) of a reference file; InputError with a hint when unusable."""
    if not path.is_file():
        raise InputError(f"no reference file at {path}", "give the path of a JSON file of daily reports")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path} is not a JSON file: {err}", "give a JSON array of daily reports") from err
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise InputError(f"{path} holds no list of daily reports", "give a JSON array of objects, one a day")
    lex = lexicon()
    name = path.stem.removesuffix(".json")
    if place is None:
        stem = " ".join(re.split(r"[-_ .]+", name)).lower()
        place = next((str(lex["places"][p]) for p in sorted(lex["places"], key=len, reverse=True)
                      if re.search(rf"\b{re.escape(p)}\b", stem)), None)
        if place is None:
            raise InputError(f"cannot tell which place {path.name} counts", "give it with --place, e.g. --place Gaza")
    place = canonical_place(place)
    date_field = next((f for f in lex["reference_date_fields"] if f in rows[0]), None)
    if date_field is None:
        raise InputError(f"{path.name}: the reports have no date field",
                         f"each report needs one of {', '.join(lex['reference_date_fields'])}")
    found = {fld: reference_measure(cat, counted, place, scope)
             for fld, (cat, counted, scope) in lex["reference_fields"].items()}
    keys = {fld: key for fld, (key, _) in found.items()}
    values: list[RefValue] = []
    for row in rows:
        try:
            day = date.fromisoformat(str(row[date_field])[:10])
        except (KeyError, ValueError):
            continue
        daily_ok = row.get("report_period", 24) in (24, "24")
        for fld, key in keys.items():
            v = row.get(fld)
            if not isinstance(v, int | float) or isinstance(v, bool):
                continue
            if lex["reference_fields"][fld][2] == "day" and not daily_ok:
                continue  # a 48-hour report's count is not one day's
            values.append(RefValue(name, key, fld, day, float(v)))
    if not values:
        raise InputError(f"{path.name} has no field this ledger knows",
                         f"known fields: {', '.join(lex['reference_fields'])}")
    return name, place, values, {key: label for key, label in found.values()}


def outliers(points: Iterable[Point], values: Iterable[RefValue], tolerance: float = 0.02) -> list[Conflict]:
    """Figures whose values the reference rules out: one conflict each, kind "reference"."""
    by_key: dict[str, list[RefValue]] = defaultdict(list)
    for v in values:
        by_key[v.measure_key].append(v)
    days = {k: sorted(vs, key=lambda v: v.as_of) for k, vs in by_key.items()}
    out: list[Conflict] = []
    for p in points:
        ref = days.get(p.measure_key)
        if not ref or p.value != p.value:
            continue
        window = _window(ref, p)
        if not window:
            continue
        lo_ref, hi_ref = min(v.value for v in window), max(v.value for v in window)
        lo, hi = interval(p)
        if hi >= lo_ref * (1 - tolerance) and lo <= hi_ref * (1 + tolerance):
            continue
        first, last = window[0].as_of, window[-1].as_of
        span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        has = number(lo_ref) if lo_ref == hi_ref else f"{number(lo_ref)}–{number(hi_ref)}"
        refp = Point(-1, -1, p.measure_key, p.category, hi_ref if hi < lo_ref else lo_ref, None, "exact",
                     (last if hi < lo_ref else first).isoformat(), window[0].reference, "reference series")
        out.append(Conflict(
            "reference", p.measure_key, [p, refp],
            f"{who(p)} said {describe_value(p.value, p.value_max, p.qualifier)} for {_when(p)} but the reference "
            f"{window[0].reference} has {has} for {span} "
            f"({'below' if hi < lo_ref else 'above'} it)"))
    return out


def _when(p: Point) -> str:
    return p.period if measure_scope(p.measure_key) == "period" and p.period else (p.as_of or "")[:10]


def _window(ref: list[RefValue], p: Point) -> list[RefValue]:
    """The reference values a point is compared with: its own day, or the LAG_DAYS before it."""
    scope = measure_scope(p.measure_key)
    if scope == "period":
        day_s = p.period if p.period and len(p.period) == 10 else None
        if day_s is None:
            return []
        day = date.fromisoformat(day_s)
        lo_day = day
    else:
        if not p.as_of:
            return []
        day = date.fromisoformat(p.as_of[:10])
        lo_day = day - timedelta(days=LAG_DAYS)
    dates = [v.as_of for v in ref]
    i, j = bisect.bisect_left(dates, lo_day), bisect.bisect_right(dates, day)
    return ref[i:j]


def reference_for(values: Iterable[RefValue]) -> dict[str, dict[str, float]]:
    """{measure key: {day: value}} of reference values, for showing them beside a series."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for v in values:
        out[v.measure_key][v.as_of.isoformat()] = v.value
    return dict(out)


def as_rows(values: Iterable[RefValue]) -> list[dict[str, Any]]:
    return [{"reference": v.reference, "measure_key": v.measure_key, "field": v.field, "as_of": v.as_of,
             "value": v.value} for v in values]
