"""Group figures into measures: what a figure counts (category, head, modifiers, place) as one stable key."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from newsledger.extract.lexicons import load_resource
from newsledger.model import Entity, Figure

# Scopes: a running total ("48,446 killed since the war began"), the count of one period ("12 killed in
# the past 24 hours", "5 dead in weekend shootings", "412 shot so far this year"), one incident ("a strike
# killed 12"), a rate or share ("40 percent of victims"), or a record or comparison ("has only once exceeded
# 500 victims since 2004"). Only running totals of cumulative categories must never go down; a period count
# is dated to its period and never extends a running total; rates and records are never compared.
SCOPES: tuple[str, ...] = ("total", "period", "incident", "rate", "record", "part")
PERIODS: tuple[str, ...] = ("day", "weekend", "week", "month", "year")
_SCOPE_LABEL = {"incident": "one incident", "rate": "rate or share", "record": "record or comparison",
                "part": "part of a count",
                "day": "per day", "weekend": "per weekend", "week": "per week", "month": "per month",
                "year": "per year"}
# The measure of figures whose sentence is page furniture (captions, galleries): no measure at all.
PAGE_KEY = "page|||"
PAGE_LABEL = "page text (captions, galleries: not a measure)"
# Figures of no named thing ("other" with no counted phrase): one bucket, never compared.
UNNAMED_KEY = "other|||"
UNNAMED_LABEL = "numbers counting nothing named"
PLACE_LABELS = ("GPE", "LOC")
# After a place name, these mark it as an actor or speaker ("Israel said", "Israel's offensive").
_ACTOR_AFTER = ("'s", "’s", " said", " says", " say", " told", " announced", " reported", " would", " will",
                " has ", " had ")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*(?:\.(?=[A-Za-z]\.))?(?:[A-Za-z]\.)*")
_PART_CLAUSE = re.compile(r"\b(?:including|among them|among whom|of whom|of them|of which)\b")
_NUMBERISH = re.compile(r"^[\d.,%$£€-]+$")
# A sentence ends at . ! ? (maybe with a closing quote) followed by space and a capital or quote.
_SENT_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_ABBREV = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|No|Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.)$")


@dataclass(frozen=True)
class Measure:
    """What a figure counts, as one key shared by every figure that counts the same thing."""

    # "category|modifiers|head|place[|scope]", lower case: "killed||people|gaza",
    # "killed|aid|workers|gaza|incident", "killed||people|chicago|weekend". Stored with each figure;
    # stable across releases of the lexicon only as far as the lexicon is, so manual merges refer to keys.
    key: str
    category: str
    head: str
    modifiers: tuple[str, ...]
    place: str | None
    label: str  # "killed · people · Gaza"
    explanation: str  # one line: how the figure was grouped
    scope: str = "total"  # one of SCOPES
    period_kind: str | None = None  # one of PERIODS when scope is "period"
    # The period the figure counts, when its scope is a period: "2016", "2016-03", "2016-W11",
    # "2016-03-12/2016-03-13" (a weekend), "2016-03-12" (a day); None when it cannot be dated.
    period: str | None = None

    @property
    def cumulative(self) -> bool:
        """Whether values of this measure may only grow over time (a running total of a cumulative category)."""
        return self.scope == "total" and self.category in lexicon()["cumulative_categories"]


# The lexicon's word lists that are looked up by membership.
_WORD_SETS = (
    "cumulative_categories", "person_heads", "drop_modifiers", "clause_stops", "place_cues",
    "fine_place_words", "participles", "ed_ly_nouns", "compared_categories", "source_drop_words",
    "invariant_plurals", "source_cut_words", "query_stopwords", "scope_record_cues", "generic_sources",
)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The measure lexicons shipped in `extract/resources/measures.json`."""
    data: dict[str, Any] = dict(load_resource("measures.json"))
    for key in _WORD_SETS:
        data[key] = frozenset(data[key])
    data["_category_of_word"] = {w: cat for cat, words in data["category_words"].items() for w in words}
    return data


@lru_cache(maxsize=16)
def _pattern(name: str) -> re.Pattern[str]:
    """One regex for a lexicon list (or the place names): whole words, longest alternative first."""
    entries = lexicon()[name]
    alts = "|".join(re.escape(w) for w in sorted(entries, key=len, reverse=True))
    return re.compile(r"(?<![a-z.])(?:" + alts + r")(?![a-z])")


@lru_cache(maxsize=8)
def _sentence_ends(text: str) -> list[int]:
    """Offsets where the sentences of a text end (computed once per article: its figures share it)."""
    ends = []
    for m in _SENT_END.finditer(text):
        if not _ABBREV.search(text[max(0, m.start() - 5):m.start() + 1]):
            # The glued form ("others.Police") matches empty, after the full stop.
            ends.append(m.start() + 1 if m.end() > m.start() else m.start())
    return ends


