"""Stories: clusters of the articles that cover one happening, grown one article at a time.

Each article is described by what it says (`ArticleFacts`: its title and lead as weighted words, the
places and people it names, the day its event happened, resolved against publication) and joins the most
similar story when the similarity clears a threshold, else starts a story of its own. A story's id is the
ledger id of its first article, so ids stay stable as articles arrive and when stories are rebuilt.
Roundups (an article summing up several happenings: "5 dead, 17 wounded in weekend shootings") are never
merged into a story; they form stories of their own, linked to the stories they sum up.
Manual rules ("together": two articles are one story; "apart": never in one story) are kept in the
database and applied on every build, so hand merges and splits survive later adds and rebuilds.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from newsledger.extract.lexicons import load_resource

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
LEAD_CHARS = 3000  # how much of the text describes the happening (the rest is often background)
THRESHOLD = 0.15  # similarity at which an article joins a story
WINDOW_DAYS = 60  # beyond this gap between event days, only WINDOW_NAMES shared people can join articles
WINDOW_NAMES = 2  # (one shared name across months is often a police spokesperson or a prosecutor)
MEAN_WEIGHT = 0.5  # a story's score: its closest article's, mixed with its articles' mean by this weight
RARE_NAME = 10  # a name in more articles than this (a police chief, a mayor) tells no story from another
NAME_BONUS = 0.1  # added per person named in both (rare full names only)
DAY_PENALTY = 0.15  # two articles published close together that date their events days apart
LATE_DAYS = 14  # a report dating its happening this many days from another's ...
LATE_PENALTY = 0.15  # ... is that much less similar unless both name one person
PLACE_PENALTY = 0.1  # two articles that name places, none of them in common
BOILERPLATE_MIN = 3  # a paragraph found verbatim in this many articles is page furniture, not content
LINK_THRESHOLD = 0.15  # similarity at which a roundup is linked to a story it sums up
TOP_WORDS = 40  # an article's heaviest words, looked up to find similar articles
MIN_COSINE = 0.05  # below this, an article is too far from another to count in its story's score


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data = dict(load_resource("stories.json"))
    data["stopwords"] = frozenset(data["stopwords"])
    data["roundup_re"] = [re.compile(p) for p in data["roundup_title"]]
    return data


@dataclass
class ArticleFacts:
    """What an article says that places it in a story."""

    id: int
    source_id: str | None
    title: str | None
    published: date | None
    text: str  # the lead (first LEAD_CHARS characters)
    places: list[str] = field(default_factory=list)  # GPE names in text order
    people: list[str] = field(default_factory=list)  # PERSON names in text order
    days: list[date] = field(default_factory=list)  # resolved day dates in text order

    @cached_property
    def event_day(self) -> date | None:
        """The day the happening took place: the first day mentioned within a week before publication."""
        if self.published is None:
            return None
        for day in self.days:
            if 0 <= (self.published - day).days <= 7:
                return day
        return self.published

    @cached_property
    def is_roundup(self) -> bool:
        title = (self.title or "").casefold()
        return any(p.search(title) for p in _lexicon()["roundup_re"])


def clean_title(title: str | None) -> str:
    """The title without the outlet's name after a separator ("Man shot in park - WKRN News 2")."""
    if not title:
        return ""
    cut = title
    for sep in _lexicon()["title_cut"]:
        if sep in cut:
            head = cut.split(sep)[0]
            if len(head.split()) >= 3:
                cut = head
    return cut.strip()


_AGE = re.compile(r"\b(\d{1,3})[- ](year|month|week)s?[- ]old\b", re.I)


def _idf(n: int, df: int) -> float:
    """Inverse document frequency of a term in `df` of `n` articles, smoothed so that in a ledger of two
    articles the words both share still weigh something (log(n / df) would make them all 0)."""
    return math.log((n + 1) / df)


def _words(text: str) -> list[str]:
    """The telling words of a text: no stopwords, no short words; ages ("7-year-old") as one word each."""
    stop = _lexicon()["stopwords"]
    out = [f"age{m.group(1)}{m.group(2)[0].lower()}" for m in _AGE.finditer(text)]
    for w in _WORD.findall(text):
        low = w.lower().replace("’", "'").strip("'-")
        if 2 < len(low) <= 60 and low not in stop:
            out.append(low)
    return out


