"""Date mentions resolved against the publication day, and the date a clause holds for."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from newsledger.extract.date_math import (
    Lean,
    Period,
    add_months,
    holiday,
    month_end,
    named_period,
    pick_year,
    safe_date,
    unit_shift,
    week_of,
    weekday_near,
    weekend,
)
from newsledger.extract.lexicons import load_resource
from newsledger.model import DateMention, Granularity

REQUIRES: tuple[str, ...] = ("entities",)
ASSIGNS = "dates"



@lru_cache(maxsize=1)
def _res() -> dict[str, Any]:
    return load_resource("dates.json")


def _alt(words: Any) -> str:
    # Longest first so "Sept" wins over "Sep".
    parts = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)
    return f"(?:{body})"


def _month_alt(months: dict[str, int]) -> str:
    """Month names, abbreviations with an optional dot ("Sept. 11") but full names without ("in May.")."""
    longest = {n: max((k for k in months if months[k] == n), key=len) for n in set(months.values())}
    full = [k for k in months if longest[months[k]] == k]
    short = [k for k in months if longest[months[k]] != k]
    return f"(?:{_alt(full)}|{_alt(short)}\\.?)"


@dataclass(frozen=True)
class _Grammar:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    r = _res()
    months = {k.lower(): v for k, v in r["months"].items()}
    weekdays = {k.lower(): v for k, v in r["weekdays"].items()}
    m = f"(?P<mon>{_month_alt(r['months'])})"
    w = _alt(r["weekdays"])
    d = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
    y = r"(?:1[89]\d\d|20\d\d)"
    num = rf"(?:\d{{1,3}}|{_alt(r['number_words'])})"
    part_words = _alt(set(r["part_of_month"]) | set(r["part_of_year"]))
    daypart = _alt(r["day_parts"])
    unit = r"(?:day|week|month|year|decade)s?"
    # No word character may follow a "before/after" phrase: "two days after the bombing" anchors on an
    # event, not on a date we can resolve.
    loose_end = r"(?![ \t]+\w)"
    pats = [
        ("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b"),
        ("md_range", rf"\b{m}\s+(?P<d1>{d})\s*(?:-|–|—|to|through|and)\s*(?P<d2>{d})\b(?:,?\s+(?P<y>{y})\b)?"),
        # A scraped timeline loses its line breaks: "Defender OfficeApril 15, 2013At about 2:50 p.m." still
        # holds a full date (a month glued after a lower-case letter, a year glued before a capitalised word).
        ("mdy", rf"(?:\b|(?<=[a-z])(?=[A-Z]))(?:(?P<wd>{w}),?\s+)?{m}(?:\s+|(?<=\.))(?P<d>{d})\b(?!\s*[:.]\d)"
                rf"(?:,?\s+(?P<y>{y})(?:\b|(?=[A-Z][a-z])))?"),
        ("dmy", rf"\b(?:(?P<wd>{w}),?\s+)?(?:the\s+)?(?P<d>{d})(?:\s+of)?\s+{m}(?:,?\s+(?P<y>{y})\b)?"),
        ("part_month", rf"(?i:\b(?P<part>{part_words}))[\s-]*{m}(?:,?\s+(?P<y>{y})\b)?"),
        ("month_year", rf"\b{m}(?:\s+of)?,?\s+(?P<y>{y})\b"),
        ("bare_month", rf"\b(?P<cue>(?i:{_alt(r['bare_month_cues'])}))\s+{m}(?![\w-])"),
        ("part_year", rf"(?i:\b(?P<part>{part_words}))[\s-]*(?P<y>{y})\b"),
        ("season", rf"(?i:\b(?:(?P<mod>last|this|next|early|late|past)\s+)?(?P<season>{_alt(r['seasons'])}))"
                   rf"\b(?:\s+(?:of\s+)?(?P<y>{y})\b)?"),
        ("quarter", rf"(?i:\b(?:(?:the\s+)?(?P<q>{_alt(k for k in r['quarters'] if not k.startswith('q'))})"
                    r"(?:\s+|-)quarter|(?P<qq>Q[1-4])))\b(?:,?\s+(?:of\s+)?(?P<y>"
                    rf"{y})\b)?"),
        ("month_list", rf"(?<=, ){m}(?=,|\s+(?:and|or)\s)"),
        ("holiday", rf"\b(?P<cue>(?i:{_alt(r['holiday_cues'])}))\s+(?P<hol>(?:the\s+)?"
                    rf"{_alt(k.replace(chr(39), '’') for k in r['holidays'])}|(?:the\s+)?{_alt(r['holidays'])})"
                    rf"(?![\w'’])(?P<wkend>\s+weekend\b)?(?:,?\s+(?:of\s+)?(?P<y>{y})\b)?"),
        ("decade", r"\b(?:the\s+)?(?P<dec>1[89]\d0|20\d0)s\b"),
        ("year_range", rf"\b(?P<y1>{y})\s*(?:-|–|/)\s*(?P<y2>{y}|\d\d)\b(?![-–/]\d)"),
        ("year", rf"(?<![\d,.$£€-])\b(?P<y>{y})\b(?![-–/]\d|,\d|\.\d)"),
        ("anchor", rf"(?i:\b(?P<phrase>{_alt(r['anchor_phrases'])}))\b{loose_end}"),
        ("day_word", rf"(?i:\b(?P<word>{_alt(r['day_words'])})(?:\s+(?P<part>{daypart}))?)\b"),
        ("weekday", rf"\b(?:(?P<mod>(?i:last|next|this\s+coming|this\s+past|this|coming|early|late))\s+)?"
                    rf"(?P<wd>{w})(?:\s+(?P<part>(?i:{daypart})))?\b"),
        ("rolling", rf"(?i:\b(?:the\s+)?(?P<mod>past|last|next|coming|previous)\s+(?:(?P<n>{num})\s+)?"
                    r"(?P<unit>hours|days|weeks|months|years))\b"),
        ("period", r"(?i:\b(?:(?P<pre>earlier|later)\s+)?(?P<the>the\s+)?(?P<mod>this\s+past|this\s+coming|this|"
                   r"last|next|past|previous|coming)\s+(?P<unit>week|weekend|month|year))\b"),
        ("the_weekend", r"(?i:\b(?:over|during|at|on|for|through)\s+(?P<mod>the)\s+(?P<unit>weekend))\b"),
        ("ago", rf"(?i:\b(?P<n>{num})\s+(?P<unit>{unit})\s+(?P<dir>ago|earlier|later|(?:before|after)\b{loose_end}))\b"),
    ]
    compiled = tuple((name, re.compile(p)) for name, p in pats)
    return _Grammar(compiled, months, weekdays, {k.lower(): v for k, v in r["number_words"].items()})


# --- tense of the clause a date sits in ----------------------------------------------------------------

def _clause_head(tok: Any) -> Any | None:
    """The verb governing a token: climb heads until a verb or auxiliary (a few steps at most)."""
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _verb_lean(verb: Any) -> Lean:
    r = _res()
    future_aux = set(r["future_auxiliaries"])
    prospective = set(r["prospective_verbs"])
    scheduling = set(r["scheduling_verbs"])
    for _ in range(4):
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        lowers = {a.lower_ for a in auxes}
        if lowers & future_aux or verb.lemma_ in scheduling:
            return "future"
        if "to" in lowers and verb.head.i != verb.i and verb.dep_ in ("xcomp", "ccomp", "advcl", "acl", "relcl"):
            if verb.head.lemma_ in prospective:
                return "future"
            verb = verb.head
            continue
        complement = verb.dep_ in ("xcomp", "ccomp", "oprd") and verb.head.i != verb.i
        if complement and not auxes and verb.head.lemma_ in prospective:
            return "future"  # "Israel wants it extended until mid-April"
        tags = {verb.tag_} | {a.tag_ for a in auxes}
        if "VBD" in tags or "VBN" in tags and not lowers & {"be", "is", "are", "am", "being"}:
            if verb.tag_ == "VBN" and not auxes and complement:
                verb = verb.head  # a bare participle complement has no tense of its own
                continue
            return "past"
        if tags & {"VBZ", "VBP"}:
            return "present"
        if verb.tag_ == "VBG" and verb.head.i != verb.i and verb.dep_ in ("advcl", "xcomp", "conj", "pcomp"):
            # "pleaded guilty ... for killing them Sept. 21": the gerund takes the tense of the clause above.
            above = _clause_head(verb.head)
            if above is None or above.i == verb.i:
                return None
            verb = above
            continue
        return None
    return None


def _lean_at(doc: Any, start: int, end: int) -> Lean:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    if root.dep_ == "poss":
        return None  # "Saturday's crash" names an occasion; the verb of the clause says nothing of it
    if root.dep_ == "pobj" and root.head.lower_ == "since":
        return "past"
    verb = _clause_head(root)
    return _verb_lean(verb) if verb is not None else None


# --- candidates ---------------------------------------------------------------------------------------

@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    match: re.Match[str]


def _candidates(text: str, doc: Any) -> list[_Cand]:
    g = _grammar()
    r = _res()
    year_cues = set(r["year_cues"])
    not_year = set(r["not_year_labels"])
    named_days = set(r["named_day_prefixes"])
    # spaCy's DATE/TIME entities vouch for bare years that no cue word introduces ("the 2016 election").
    date_spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "EVENT")]
    found: list[_Cand] = []
    for kind, pat in g.patterns:
        for mt in pat.finditer(text):
            s, e = mt.start(), mt.end()
            if kind in ("year", "year_range"):
                if not _year_ok(text, doc, s, e, date_spans, year_cues, not_year):
                    continue
            elif kind == "bare_month" and len(mt.group("mon")) < 5 and mt.group("mon") not in ("May", "June", "July"):
                continue  # "in Mar del Plata": a bare abbreviation is too often a name
            elif kind == "bare_month":
                cue = mt.group("cue").lower()
                if cue not in ("last", "next", "this"):
                    s = mt.start("mon")  # a preposition is context, not part of the date
            elif kind == "day_word" and not _day_word_ok(text, s):
                continue
            elif kind == "weekday" and not mt.group("mod"):
                before = text[max(0, s - 12):s].split()
                if before and before[-1] in named_days:
                    continue
            elif kind == "the_weekend":
                s = mt.start("mod")  # the preposition is context, not part of the date
            elif kind == "holiday":
                s = mt.start("hol")
                if not _holiday_ok(doc, mt.end("hol"), mt.group("hol")):
                    continue
            elif kind == "month_list":
                # "in June, August and September": a month after a comma counts only after another month.
                before = text[max(0, s - 12):s - 2].split()
                if not before or before[-1].rstrip(".").lower() not in g.months:
                    continue
            found.append(_Cand(s, e, kind, mt))
    # Longest first, then earliest: "Friday, March 7, 2025" beats "Friday" and "March 7".
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    taken: list[_Cand] = []  # kept in text order; taken spans never overlap, so neighbours suffice
    for c in found:
        i = bisect.bisect_left(taken, c.start, key=lambda t: t.start)
        if (i == 0 or taken[i - 1].end <= c.start) and (i == len(taken) or c.end <= taken[i].start):
            taken.insert(i, c)
    return taken


def _year_ok(text: str, doc: Any, s: int, e: int, date_spans: list[tuple[int, int]],
             cues: set[str], not_year: set[str]) -> bool:
    prev = text[max(0, s - 12):s].split()
    if prev and prev[-1].lower() in ("a", "an"):
        return False  # "a 2002 Ford", "a 2016 study": a model or edition, not a time
    if any(ds <= s and e <= de for ds, de in date_spans):
        return True
    if not prev or prev[-1].lower().strip("(,") not in cues:
        return False
    span = doc.char_span(s, e, alignment_mode="expand")
    return span is None or all(t.ent_type_ not in not_year for t in span)


def _holiday_ok(doc: Any, end: int, name: str) -> bool:
    # "at the Christmas market" names a market; "the" belongs only to "the Fourth of July".
    if name.lower().startswith("the") and "fourth" not in name.lower():
        return False
    span = doc.char_span(end, len(doc.text), alignment_mode="expand")
    nxt = span[0] if span is not None and len(span) else None
    return nxt is None or nxt.pos_ != "NOUN" or nxt.lower_ in _res()["holiday_nouns"]


def _day_word_ok(text: str, s: int) -> bool:
    # "Today" mid-sentence is a name (the Today programme, USA Today), not the publication day.
    if not text[s].isupper():
        return True
    before = text[:s].rstrip(" \t'\"‘“(")
    return not before or before[-1] in ".!?\n:"


_SKIP = "skip"

# --- resolution ---------------------------------------------------------------------------------------

def _resolve(c: _Cand, pub: date | None, lean: Lean, anchor: date | None
             ) -> tuple[Period | str | None, bool]:
    """(start, end, granularity), None when it cannot be resolved or _SKIP when it is no date after all;
    and whether it is relative."""
    g = _grammar()
    r = _res()
    mt = c.match
    gd = mt.groupdict()
    text_low = mt.group(0).lower()
    words = set(re.findall(r"[a-z]+", text_low))
    if words & set(r["past_words"]):
        lean = "past"
    elif words & set(r["future_words"]):
        lean = "future"
    kind = c.kind
    mon = g.months.get(gd["mon"].rstrip(".").lower()) if gd.get("mon") else None
    year = int(gd["y"]) if gd.get("y") else None

    def one_day(d: date | None) -> Period | None:
        return (d, d, "day") if d else None

    if kind == "iso":
        d = safe_date(int(gd["y"]), int(gd["m"]), int(gd["d"]))
        return (one_day(d) or _SKIP), False
    if kind in ("mdy", "dmy", "md_range"):
        d1 = int(re.sub(r"\D", "", gd["d"] if kind != "md_range" else gd["d1"]))
        d2 = int(re.sub(r"\D", "", gd["d2"])) if kind == "md_range" else d1
        assert mon is not None
        if d2 < d1:
            return _SKIP, False

        def make(y: int) -> tuple[date, date] | None:
            a, b = safe_date(y, mon, d1), safe_date(y, mon, d2)
            return (a, b) if a and b else None

        wd = g.weekdays.get((gd.get("wd") or "").lower())
        if year is None and wd is not None and pub is not None and kind != "md_range":
            # "Thursday, January 5": the year in which that day is a Thursday, nearest the publication.
            years = [y for y in (pub.year - 1, pub.year, pub.year + 1)
                     if (day := safe_date(y, mon, d1)) is not None and day.weekday() == wd]
            if years:
                year = min(years, key=lambda y: abs((date(y, mon, d1) - pub).days))
        if year is not None:
            span = make(year)
        elif pub is not None:
            span = pick_year(make, pub, lean)
        else:
            return None, False
        if span is None:
            return _SKIP, False  # "February 30"
        return (span[0], span[1], "day" if d1 == d2 else "range"), False
    if kind in ("part_month", "month_year", "bare_month", "month_list"):
        assert mon is not None
        if kind == "part_month":
            lo, hi = r["part_of_month"][re.sub(r"\s+", " ", gd["part"].lower())]
        else:
            lo, hi = 1, 31

        def make(y: int) -> tuple[date, date] | None:
            end = month_end(y, mon)
            return date(y, mon, lo), min(end, date(y, mon, min(hi, end.day)))

        cue = (gd.get("cue") or "").lower()
        if year is not None:
            span = make(year)
        elif pub is None:
            return None, False
        elif cue == "last":
            span = make(pub.year if mon < pub.month else pub.year - 1)
        elif cue == "next":
            span = make(pub.year if mon > pub.month else pub.year + 1)
        elif cue == "this":
            span = make(pub.year)
        else:
            span = pick_year(make, pub, lean)
        if span is None:
            return None, False
        gran: Granularity = "month" if (lo, hi) == (1, 31) else "range"
        return (span[0], span[1], gran), cue in ("last", "next", "this")
    if kind == "part_year":
        y = int(gd["y"])
        lo, hi = r["part_of_year"][re.sub(r"\s+", " ", gd["part"].lower())]
        return (date(y, lo, 1), month_end(y, hi), "range"), False
    if kind == "season":
        first, length = r["seasons"][gd["season"].lower()]
        mod = (gd.get("mod") or "").lower()
        if year is None and mod not in ("last", "this", "next", "past"):
            return _SKIP, False  # "in the fall" alone is too vague to place, and often a verb

        def make(y: int) -> tuple[date, date] | None:
            ey, em = add_months(y, first, length - 1)
            return date(y, first, 1), month_end(ey, em)

        if year is not None:
            ey, em = add_months(year, first, length - 1)
            return (date(year, first, 1), month_end(ey, em), "range"), False
        if pub is None:
            return None, True
        here = make(pub.year)
        assert here is not None
        if mod in ("last", "past"):
            span = make(pub.year - 1) if here[0] > pub or here[0] <= pub <= here[1] else here
        elif mod == "next":
            span = here if here[0] > pub else make(pub.year + 1)
        else:
            span = pick_year(make, pub, lean)
        return ((span[0], span[1], "range") if span else None), True
    if kind == "quarter":
        q = r["quarters"][(gd.get("q") or gd.get("qq") or "").lower()]

        def make(y: int) -> tuple[date, date] | None:
            return date(y, 3 * q - 2, 1), month_end(y, 3 * q)

        if year is not None:
            span = make(year)
        elif pub is None:
            return None, False
        else:
            # A quarter is reported once it is over: "growth slowed in the fourth quarter" in February.
            span = pick_year(make, pub, "future" if lean == "future" else "past")
            if span is not None and lean != "future" and span[1] >= pub:
                span = make(span[0].year - 1)
        return ((span[0], span[1], "range") if span else None), False
    if kind == "holiday":
        name = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", gd["hol"])).replace("’", "'")
        rule = r["holidays"][name]
        cue = gd["cue"].lower()

        long_weekend = bool(gd.get("wkend"))

        def make(y: int) -> tuple[date, date] | None:
            d = holiday(y, rule)
            if d is None:
                return None
            if long_weekend:
                # "Labor Day weekend": the Saturday to Monday of a Monday holiday, else the weekend nearest it.
                sat = d - timedelta(days=(d.weekday() - 5) % 7) if d.weekday() in (0, 5, 6) else \
                    d + timedelta(days=5 - d.weekday())
                return sat, max(d, sat + timedelta(days=1))
            return d, d

        if year is not None:
            span = make(year)
        elif pub is None:
            return None, False
        elif cue == "last":
            span = pick_year(make, pub - timedelta(days=1), "past")
        elif cue == "next":
            span = pick_year(make, pub + timedelta(days=1), "future")
        else:
            span = pick_year(make, pub, "future" if cue in ("until", "till", "before", "this") and lean != "past"
                             else lean)
        if span is None:
            return None, False
        return ((span[0], span[0], "day") if span[0] == span[1] else (span[0], span[1], "range")), False
    if kind == "decade":
        y = int(gd["dec"])
        return (date(y, 1, 1), date(y + 9, 12, 31), "range"), False
    if kind == "year_range":
        y1 = int(gd["y1"])
        y2s = gd["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 <= y1 or y2 - y1 > 20:
            return _SKIP, False  # "2019-2012" or "1990-2050" are not year spans
        return (date(y1, 1, 1), date(y2, 12, 31), "range"), False
    if kind == "year":
        return (date(year, 1, 1), date(year, 12, 31), "year"), False  # type: ignore[arg-type]
    if kind == "anchor":
        base = anchor or pub
        if base is None:
            return None, True
        off = r["anchor_phrases"][re.sub(r"\s+", " ", gd["phrase"].lower())]
        return one_day(base + timedelta(days=off)), True
    if pub is None:
        return None, True
    if kind == "day_word":
        off = r["day_words"][re.sub(r"\s+", " ", gd["word"].lower())]
        return one_day(pub + timedelta(days=off)), True
    if kind == "weekday":
        mod = re.sub(r"\s+", " ", (gd.get("mod") or "").lower())
        return one_day(weekday_near(pub, g.weekdays[gd["wd"].lower()], lean, mod)), True
    if kind == "the_weekend":
        # "shot over the weekend": the latest weekend, unless the clause looks ahead.
        return weekend(pub, "future" if lean == "future" else "past", "this"), True
    if kind == "period":
        return named_period(gd, pub, lean), True
    if kind == "rolling":
        n = _count(gd.get("n") or "1")
        unit = gd["unit"].lower().rstrip("s")
        days = {"hour": 1, "day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        if unit == "hour":
            days = max(1, -(-n // 24))
        if gd["mod"].lower() in ("next", "coming"):
            return (pub, pub + timedelta(days=days), "range"), True
        return (pub - timedelta(days=days), pub, "range"), True
    if kind == "ago":
        n = _count(gd["n"])
        unit = gd["unit"].lower().rstrip("s")
        direction = gd["dir"].lower()
        base = pub if direction == "ago" else anchor
        if base is None:
            return None, True
        sign = 1 if direction in ("later", "after") else -1
        if unit == "day":
            return one_day(base + timedelta(days=sign * n)), True
        if unit == "week":
            return week_of(base + timedelta(days=sign * 7 * n)), True
        if unit == "decade":
            return (date(base.year + sign * 10 * n, 1, 1), date(base.year + sign * 10 * n, 12, 31), "year"), True
        return unit_shift(base, unit, sign * n), True
    return None, False


def _count(word: str) -> int:
    w = word.lower()
    return int(w) if w.isdigit() else _grammar().numbers.get(w, 1)


def extract(ctx: Any) -> list[DateMention]:
    """Date mentions in text order, resolved against `ctx.published` (relative ones stay None without it)."""
    text: str = ctx.article.text
    doc = ctx.doc
    pub: date | None = ctx.published
    out: list[DateMention] = []
    anchor: date | None = None
    for c in _candidates(text, doc):
        lean = _lean_at(doc, c.start, c.end) if c.kind not in ("iso", "year", "decade", "year_range") else None
        try:
            period, relative = _resolve(c, pub, lean, anchor)
        except (OverflowError, ValueError):  # resolves before year 1 or after 9999: left unresolved
            period, relative = None, True
        if period == _SKIP:
            continue
        if not isinstance(period, tuple):
            out.append(DateMention(c.start, c.end, text[c.start:c.end], None, None, None, relative))
            continue
        start, end, gran = period
        out.append(DateMention(c.start, c.end, text[c.start:c.end], start.isoformat(),
                               None if gran == "day" else end.isoformat(), gran, relative))
        if gran == "day":
            anchor = start
    return out


# --- the date a clause holds for ----------------------------------------------------------------------

def _governs(doc: Any, d: DateMention, not_anchoring: set[str]) -> Any | None:
    """The clause head a date mention dates, or None when it only bounds it ('since', 'until')."""
    span = doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in not_anchoring:
        return None
    if root.dep_ in ("compound", "amod", "nmod", "nummod"):  # "a 2014 shooting": describes a noun
        return None
    if root.dep_ == "pobj":
        noun = root.head.head
        # "charged in connection with a shooting on July 25": the date is the shooting's, deep in a noun
        # phrase; a date on the clause's own subject or object ("arrested a man on Friday") still counts.
        # An event noun under a time preposition dates its clause too ("abducted during the attack on
        # October 7").
        if (noun.pos_ in ("NOUN", "PROPN") and noun.dep_ not in ("nsubj", "nsubjpass", "dobj", "attr", "ROOT")
                and not (noun.dep_ == "pobj" and noun.head.lower_ in _res()["temporal_preps"])):
            return None
    return _clause_head(root)


def date_for(ctx: Any, start: int, end: int) -> str | None:
    """The ISO date (YYYY-MM-DD) that the clause around [start, end) holds for, else None.

    The date expression in the same sentence that dates the clause holding the span, or a clause above it
    ("police said on Friday that 30 were killed"), gives the answer. A day gives itself; a week or a month
    dating the span's own clause gives its first day ("In late November 2023, 105 were freed" ->
    2023-11-21), unless the period holds the publication day ("this year"), when the publication day is
    the better as-of; a quarter or a year is no day ("4.4% in 2004"). Dates that only bound a clause
    ("since Friday", "until mid-April") are skipped. Otherwise the publication day, else None.
    """
    pub: date | None = ctx.published
    fallback = pub.isoformat() if pub is not None else None
    doc = ctx.doc
    dates: list[DateMention] = getattr(ctx.result, "dates", None) or []
    if not dates or doc is None:
        return fallback
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return fallback
    sent = span.root.sent
    here = _clause_head(span.root)
    if here is None:
        return fallback
    chain = [here.i]
    tok = here
    for _ in range(8):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            chain.append(tok.i)
    not_anchoring = set(_res()["not_anchoring_preps"])
    best: tuple[int, int, DateMention] | None = None
    # Dates come in text order: look only at the sentence's own (keeps long articles linear).
    first = bisect.bisect_left(dates, sent.start_char, key=lambda d: d.start)
    for d in dates[first:]:
        if d.start >= sent.end_char:
            break
        if d.value is None or d.end > sent.end_char:
            continue
        head = _governs(doc, d, not_anchoring)
        if head is None or head.i not in chain:
            continue
        rank = (chain.index(head.i), abs(d.start - start))
        if best is None or rank < best[:2]:
            best = (*rank, d)
    if best is None:
        return fallback
    level, _, d = best
    if d.granularity == "day":
        return d.value
    if level > 0 or d.value is None or d.value_end is None:
        return fallback
    if pub is not None and d.value <= pub.isoformat() <= d.value_end:
        return fallback
    if (date.fromisoformat(d.value_end) - date.fromisoformat(d.value)).days > LONGEST_PERIOD_DAYS:
        # "growth would reach 4.4% in 2004", "For 2004 as a whole, eBay earned $778.2m", "at the end of
        # 2004": a year or a quarter holds for no one day (the train files annotate no date there).
        return fallback
    return d.value


# The longest period (days) whose first day still stands for a figure's date: a month ("In late November
# 2023, 105 hostages had been freed" -> 2023-11-21), not a quarter or a year.
LONGEST_PERIOD_DAYS = 31

# How many tokens may come before a date that opens its sentence ("On the morning of 1 March 2019, ...").
NARRATIVE_OPENING = 4


def story_days(ctx: Any) -> list[tuple[int, str | None]]:
    """Without a publication day, where the article's story moves to a day: (end offset, day or None) for
    each sentence that opens with a written date, in text order ('On 17 September 2019, two suicide
    bombings killed over 48 people': 17 September; a timeline's 'April 13, 2013 Tamerlan ...'). A date
    inside a sentence ('... when the attackers threw a bomb on 22 December 1974') tells of another moment
    and moves nothing; an opening month or year ('In February 1975 ...') moves the story to no single day
    (None). Empty when a publication day is known: undated sentences of news hold for that day."""
    if ctx.published is not None or ctx.doc is None:
        return []
    text: str = ctx.article.text
    out: list[tuple[int, str | None]] = []
    for d in getattr(ctx.result, "dates", None) or []:
        if d.relative or d.value is None:
            continue
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not len(span) or span.start - span.sent.start > NARRATIVE_OPENING:
            continue
        after = text[d.end:d.end + 1]
        opener = any(t.pos_ == "ADP" for t in span.sent[:span.start - span.sent.start])
        if not (opener or after in (",", "\n", "") or after.isalpha()):
            continue  # a caption's "Aug. 7, 2017 Supporters march in Caracas" is no line of the story
        out.append((d.end, d.value if d.granularity == "day" else None))
    return out


def story_day(days: list[tuple[int, str | None]], start: int) -> str | None:
    """The day the story stands at before `start`, from story_days, else None."""
    k = bisect.bisect_right(days, start, key=lambda x: x[0])
    return days[k - 1][1] if k else None