def is_cumulative(key: str) -> bool:
    """Whether the measure with this key is a running total of a cumulative category (read from the key)."""
    parts = key.split("|")
    scope = parts[4] if len(parts) > 4 else "total"
    return scope == "total" and parts[0] in lexicon()["cumulative_categories"]


def measure_scope(key: str) -> str:
    """The scope (one of SCOPES) written in a measure key: a period kind ("weekend") reads as "period"."""
    parts = key.split("|")
    scope = parts[4] if len(parts) > 4 else "total"
    return "period" if scope in PERIODS or scope == "new" else scope


def words(text: str) -> list[str]:
    """Lower-case words of a phrase, keeping abbreviations such as "u.s." whole."""
    return [w.lower().strip("'’-") for w in _WORD.findall(text) if w.strip("'’-")]


def plural(word: str) -> str:
    """The plural of a lower-case head noun, so that "1 hostage" and "58 hostages" share a head."""
    lex = lexicon()
    if word in lex["invariant_plurals"]:
        return word
    if word in lex["irregular_plurals"]:
        return str(lex["irregular_plurals"][word])
    if word.endswith(("men", "children", "people")):
        return word  # already plural: "policemen", "gunmen"
    if word.endswith(("ss", "us", "sh", "ch", "x", "z")):
        return word + "es"
    if word.endswith("s"):
        return word
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def canonical_place(name: str) -> str:
    """One name for a place however it is written ("the Gaza Strip" -> "Gaza")."""
    places = lexicon()["places"]
    low = " ".join(name.lower().split())
    if low in places:
        return str(places[low])
    if low.startswith("the ") and low[4:] in places:
        return str(places[low[4:]])
    stripped = name.strip()
    return stripped[4:] if stripped.lower().startswith("the ") else stripped


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end), found by punctuation (abbreviations such as "U.S." do not end one)."""
    ends = _sentence_ends(text)
    i = bisect.bisect_right(ends, start)
    s = ends[i - 1] if i > 0 else 0
    j = bisect.bisect_left(ends, end)
    e = ends[j] if j < len(ends) else len(text)
    while s < start and text[s].isspace():
        s += 1
    return s, e


@lru_cache(maxsize=1)
def _clause_break() -> re.Pattern[str]:
    # Commas, but not thousands separators ("48,446"); semicolons; and the lexicon's clause words.
    clause_words = "|".join(re.escape(w) for w in lexicon()["clause_words"])
    return re.compile(r"[;:]|,(?!\d{3}\b)|(?<!\d),|\b(?:" + clause_words + r")\b", re.IGNORECASE)


def _clause_bounds(text: str, start: int, end: int, sent: tuple[int, int]) -> tuple[int, int]:
    """The clause around [start, end) within a sentence, bounded by commas (not thousands separators)."""
    s = sent[0]
    for brk in _clause_break().finditer(text, sent[0], start):
        s = brk.end()
    nxt = _clause_break().search(text, end, sent[1])
    return s, (nxt.start() if nxt else sent[1])


def _has_cue(text_lc: str, name: str) -> str | None:
    """The first cue of lexicon list `name` in a lower-case text, if any."""
    m = _pattern(name).search(text_lc)
    return m.group(0) if m else None


@dataclass
class _Counted:
    head: str
    modifiers: list[str]
    category: str | None  # set when the phrase names the category ("death toll")
    place: str | None
    group: str | None  # a people named by a demonym ("Palestinians"), a fallback place
    note: str


def _parse_counted(counted: str | None, category: str) -> _Counted:
    """Head, modifiers and any place or category named in a counted phrase."""
    lex = lexicon()
    if not counted:
        head = "people" if category in lex["cumulative_categories"] or category in ("missing", "held") else ""
        return _Counted(head, [], None, None, None, "no counted phrase")
    ws = [w for w in words(counted) if not _NUMBERISH.match(w)]
    place_words = {w.lower() for w in _WORD.findall(counted) if w[:1].isupper()}
    place: str | None = None
    # A place written inside the counted phrase ("people in Gaza", "Gaza residents").
    for found in _pattern("places").finditer(counted.lower()):
        # One-word names only when capitalised as written: "people like us" names no country.
        if " " in found.group(0) or counted[found.start()].isupper():
            place = str(lex["places"][found.group(0)])
            break
    # The phrase's own name: words up to the first clause word ("people still being held in Gaza").
    name: list[str] = []
    for i, w in enumerate(ws):
        if w in lex["clause_stops"] and name:
            break
        if w in lex["clause_stops"] and i == 0 and len(ws) > 1 and ws[1] in lex["clause_stops"]:
            continue
        name.append(w)
    name = [w for w in name if w not in lex["drop_modifiers"]] or [w for w in ws if w not in lex["drop_modifiers"]]
    while len(name) > 1 and (name[-1] in lex["participles"] or (
            name[-1].endswith(("ed", "ly")) and len(name[-1]) > 4 and name[-1] not in lex["ed_ly_nouns"])):
        name = name[:-1]
    if len(name) == 1 and _not_a_noun(name[0], counted):
        name = []
    if not name:
        return _Counted("people" if category in lex["cumulative_categories"] else "", [], None, place, None,
                        f"no head in '{counted}'")
    phrase = " ".join(name)
    cat_heads = lex["category_heads"]
    for cand in (phrase, " ".join(name[-2:]), name[-1]):
        if cand in cat_heads:
            cat, head = cat_heads[cand]
            return _Counted(head, [], cat, place, None, f"'{counted}' names the {cat} count of {head}")
    head = name[-1]
    mods = name[:-1]
    two = " ".join(name[-2:])
    if len(name) >= 2 and two in lex["head_synonyms"]:
        head, mods = lex["head_synonyms"][two], name[:-2]
    group: str | None = None
    note = f"head '{name[-1]}'"
    if head in lex["demonyms"]:
        group = str(lex["demonyms"][head])
        note = f"'{head}' counts people (group {group})"
        head = "people"
    elif head in lex["person_heads"]:
        note = f"'{head}' counts people"
        head = "people"
    head = lex["head_synonyms"].get(head, head)
    head = plural(head)
    kept: list[str] = []
    for m in mods:
        if m in lex["demonyms"]:
            group = group or str(lex["demonyms"][m])
        elif m in lex["places"] and m in place_words:
            place = place or str(lex["places"][m])
        elif m.isalpha() and m not in lex["drop_modifiers"]:
            kept.append(m)
    if head == "people" and category in lex["category_person_heads"]:
        head = lex["category_person_heads"][category]
        note += f", as {head} when {category}"
    if head == "people":
        # "Palestinian civilians" and "people" are one casualty count; adjectives on "people" do not split it.
        kept = []
    return _Counted(head, kept, None, place, group, note)


def _not_a_noun(word: str, counted: str) -> bool:
    """Whether the one word of a counted phrase is a verb form or a name ("found", "playing", "Rodriguez")."""
    lex = lexicon()
    if word in lex["participles"] or (word.endswith("ing") and len(word) > 5 and word not in lex["ed_ly_nouns"]):
        return True
    written = next((w for w in _WORD.findall(counted) if w.lower().strip("'’-") == word), "")
    # A capitalised word that is no place, group or category word names someone, not a counted thing.
    # A plural ("Men" in a headline) is a counted thing even when capitalised.
    return bool(written[:1].isupper() and not written.isupper() and not word.endswith("s")
                and word not in lex["places"]
                and word not in lex["demonyms"] and word not in lex["_category_of_word"]
                and word not in lex["category_heads"] and word not in lex["person_heads"])


def _place_from_text(figure: Figure, entities: Sequence[Entity], text: str, source: str | None,
                     ) -> tuple[str | None, str]:
    """The place a figure's sentence ties it to, with where it was found; (None, '') when none."""
    lex = lexicon()
    s, e = _sentence_bounds(text, figure.start, figure.end)
    cands: list[tuple[float, int, str, str]] = []  # score, start, place, as written
    spans: list[tuple[int, int]] = []
    fine = lex["fine_place_words"]
    for ent in entities:
        if ent.label not in PLACE_LABELS or ent.end <= s or ent.start >= e:
            continue
        last = words(ent.text)[-1:] or [""]
        if last[0] in fine:
            continue
        if ent.start < figure.end and ent.end > figure.start:
            continue
        spans.append((ent.start, ent.end))
        cands.append(_score_place(text, figure, ent.start, ent.end, ent.canonical or ent.text, source, lex))
    # Places the model missed ("the Strip", lower-case or unusual names) from the lexicon.
    sent_lc = text[s:e].lower()
    for m in _pattern("places").finditer(sent_lc):
        a, b = s + m.start(), s + m.end()
        if any(a < y and b > x for x, y in spans) or (a < figure.end and b > figure.start):
            continue
        if not text[a].isupper() and " " not in m.group(0):
            continue  # "us", "gaza" in lower case: a pronoun or not a proper name here
        spans.append((a, b))
        cands.append(_score_place(text, figure, a, b, text[a:b], source, lex))
    # A place in another clause that counts something else belongs to that count: in "a strike killed
    # 12 people in Gaza City, bringing the toll to 48,458", Gaza City is where the 12 died.
    own = _clause_bounds(text, figure.start, figure.end, (s, e))
    # A part ("including 17,492 children", "35 of whom") is where its whole is.
    part = bool(_PART_CLAUSE.search(text[max(s, own[0] - 12):own[1]].lower()))
    kept = []
    for cand in cands:
        a = cand[1]
        cs, ce = _clause_bounds(text, a, a + 1, (s, e))
        if not part and (cs, ce) != own and re.search(r"\d", text[cs:ce]):
            continue
        kept.append(cand)
    if not kept:
        return None, ""
    best = min(kept)
    return canonical_place(best[2]), f"'{best[3]}' in the sentence"