@dataclass
class Story:
    id: int
    members: list[int]
    roundup: bool = False
    links: set[int] = field(default_factory=set)
    unseen: int = 0  # members stored but not loaded into this index (an incremental placement)

    @property
    def size(self) -> int:
        return len(self.members) + self.unseen


@dataclass
class Entry:
    """What placement keeps of an article: stored (store.stories), so that a later add compares a new
    article with it without rereading it. `vector` is its normalised tf-idf word weights (when loaded for
    an incremental placement, only the words looked up); `names` every name of two words or more."""

    id: int
    published: date | None
    event_day: date | None
    roundup: bool
    places: frozenset[str]
    names: frozenset[str]
    vector: dict[str, float]
    paragraphs: Counter[str] = field(default_factory=Counter)  # paragraph key -> occurrences
    tf: dict[str, float] = field(default_factory=dict)  # word -> its weight before idf (1 + log count) / norm

    def terms(self) -> dict[str, float]:
        """The rows stored for it: words with their weights before idf (multiplied by the idf of the day they
        are read, so a word no other article had when it was placed counts once another shares it), `@name`
        and `#paragraph` keys."""
        out = dict(self.tf)
        out.update({"@" + n[:79]: 0.0 for n in self.names})
        out.update({k: float(c) for k, c in self.paragraphs.items()})
        return out


def paragraph_key(paragraph: str) -> str:
    return "#" + hashlib.sha1(paragraph.encode("utf-8")).hexdigest()[:16]


Counts = Callable[[set[str]], Mapping[str, int]]


def describe(facts: Sequence[ArticleFacts], known: Counts | None = None, known_n: int = 0
             ) -> tuple[list[Entry], Counter[str], int]:
    """Entries for `facts`, weighted over them and the `known_n` articles already indexed, whose counts
    of a set of terms `known` gives (documents for words and names, occurrences for paragraphs).
    Returns the entries, the counts of every term they use (known + theirs) and the article count."""
    known = known or (lambda terms: {})
    paras = {f.id: [paragraph_key(p) for p in _paragraphs(f.text)] for f in facts}
    para_counts = Counter(k for keys in paras.values() for k in keys)
    stored = known(set(para_counts))
    boiler = {k for k, c in para_counts.items() if c + stored.get(k, 0) >= BOILERPLATE_MIN}
    counts = {}
    names = {}
    for f in facts:
        title = clean_title(f.title)
        body = "\n".join(p for p, k in zip(_paragraphs(f.text), paras[f.id], strict=True) if k not in boiler)
        counts[f.id] = Counter(_words(f"{title}\n{title}\n{body}"))
        names[f.id] = frozenset(_name_key(p) for p in f.people if " " in p.strip())
    df: Counter[str] = Counter()
    for c in counts.values():
        df.update(c.keys())
    for ns in names.values():
        df.update("@" + n[:79] for n in ns)
    df.update(known(set(df)))
    df.update(para_counts)
    df.update(stored)
    n = max(known_n + len(facts), 1)
    entries = []
    for f in facts:
        c = counts[f.id]
        vec = {w: (1 + math.log(k)) * _idf(n, df[w]) for w, k in c.items() if df[w] > 1}
        norm = math.sqrt(sum(x * x for x in vec.values())) or 1.0
        # a word no other article has weighs 0 here, but is kept: later articles may share it
        weights = {w: vec[w] / norm if w in vec else 0.0 for w in c}
        entries.append(Entry(f.id, f.published, f.event_day, f.is_roundup,
                             frozenset(p.casefold() for p in f.places), names[f.id], weights,
                             Counter(paras[f.id]), {w: (1 + math.log(k)) / norm for w, k in c.items()}))
    return entries, df, n


