"""A story's best estimates of how many were killed and injured, from what its reports say.

Each report states its happening's counts first, in its title ("Teenager dies, 3 others hurt in Stockton
shooting") or lead ("Five people were shot, including ..."); later numbers are more often background
(a city's yearly tally, an earlier shooting, a roundup's sum). So each report's counts are read from its
title, else from its lead (`stated_counts`): killed, injured and shot, where shot = killed + injured as
the Gun Violence Archive counts ("7 shot, one dead" = 1 killed, 6 injured). The story's best estimate
of each is the value most reports state, ties going to the latest report (a victim dies, a count is
revised). A story whose reports state no count but whose title says someone died counts 1 killed
(qualifier `implied`: the numbers in such reports are more often ages, dates and calibres than counts);
one whose reports say nothing of the kind falls back on the extracted figures (the value most reports
give first) and, where none gives one but a lead says someone died (or was hurt), on the implied 1.
For one measure (`best_figure`), the best estimate is the latest report's figure from the most specific
source.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from newsledger.extract.lexicons import load_resource
from newsledger.ledger.stories import clean_title
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


@dataclass
class Report:
    """One report of a story, as its counts are read: its title (outlet cut off) and the start of its text."""

    article_id: int
    title: str | None
    text: str
    published: date | None


@dataclass
class Stated:
    """A count a report states: killed, injured or shot, with the phrase that says it."""

    value: int
    phrase: str
    weak: bool = False  # said of one person by a noun ("man shot and killed"), not by a number
    in_title: bool = False


@lru_cache(maxsize=1)
def _grammar() -> tuple[dict[str, int], dict[str, re.Pattern[str]], int, int]:
    data = load_resource("stories.json")["counts"]
    words: dict[str, int] = dict(data["number_words"])
    num = r"(?<![-\w])(?P<n>\d{1,3}|" + "|".join(sorted(words, key=len, reverse=True)) + ")"
    gap = r"(?:\s+(?!(?:" + "|".join(data["not_between"]) + r")\b)[a-z'-]+){0,2}?"
    between = r"\s+(?:(?:" + "|".join(data["between"]) + r")\s+){0,3}"
    one = "(?:" + "|".join(data["one_person"]) + ")"
    one_of = one + r"(?:,? \d{1,2},?)?\s+(?:is\s+|was\s+|has\s+)?(?:been\s+)?(?:[a-z]+ly\s+)?"  # "teen accidentally shot"
    not_after = r"(?!\s+(?:" + data["not_after_shot"] + "))"
    killed, injured = "(?:" + data["killed"] + ")", "(?:" + data["injured"] + ")"
    kills, injures = "(?:" + data["kills"] + ")", "(?:" + data["injures"] + ")"
    rx = {
        "killed": re.compile(rf"\b{num}{gap}{between}{killed}\b"),
        "kills": re.compile(rf"\b{kills}\s+{num}\b(?!-)"),
        "one_killed": re.compile(rf"\b{one_of}{killed}\b"),
        "kills_one": re.compile(rf"\b{kills}\s+(?:a\s+|an\s+|one\s+|his\s+|her\s+)?{one}"),
        "injured": re.compile(rf"\b{num}{gap}{between}{injured}\b"),
        "injures": re.compile(rf"\b{injures}\s+{num}\b(?!-)"),
        "injures_one": re.compile(rf"\b{injures}\s+(?:a\s+|an\s+|one\s+|his\s+|her\s+)?{one}"),
        "shot": re.compile(rf"\b{num}{gap}{between}shot\b{not_after}"),
        "one_shot": re.compile(rf"\b{one_of}(?:{data['one_shot']})\b{not_after}"),
    }
    multiple = "(?P<n>" + "|".join(data["multiples"]) + ")[- ]"
    rx["self_shot"] = re.compile(rf"\b(?:{data['self_shot']})\b")
    rx["multiple_killed"] = re.compile(rf"\b{multiple}(?:{data['multiple_killed']})\b")
    rx["multiple_shot"] = re.compile(rf"\b{multiple}(?:{data['multiple_shot']})\b")
    # victims named in a list: "kills woman, her son, himself", "Father, two children found dead"
    count = r"(?:\d{1,3}|" + "|".join(sorted(words, key=len, reverse=True)) + ")"
    member = "(?:" + "|".join(data["one_person"] + data["people"] + data["list_extra"]) + ")"
    item = rf"(?:(?:his|her|their|a|an|the)\s+)?(?:{count}\s+)?(?:[a-z0-9-]+\s+)?{member}\b"
    listed = rf"(?P<list>{item}(?:\s*,\s*(?:and\s+)?{item}|\s+(?:and|&)\s+{item})+)"
    rx["kills_list"] = re.compile(rf"\b{kills}\s+{listed}")
    rx["list_killed"] = re.compile(rf"\b{listed}\s+(?:were\s+|are\s+)?(?:found\s+|shot\s+(?:and|&)\s+)?{killed}\b")
    rx["list_injured"] = re.compile(rf"\b{listed}\s+(?:were\s+|are\s+)?{injured}\b")
    rx["injures_list"] = re.compile(rf"\b{injures}\s+{listed}")
    rx["list_shot"] = re.compile(rf"\b{listed}\s+(?:were\s+|are\s+)?shot\b{not_after}")
    rx["shoots_list"] = re.compile(rf"\b(?:shoots|shot|shooting)\s+{listed}")
    words.update(data["multiples"])
    return words, rx, int(data["lead_chars"]), int(data["largest"])


@lru_cache(maxsize=1)
def _not_before_number() -> frozenset[str]:
    return frozenset(load_resource("stories.json")["counts"]["not_before_number"])


def _after_word(text: str, start: int) -> bool:
    """Whether the number at `start` follows a word after which a number is no count ("Dec. 25", "aged 20")."""
    before = text[max(start - 12, 0):start].rstrip(" .").rsplit(" ", 1)[-1] if start else ""
    return before in _not_before_number()


def _list_count(listed: str, words: dict[str, int]) -> int:
    """How many people a list names: one per member, or the number it gives ("two children" = 2)."""
    total = 0
    for part in re.split(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+", listed):
        num = next((w for w in part.split() if w.isdigit() or w in words), None)
        total += (int(num) if num.isdigit() else words[num]) if num else 1
    return total


def stated_counts(text: str) -> dict[str, Stated]:
    """The counts `text` states first: "killed", "injured" and "shot" (each left out when not stated)."""
    words, rx, _, largest = _grammar()
    t = " ".join(text.lower().replace("’", "'").split())
    found: dict[str, tuple[int, Stated]] = {}
    for name, key, value in (("kills_list", "killed", None), ("list_killed", "killed", None), ("killed", "killed", None), ("kills", "killed", None), ("one_killed", "killed", 1),
                             ("kills_one", "killed", 1), ("list_injured", "injured", None),
                             ("injures_list", "injured", None), ("injured", "injured", None), ("injures", "injured", None),
                             ("injures_one", "injured", 1), ("list_shot", "shot", None),
                             ("shoots_list", "shot", None), ("shot", "shot", None),
                             ("multiple_killed", "killed", None), ("multiple_shot", "shot", None),
                             ("one_shot", "shot", 1), ("self_shot", "shot", 1)):
        m = next((m for m in rx[name].finditer(t) if not _after_word(t, m.start("n") if "n" in m.re.groupindex else 0)),
                 None)
        if m is None:
            continue
        if "list" in m.re.groupindex:
            n: int | None = _list_count(m["list"], words)
        else:
            n = value if value is not None else (int(m["n"]) if m["n"].isdigit() else words.get(m["n"]))
        if n is not None and n <= largest and (key not in found or m.start() < found[key][0]):
            found[key] = (m.start(), Stated(n, m.group(0), weak=value is not None))
    return {k: v for k, (_, v) in found.items()}


def report_counts(report: Report, story_killed: int | None = None) -> dict[str, Stated]:
    """A report's killed and injured: stated in its title, else in its lead; where only the shot are
    counted, injured = shot less the killed (the report's own count, else `story_killed`: "a boy was shot"
    in one report and "the boy died" in a later one count one killed, no one injured)."""
    _, _, lead, _ = _grammar()
    counts = stated_counts(report.text[:lead])
    title = stated_counts(clean_title(report.title))
    if "shot" in title and "injured" not in title:
        counts.pop("injured", None)  # the title's shot count says who was hurt; the lead's may be another's
    for key, said in title.items():  # the title's count first, unless it only names one person and the lead counts
        if key not in counts or not said.weak or counts[key].weak:
            counts[key] = replace(said, in_title=True)
    out = {k: v for k, v in counts.items() if k in CATEGORIES}
    shot = counts.get("shot")
    if "injured" not in out and shot is not None:
        if "killed" in out:
            dead = out["killed"].value
            out["injured"] = Stated(shot.value - dead if shot.value >= dead else shot.value, shot.phrase,
                                    in_title=shot.in_title)
        else:
            out["injured"] = Stated(max(shot.value - (story_killed or 0), 0), shot.phrase, in_title=shot.in_title)
    return out


def _vote(cat: str, said: Sequence[tuple[Report, Stated]]) -> BestEstimate:
    votes: Counter[int] = Counter()
    for _, s in said:
        votes[s.value] += 2 if s.in_title else 1  # a title states the happening's count more surely than a lead
    r, s = max(said, key=lambda rs: (votes[rs[1].value], rs[0].published or date.min, rs[0].article_id))
    return BestEstimate(cat, float(s.value), "stated", None, None, r.article_id, r.published, s.phrase, len(said))


def _stated_estimates(reports: Sequence[Report]) -> dict[str, BestEstimate]:
    out = {}
    killed = [(r, c["killed"]) for r in reports if "killed" in (c := report_counts(r))]
    if killed:
        out["killed"] = _vote("killed", killed)
    story_killed = int(out["killed"].value) if killed else None
    fatal, _, _ = _cues()
    if not killed and any(fatal.search(clean_title(r.title)) for r in reports):
        # no report counts the dead, but a title says someone died: one, as far as the reports tell
        out["killed"] = BestEstimate("killed", 1.0, "implied", None, None, None, None,
                                     "implied by the reports' titles", 0)
        story_killed = 1
    injured = [(r, c["injured"]) for r in reports if "injured" in (c := report_counts(r, story_killed))]
    if injured:
        out["injured"] = _vote("injured", injured)
    if not killed and not injured and "killed" in out:
        return {"killed": out["killed"]}  # a title says someone died and nothing counts: the implied 1
    if not killed and not injured:
        return {}  # nothing stated: the extracted figures decide
    return out


def best_estimates(figures: Iterable[StoredFigure], reports: Sequence[Report] = ()) -> dict[str, BestEstimate]:
    """category -> best estimate for killed and injured. The counts `reports` state come first; where they
    state none, the extracted `figures`, else a count implied by the reports' words. A category with none
    of these is left out."""
    stated = _stated_estimates(reports)
    if stated:
        return stated
    by_cat: dict[str, list[StoredFigure]] = {c: [] for c in CATEGORIES}
    for fig in figures:
        if fig.category in by_cat:
            by_cat[fig.category].append(fig)
    out = {cat: agreed_figure(figs) for cat, figs in by_cat.items()}
    if reports:
        fatal, hurt, lead = _cues()
        titles = " ".join(r.title or "" for r in reports)
        leads = " ".join(f"{r.title or ''} {r.text[:lead]}" for r in reports)
        implied = {"killed": bool(fatal.search(leads)),
                   "injured": bool(hurt.search(leads)) and not fatal.search(titles)}
        for cat in CATEGORIES:
            if out[cat] is None and implied[cat]:
                out[cat] = BestEstimate(cat, 1.0, "implied", None, None, None, None,
                                        "implied by the reports' words", 0)
    return {cat: b for cat, b in out.items() if b is not None}


__all__ = ["BestEstimate", "CATEGORIES", "Report", "Stated", "agreed_figure", "best_estimates", "best_figure",
           "report_counts", "stated_counts"]