def _score_place(text: str, figure: Figure, a: int, b: int, name: str, source: str | None,
                 lex: dict[str, Any]) -> tuple[float, int, str, str]:
    """Lower is better: near the number, after it, after "in"; not a speaker ("Israel said")."""
    dist = a - figure.end if a >= figure.end else (figure.start - b) * 1.5
    before = words(text[max(0, a - 14):a])
    after = text[b:b + 10].lower()
    if before and before[-1] in lex["place_cues"]:
        dist *= 0.3
    if after.startswith(_ACTOR_AFTER):
        dist += 400
    if source and name.lower() in source.lower():
        dist += 400
    return (dist, a, name, text[a:b])


def _article_place(entities: Sequence[Entity], text: str | None) -> str | None:
    """The place the article's events happen in most: mentions after "in", "across" ... count three times.

    A country that acts or speaks ("Israel said", "Israel's offensive") is mentioned often but is not
    where the counted things are; "in Gaza" says where they are. First mentioned wins a tie.
    """
    cues, cues_fine = lexicon()["place_cues"], lexicon()["fine_place_words"]
    counts: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    for ent in entities:
        if ent.label in PLACE_LABELS and (words(ent.text)[-1:] or [""])[0] not in cues_fine:
            p = canonical_place(ent.canonical or ent.text)
            before = words(text[max(0, ent.start - 14):ent.start]) if text else []
            after = text[ent.end:ent.end + 8].lower() if text else ""
            if before and before[-1] in cues:
                counts[p] += 3
            elif after.startswith(_ACTOR_AFTER):
                counts[p] += 0.5
            else:
                counts[p] += 1
            first.setdefault(p, ent.start)
    if not counts:
        return None
    return min(counts, key=lambda p: (-counts[p], first[p]))