class StoryIndex:
    """Articles' entries and the stories built so far; `df` counts terms over `n` articles."""

    def __init__(self, entries: Iterable[Entry], df: Mapping[str, int], n: int) -> None:
        self.entries = {e.id: e for e in entries}
        self._df = df
        self._n = n
        self._common = max(20, n // 20)  # words in more than 5% of articles tell little; skipped in lookups
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.stories: dict[int, Story] = {}
        self.story_of: dict[int, int] = {}
        self._rare: dict[int, set[str]] = {}

    def names(self, aid: int) -> set[str]:
        """The people `aid` names that few articles name (a police chief or a mayor tells no story apart)."""
        if aid not in self._rare:
            self._rare[aid] = {p for p in self.entries[aid].names if self._df.get("@" + p[:79], 0) <= RARE_NAME}
        return self._rare[aid]

    def lookup_terms(self, aid: int) -> list[str]:
        """The terms through which similar articles are found: its heaviest words and its rare names."""
        vec = self.entries[aid].vector
        top = [w for w, _ in sorted(vec.items(), key=lambda kv: -kv[1])[:TOP_WORDS]]
        return top + ["@" + p[:79] for p in sorted(self.names(aid))]

    def idf(self, term: str) -> float:
        return _idf(self._n, self._df[term]) if self._df.get(term) else 0.0

    def looked_up(self, term: str) -> bool:
        """Whether stored articles are looked up by `term` (a name, or a word not in too many articles)."""
        return term.startswith("@") or self._df.get(term, 0) <= self._common

    # -- similarity ------------------------------------------------------------------------------------
    def _similar_articles(self, aid: int) -> dict[int, float]:
        """Similarity of `aid` to the placed articles sharing one of its telling words (the cosine of
        their word vectors over its TOP_WORDS heaviest words, which carry most of the weight)."""
        vec = self.entries[aid].vector
        scores: dict[int, float] = defaultdict(float)
        for w, x in sorted(vec.items(), key=lambda kv: -kv[1])[:TOP_WORDS]:
            for other, y in self.postings.get(w, ()):
                scores[other] += x * y
        found = {other: x for other, x in scores.items() if x >= MIN_COSINE}
        for name in self.names(aid):  # articles naming the same person are candidates too
            for other, _ in self.postings.get("@" + name[:79], ()):
                found.setdefault(other, scores.get(other, 0.0))
        found.pop(aid, None)
        return found

    def pair_score(self, a: int, b: int, cosine: float) -> float:
        """How surely articles `a` and `b` report one happening: their cosine, raised by the people both
        name, lowered when they date it days apart or name no place in common."""
        fa, fb = self.entries[a], self.entries[b]
        score = cosine
        shared = self.names(a) & self.names(b)
        score += NAME_BONUS * min(len(shared), 2)
        da, db = fa.event_day, fb.event_day
        if da and db:
            gap = abs((da - db).days)
            if gap > WINDOW_DAYS and len(shared) < WINDOW_NAMES:
                return 0.0
            pub_gap = abs((fa.published - fb.published).days) if fa.published and fb.published else gap
            if gap > 2 and pub_gap <= 7:
                score -= DAY_PENALTY
            elif gap > LATE_DAYS and not shared:
                score -= LATE_PENALTY
        pa, pb = fa.places, fb.places
        if pa and pb and not pa & pb:
            score -= PLACE_PENALTY
        return score

    def best_story(self, aid: int, allowed: Any = None) -> tuple[int | None, float]:
        per_story: dict[int, list[float]] = defaultdict(list)
        for other, cos in self._similar_articles(aid).items():
            sid = self.story_of.get(other)
            if sid is None or self.stories[sid].roundup != self.entries[aid].roundup:
                continue
            per_story[sid].append(self.pair_score(aid, other, cos))
        best, best_score = None, 0.0
        for sid, scores in per_story.items():
            if allowed is not None and not allowed(sid):
                continue
            top = max(scores)
            mean = sum(scores) / self.stories[sid].size  # members not sharing a word count as 0
            score = (1 - MEAN_WEIGHT) * top + MEAN_WEIGHT * mean
            if score > best_score or (score == best_score and best is not None and sid < best):
                best, best_score = sid, score
        return best, best_score

    # -- building --------------------------------------------------------------------------------------
    def place(self, aid: int, sid: int | None, *, roundup: bool | None = None, size: int = 0) -> int:
        """Put article `aid` into story `sid` (None: a story of its own); returns the story id. `roundup` and
        `size` describe a stored story only partly loaded (its kind and how many members it has)."""
        if sid is None:
            sid = aid
        if sid not in self.stories:
            kind = self.entries[aid].roundup if roundup is None else roundup
            self.stories[sid] = Story(sid, [], roundup=kind)
        story = self.stories[sid]
        story.members.append(aid)
        if size:
            story.unseen = max(size - len(story.members), 0)
        self.story_of[aid] = sid
        for w, x in self.entries[aid].vector.items():
            if x and self._df.get(w, 0) <= self._common:
                self.postings[w].append((aid, x))
        for name in self.names(aid):
            self.postings["@" + name[:79]].append((aid, 1.0))
        return sid

    def add(self, aid: int, apart: dict[int, set[int]] | None = None) -> int:
        """Place a new article: into the story it belongs to, else a new one (never next to an `apart` one)."""
        banned = (apart or {}).get(aid, set())

        def allowed(sid: int) -> bool:
            return not banned or not (banned & set(self.stories[sid].members))

        sid, score = self.best_story(aid, allowed if banned else None)
        return self.place(aid, sid if score >= THRESHOLD else None)

    def merge(self, keep: int, gone: int) -> None:
        """Read story `gone` as part of story `keep` (the lower id survives, so ids stay stable)."""
        keep, gone = min(keep, gone), max(keep, gone)
        if keep == gone or gone not in self.stories:
            return
        for aid in self.stories[gone].members:
            self.story_of[aid] = keep
        self.stories[keep].members.extend(self.stories.pop(gone).members)
        self.stories[keep].members.sort()

    def roundup_links(self, aid: int) -> set[tuple[int, int]]:
        """(roundup story, story it sums up) pairs that article `aid` makes with the articles placed: a
        roundup and a story of the same days that resemble each other."""
        out = set()
        mine = self.story_of[aid]
        for other, cos in self._similar_articles(aid).items():
            sid = self.story_of.get(other)
            if sid is None or self.stories[sid].roundup == self.stories[mine].roundup or cos < LINK_THRESHOLD:
                continue
            da, db = self.entries[aid].event_day, self.entries[other].event_day
            if da and db and abs((da - db).days) <= 3:
                out.add((mine, sid) if self.stories[mine].roundup else (sid, mine))
        return out

    def link_roundups(self) -> None:
        """Link each roundup story to the stories of the same days that it sums up."""
        for story in self.stories.values():
            story.links = set()
        for story in list(self.stories.values()):
            if story.roundup:
                for aid in story.members:
                    story.links.update(s for _, s in self.roundup_links(aid))


def _name_key(name: str) -> str:
    """A person's name as compared: lower case, apostrophes and punctuation unified."""
    return " ".join(re.sub(r"[^\w\s]", "", name.replace("’", "'").casefold()).split())


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n") if p.strip()]


def build(facts: Sequence[ArticleFacts], placed: dict[int, int], rules: Iterable[tuple[str, int, int]]
          ) -> StoryIndex:
    """Stories over `facts`: articles already `placed` (article -> story) keep their story; the others
    join one in ledger order; then the manual rules apply ("together" merges, "apart" is respected)."""
    entries, df, n = describe(facts)
    index = StoryIndex(entries, df, n)
    together = [(a, b) for kind, a, b in rules if kind == "together"]
    apart: dict[int, set[int]] = defaultdict(set)
    for kind, a, b in rules:
        if kind == "apart":
            apart[a].add(b)
            apart[b].add(a)
    for aid in sorted(index.entries):
        sid = placed.get(aid)
        if sid is not None:
            index.place(aid, sid)
        else:
            index.add(aid, apart)
    for a, b in together:
        sa, sb = index.story_of.get(a), index.story_of.get(b)
        if sa is None or sb is None or sa == sb:
            continue
        members = set(index.stories[sa].members) | set(index.stories[sb].members)
        if any(apart.get(m, set()) & members for m in members):
            continue
        index.merge(sa, sb)
    index.link_roundups()
    return index


__all__ = ["ArticleFacts", "Entry", "Story", "StoryIndex", "build", "clean_title", "describe", "paragraph_key"]