_YEAR_IN = re.compile(r"\b(?:in|during|for|throughout)\s+((?:19|20)\d\d)\b(?!\s*(?:%|percent))", re.I)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_IN = re.compile(r"\b(?:in|during|for|throughout)\s+(?:the month of\s+)?(" + "|".join(m.capitalize() for m in _MONTHS) + r")\b"
                       r"(?:\s+((?:19|20)\d\d))?")


@dataclass(frozen=True)
class _Scope:
    scope: str = "total"
    why: str = ""
    period_kind: str | None = None
    offset: int = 0  # -1: the period before the as-of date's ("last year")
    year: int | None = None  # a period named by its year ("in 2016")
    month: int | None = None  # a month named ("in March")


def _scope(figure: Figure, text: str | None) -> _Scope:
    """Whether a figure is a running total, a period's count, one incident or a record, from cues around it."""
    if not text:
        return _Scope()
    lex = lexicon()
    sent = _sentence_bounds(text, figure.start, figure.end)
    cs, ce = _clause_bounds(text, figure.start, figure.end, sent)
    clause = text[cs:ce].lower()
    record = _has_cue(clause, "scope_record_cues")
    if record:
        return _Scope("record", f"'{record}' marks a record or comparison, not a value of a series")
    total = _has_cue(clause, "scope_total_cues")
    # A fronted period ("So far this year, 412 people ...") covers the clause after it, unless the
    # words before hold a number of their own.
    lead = text[sent[0]:cs].lower()
    if re.search(r"\d", lead):
        lead = ""
    period = _has_cue(clause, "scope_period_cues") or _has_cue(lead, "scope_period_cues")
    if period:
        kind, _, back = str(lex["scope_period_cues"][period]).partition("-")
        return _Scope("period", f"'{period}' marks the count of a {kind}", kind, -int(back) if back else 0)
    since_time = _SINCE_TIME.search(text[sent[0]:sent[1]])
    if since_time:
        return _Scope("period", f"'{since_time.group(0)}' marks the count of a day", "day")
    named = _YEAR_IN.search(text[cs:ce]) or _YEAR_IN.search(text[sent[0]:cs])
    if named:
        return _Scope("period", f"'{named.group(0)}' marks the count of a year", "year", year=int(named.group(1)))
    month = _MONTH_IN.search(text[cs:ce])
    if month:
        return _Scope("period", f"'{month.group(0)}' marks the count of a month", "month",
                      year=int(month.group(2)) if month.group(2) else None,
                      month=_MONTHS.index(month.group(1).lower()) + 1)
    if total:
        return _Scope("total", f"'{total}' marks a running total")
    incident = _has_cue(text[sent[0]:sent[1]].lower(), "scope_incident_cues")
    if incident:
        return _Scope("incident", f"'{incident}' marks one incident")
    weak = _has_cue(clause, "scope_weak_total_cues")
    if weak:
        return _Scope("total", f"'{weak}' marks a running total")
    # An article that tells of one incident counts its victims, whichever words a sentence uses:
    # outlets reporting the same shooting then share one measure.
    told = _article_incident(text)
    if told:
        return _Scope("incident", f"the article tells of one incident ('{told}')")
    return _Scope()


def period_of(kind: str, day: date | None, offset: int = 0, year: int | None = None,
              month: int | None = None) -> str | None:
    """The period a count covers, as written in ISO style, from the day it holds for.

    day "2016-03-12"; weekend "2016-03-12/2016-03-13" (the last Saturday and Sunday up to the day);
    week "2016-W10"; month "2016-03"; year "2016". `offset` -1 is the period before ("last year").
    """
    if year is not None and kind == "year":
        return f"{year:04d}"
    if day is None and year is None:
        return None
    if kind == "month" and month is not None:
        y = year if year is not None else (day.year if day else 0)
        if year is None and day is not None and month > day.month:
            y -= 1  # "in November" written in March is last November
        return f"{y:04d}-{month:02d}"
    assert day is not None
    if kind == "day":
        return (day + timedelta(days=offset)).isoformat()
    if kind == "weekend":
        back = {5: 0, 6: 1}.get(day.weekday(), day.weekday() + 2)
        sat = day - timedelta(days=back) + timedelta(weeks=offset)
        return f"{sat.isoformat()}/{(sat + timedelta(days=1)).isoformat()}"
    if kind == "week":
        iso = (day + timedelta(weeks=offset)).isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if kind == "month":
        m = day.year * 12 + day.month - 1 + offset
        return f"{m // 12:04d}-{m % 12 + 1:02d}"
    return f"{day.year + offset:04d}"


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a period written by `period_of`."""
    if "/" in period:
        a, b = period.split("/", 1)
        return date.fromisoformat(a), date.fromisoformat(b)
    if "-W" in period:
        y, w = period.split("-W")
        first = date.fromisocalendar(int(y), int(w), 1)
        return first, first + timedelta(days=6)
    if len(period) == 4:
        return date(int(period), 1, 1), date(int(period), 12, 31)
    if len(period) == 7:
        yr, mo = int(period[:4]), int(period[5:])
        nxt = date(yr + (mo == 12), mo % 12 + 1, 1)
        return date(yr, mo, 1), nxt - timedelta(days=1)
    d = date.fromisoformat(period[:10])
    return d, d


def _combined(figure: Figure, text: str | None) -> str | None:
    """The words that make a figure a count of killed and injured together ("16 people hurt or killed")."""
    if text is None:
        after = (figure.counted or "").lower()
    else:
        sent = _sentence_bounds(text, figure.start, figure.end)
        after = text[figure.end:min(sent[1], figure.end + 40)].lower()
        after = " ".join(after.split()[:5])
        after = (figure.counted or "").lower() + " | " + after
    m = _combined_pattern().search(after)
    if m:
        return m.group(0)
    # "the man who shot four people, killing one": shot before the number counts the hit, dead or alive.
    if text is not None and re.search(r"\bshot\s+$", text[max(0, figure.start - 8):figure.start]):
        return "shot"
    return None


@lru_cache(maxsize=1)
def _combined_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(lexicon()["combined_patterns"]) + r")")


@lru_cache(maxsize=1)
def _page_pattern() -> re.Pattern[str]:
    return re.compile("|".join(lexicon()["boilerplate_patterns"]))


def _is_page_text(figure: Figure, text: str | None) -> str | None:
    """The page furniture ("Image 3 of 9", "Photo:") in a figure's sentence, if any."""
    if not text:
        return None
    s, e = _sentence_bounds(text, figure.start, figure.end)
    caption = _CAPTION.match(text, s)
    if caption:
        return caption.group(0).strip()
    m = _page_pattern().search(text, max(s, figure.start - 120), min(e, figure.end + 120))
    return m.group(0) if m else None


_CAPTION = re.compile(r"\s*(?:Image|Photo|Slide) \d+ of \d+")
_SINCE_TIME = re.compile(r"\bsince (?:about |around )?\d{1,2}(?::\d\d)?\s*[ap]\.?m\b", re.I)


_NUMBER_WORD = r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an)"
_AND_NUMBER = re.compile(r"^[\w\- ]{0,30}?\b(?:and|plus)\s+" + _NUMBER_WORD + r"\s+(?!of\b)[a-z]", re.I)


@lru_cache(maxsize=4)
def _category_words(category: str) -> re.Pattern[str]:
    lex = lexicon()
    ws = [*lex["category_words"].get(category, []), *lex["casualty_verbs"].get(category, [])]
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True)) + r")", re.I)


def _says(category: str, figure: Figure, text: str) -> bool:
    """Whether the figure's clause (or its counted phrase) holds a word of its category ("killed", "wounded")."""
    sent = _sentence_bounds(text, figure.start, figure.end)
    cs, ce = _clause_bounds(text, figure.start, figure.end, sent)
    pat = _category_words(category)
    if pat.search(text, cs, ce) or pat.search(figure.counted or ""):
        return True
    # A part ("including 17,492 children", "35 of whom") counts what its whole counts.
    return bool(_PART_CLAUSE.search(text[max(sent[0], cs - 14):figure.start].lower()) and pat.search(text, *sent))


_NEXT_NUMBER = re.compile(r"\b(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?)\b",
                          re.I)
_OF_THE_BEFORE = re.compile(r"\b(?:some|many|most|all|one|two|three|several|none) of (?:the|those|them)"
                            r"(?: (?:roughly|about|around|nearly|estimated))?\s*$", re.I)
_SINGULAR_ONE = re.compile(r"\s+(?:victim|person|man|woman|boy|girl|patient|teen|teenager)\s+(?:was|is)\s+"
                           r"(?:a|an|the|identified|located|found|described|listed|taken|transported|in)\b", re.I)


def _part_after(figure: Figure, text: str | None) -> str | None:
    """What makes a number a part of another count, if anything (see the lexicon's "_parts")."""
    if not text:
        return None
    after = " ".join(text[figure.end:figure.end + 16].lower().split()[:2])
    found = next((w for w in lexicon()["part_after"] if after.startswith(w)), None)
    if found:
        return found
    before = words(text[max(0, figure.start - 12):figure.start])
    next_word = words(text[figure.end:figure.end + 12])[:1]
    if (before and before[-1] == "other") or next_word in (["other"], ["others"]) \
            or "other" in words(figure.counted or ""):
        return "other"
    if _OF_THE_BEFORE.search(text[max(0, figure.start - 30):figure.start]):
        return "of the"  # "some of the roughly 40 people": the whole a part is taken from, not a count of victims
    if figure.text.strip().lower() in ("one", "1", "a", "an") and _SINGULAR_ONE.match(text[figure.end:figure.end + 30]):
        return "one " + text[figure.end:figure.end + 30].split()[0]  # "One victim was a 36-year-old man"
    sent = _sentence_bounds(text, figure.start, figure.end)
    joined = _AND_NUMBER.match(text[figure.end:min(sent[1], figure.end + 60)])
    if not joined:
        return None
    # Only a noun phrase joined to another ("four civilians and five officers"), not a clause ("two
    # people died and four others were hurt").
    between = words(re.split(r"\b(?:and|plus)\b", joined.group(0), maxsplit=1)[0])
    if not set(between) <= set(words(figure.counted or "")) | {"other", "more"}:
        return None
    return " ".join(joined.group(0).split()[-3:])


def _subgroup(figure: Figure, text: str | None) -> str | None:
    """The words that make a figure the count of those in hospital ("three were taken to the hospital")."""
    if not text:
        return None
    sent = _sentence_bounds(text, figure.start, figure.end)
    cs, ce = _clause_bounds(text, figure.start, figure.end, sent)
    # Up to the next number: in "two people died and four others were taken to hospital" the hospital
    # is the four's.
    nxt = _NEXT_NUMBER.search(text, figure.end, ce)
    return _has_cue(text[figure.start:nxt.start() if nxt else ce].lower(), "subgroup_cues")


_AGE_BEFORE = re.compile(r"(?:[A-Z][a-z'’-]+,\s*|\bages?d?\s+(?:of\s+)?|\bin age from\s+|\bfrom\s+\d+\s+to\s+)$")


def _is_age(figure: Figure, text: str | None) -> str | None:
    """An age rather than a count: "Tobiasz Cudnik, 32,", "aged 17", "range in age from 11 to 30"."""
    if not text or not figure.text.strip()[:1].isdigit():
        return None
    before = text[max(0, figure.start - 30):figure.start]
    m = _AGE_BEFORE.search(before)
    if not m:
        return None
    after = text[figure.end:figure.end + 12]
    if m.group(0).endswith(", ") or m.group(0).endswith(","):
        # "Cudnik, 32," or "Cudnik, 32 were": a name then a bare number then a comma, "and", or the end.
        name = words(m.group(0))[-1:] or [""]
        if name[0] in lexicon()["places"] or not re.match(r"\s*(?:,|\.(?!\d)|and\b|were\b|was\b|is\b|\))", after):
            return None
    return (m.group(0) + figure.text).strip()


def _is_rate(figure: Figure, text: str | None) -> str | None:
    """The word that makes a figure a rate or share ("percent", "per 100,000"), if any."""
    if figure.category == "percent":
        return "percent"
    if text and text[max(0, figure.start - 4):figure.start].lower().endswith("per "):
        return "per"
    near = (figure.counted or "").lower()
    if text:
        near += " | " + text[figure.end:figure.end + 30].lower().split(".")[0]
        if figure.text.strip().endswith("%"):
            return "%"
    m = _pattern("scope_rate_words").search(near)
    return m.group(0) if m else None


@lru_cache(maxsize=8)
def _article_incident(text: str) -> str | None:
    """The incident cue of an article's first sentence that has one among its first few sentences."""
    head = text[:_sentence_ends(text)[2]] if len(_sentence_ends(text)) > 2 else text[:600]
    return _has_cue(head.lower(), "scope_incident_cues")


def _toll_before(figure: Figure, text: str) -> str | None:
    """A phrase naming a count ("the death toll rose to", "deaths reached") a few words before the number.

    Returns its category_heads entry. Six words at most, in the number's clause: "the toll in Gaza has
    surpassed 48,000" is one count; "two of the 12 killed and 11 of the injured" is not.
    """
    sent = _sentence_bounds(text, figure.start, figure.end)
    cs, _ = _clause_bounds(text, figure.start, figure.end, sent)
    before = text[cs:figure.start].lower()
    found = list(_pattern("toll_phrases").finditer(before))
    if not found or len(words(before[found[-1].end():])) > 6:
        return None
    return str(lexicon()["toll_phrases"][found[-1].group(0)])


def measure_for(figure: Figure, entities: Sequence[Entity] = (), text: str | None = None,
                published: date | None = None) -> Measure:
    """The measure a figure belongs to: category, counted head and modifiers, place, and scope.

    `entities` and `text` are the article's; with them the place comes from the figure's sentence
    (GPE/LOC near the number, "in Gaza" preferred), else from the article's most mentioned place.
    `published` dates a period count when the figure has no as-of date of its own.
    """
    lex = lexicon()
    page = _is_page_text(figure, text)
    if page:
        return Measure(key=PAGE_KEY, category="page", head="", modifiers=(), place=None, label=PAGE_LABEL,
                       explanation=f"'{page}' in its sentence: page furniture, not a measure")
    age = _is_age(figure, text)
    if age:
        return Measure(key=UNNAMED_KEY, category="other", head="", modifiers=(), place=None, label=UNNAMED_LABEL,
                       explanation=f"'{age}': an age, a number that counts nothing")
    parsed = _parse_counted(figure.counted, figure.category)
    category: str = figure.category
    notes: list[str] = []
    if parsed.category and category == "other":
        category = parsed.category
        notes.append(f"category {category} from '{figure.counted}'")
    elif category == "other" and figure.counted:
        cat = next((lex["_category_of_word"][w] for w in words(figure.counted) if w in lex["_category_of_word"]), None)
        if cat:
            category = cat
            notes.append(f"category {cat} from '{figure.counted}'")
    elif category == "other" and not figure.counted and text:
        toll = _toll_before(figure, text)
        if toll:
            category, head = lex["category_heads"][toll]
            parsed = _Counted(head, [], category, None, None, f"'{toll}' before the number names what it counts")
            notes.append(f"category {category} from '{toll}'")
    if category == "other" and not parsed.head and not parsed.modifiers:
        return Measure(key=UNNAMED_KEY, category="other", head="", modifiers=(), place=None, label=UNNAMED_LABEL,
                       explanation="category other; " + parsed.note + ": a number that counts nothing named")
    if category in ("killed", "injured", "other"):
        both = _combined(figure, text)
        if both:
            category = "casualties"
            notes.append(f"category casualties (killed and injured together) from '{both}'")
        elif category in ("killed", "injured") and text and not parsed.category and not _says(category, figure, text):
            # "the officer found seven victims": victims, dead or alive; anything else is no casualty count.
            category = "casualties" if "victim" in (figure.counted or "").lower() else "other"
            notes.append(f"category {category}: no word for {figure.category} in its clause")
    if not notes:
        notes.append(f"category {category}")
    notes.append(parsed.note)
    place = parsed.place
    if place:
        notes.append(f"place {place} from the counted phrase")
    if place is None and text:
        place, where = _place_from_text(figure, entities, text, figure.source)
        if place:
            notes.append(f"place {place} from {where}")
    if place is None and entities and category in lex["compared_categories"]:
        # Only a count that can be compared borrows the article's place: "12 rounds" or "a $5,000 reward"
        # in an article mostly about Houston says nothing about Houston, and keying it by the place
        # splits page-level trivia into thousands of one-figure measures.
        place = _article_place(entities, text)
        if place:
            notes.append(f"place {place}: the article's most mentioned place")
    if place is None and parsed.group:
        place = parsed.group
        notes.append(f"group {place} from the counted phrase")
    if place is None:
        notes.append("no place")
    rate = _is_rate(figure, text)
    part = _part_after(figure, text)
    if rate and category != "percent":
        sc = _Scope("rate", f"'{rate}' marks a rate or share")
    elif part and category in lex["compared_categories"]:
        sc = _Scope("part", f"'{part}' after the number marks a part of another count")
    elif category in lex["cumulative_categories"] or category == "missing":
        sc = _scope(figure, text)
    else:
        sc = _Scope()
    if sc.why:
        notes.append(sc.why)
    period: str | None = None
    if sc.scope == "period" and sc.period_kind:
        day = _as_date(figure.as_of) or published
        period = period_of(sc.period_kind, day, sc.offset, sc.year, sc.month)
        if period:
            notes.append(f"dated to the {sc.period_kind} {period}")
    mods = tuple(parsed.modifiers)
    head = parsed.head
    sub = _subgroup(figure, text) if category in ("injured", "casualties", "killed") else None
    if sub:
        mods = (*mods, "in hospital")
        notes.append(f"'{sub}' marks the count of those taken to or kept in hospital")
    key = "|".join([category, " ".join(mods), head, (place or "").lower()])
    suffix = sc.period_kind if sc.scope == "period" else sc.scope
    if suffix and suffix != "total":
        key += "|" + suffix
    label_parts = [category, " ".join((*mods, head)).strip()]
    if place:
        label_parts.append(place)
    if suffix and suffix != "total":
        label_parts.append(_SCOPE_LABEL[suffix])
    label = " · ".join(p for p in label_parts if p)
    return Measure(key=key, category=category, head=head, modifiers=mods, place=place, label=label,
                   explanation="; ".join(n for n in notes if n), scope=sc.scope,
                   period_kind=sc.period_kind if sc.scope == "period" else None, period=period)


def _as_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _terms(text: str) -> tuple[set[str], list[str]]:
    """Places (canonical, as "place:gaza") and the other words of a query or label."""
    lex = lexicon()
    low = " ".join(text.lower().replace("·", " ").replace("|", " ").split())
    places = {"place:" + str(lex["places"][m.group(0)]).lower() for m in _pattern("places").finditer(low)}
    return places, words(_pattern("places").sub(" ", low))


def match_measures(query: str, labels: Iterable[str]) -> list[str]:
    """The labels (or keys) that a user's query such as "killed in Gaza" names, best match first.

    Every content word of the query must be in the label, as written or as its category ("deaths"
    finds "killed"); places match as whole names ("Gaza" does not match "Gaza City"). Labels with
    fewer extra words rank first.
    """
    lex = lexicon()
    q_places, q_words = _terms(query)
    wanted: list[set[str]] = []
    for w in q_words:
        if w in lex["query_stopwords"] or w in lex["demonyms"] or w in lex["person_heads"]:
            continue
        alts = {w, plural(w)}
        if w in lex["category_heads"]:
            alts.add(lex["category_heads"][w][0])
        if w in lex["_category_of_word"]:
            alts.add(lex["_category_of_word"][w])
        wanted.append(alts)
    if not wanted and not q_places:
        return []
    scored: list[tuple[int, int, str]] = []
    for i, label in enumerate(labels):
        l_places, l_words = _terms(label)
        have = {plural(w) if w.isalpha() else w for w in l_words} | set(l_words)
        if q_places <= l_places and all(alts & have for alts in wanted):
            extra = len(l_places - q_places) + len(set(l_words)) - len(wanted)
            scored.append((extra, i, label))
    return [label for _, _, label in sorted(scored)]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` holding [start, end), whitespace made single (for showing a figure in context)."""
    s, e = _sentence_bounds(text, start, end)
    return " ".join(text[s:min(e + 1, len(text))].split())
