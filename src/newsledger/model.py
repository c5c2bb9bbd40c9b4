"""Typed records shared by every layer: an article, what is extracted from it, and their JSON form."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Qualifier = Literal["exact", "approx", "at_least", "more_than", "at_most", "less_than", "range"]
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "at_least", "more_than", "at_most", "less_than", "range")

Category = Literal[
    "killed", "injured", "detained", "held", "released", "abducted", "displaced",
    "missing", "money", "percent", "duration", "other",
]
CATEGORIES: tuple[str, ...] = (
    "killed", "injured", "detained", "held", "released", "abducted", "displaced",
    "missing", "money", "percent", "duration", "other",
)

QuoteKind = Literal["direct", "indirect", "mixed"]
Granularity = Literal["day", "week", "month", "year", "range"]


@dataclass
class Article:
    """One article: its text (immutable; every span points into it) and what is known about it."""

    text: str
    id: str | None = None
    published: date | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    # Where the text came from ("text", "html", "jsonl", "feed", "warc", "url"), for messages and storage.
    origin: str = "text"
    # What ingest changed or noticed (control characters replaced, ...); copied to the extraction's warnings.
    notes: list[str] = field(default_factory=list)


@dataclass
class Entity:
    """A person, organisation or place mention, with the one canonical name its entity has in the article."""

    start: int
    end: int
    text: str
    label: str  # PERSON | ORG | GPE | LOC | NORP | FAC
    canonical: str


@dataclass
class DateMention:
    """A date expression and what it resolves to against the publication day.

    `value` is an ISO date (day granularity) or the first day of the period; `value_end` is the last day
    for ranges, weeks, months and years. Both stay None when the expression cannot be resolved (a relative
    date with no publication day).
    """

    start: int
    end: int
    text: str
    value: str | None
    value_end: str | None
    granularity: Granularity | None
    relative: bool = False


@dataclass
class Quote:
    """Something a speaker is reported as saying, directly, indirectly or mixed."""

    start: int
    end: int
    content: str
    kind: QuoteKind
    speaker: str | None
    speaker_mention: str | None
    cue: str | None
    # Offsets of the speaker mention and cue in the text, where found (not part of the spec's JSON).
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass
class Figure:
    """A number that counts or measures something, with its qualifier, what it counts, source and date."""

    start: int
    end: int
    text: str
    value: float | int
    value_max: float | int | None = None
    qualifier: Qualifier = "exact"
    counted: str | None = None
    category: Category = "other"
    source: str | None = None
    as_of: str | None = None
    part_of: int | None = None


EventType = Literal[
    "agree", "consult", "support", "concede", "cooperate", "aid", "retreat", "request",
    "accuse", "reject", "threaten", "protest", "sanction", "mobilize", "coerce", "assault",
]
# PLOVER's 16 event types, as POLECAT uses them (../shared/spec/events.md).
EVENT_TYPES: tuple[str, ...] = (
    "agree", "consult", "support", "concede", "cooperate", "aid", "retreat", "request",
    "accuse", "reject", "threaten", "protest", "sanction", "mobilize", "coerce", "assault",
)
EventStatus = Literal["happened", "planned", "demanded", "denied", "hypothetical"]
EVENT_STATUSES: tuple[str, ...] = ("happened", "planned", "demanded", "denied", "hypothetical")


@dataclass
class Event:
    """Who did what to whom, when and where: one mention of a typed action (the events contract).

    `start`/`end` span the event's clause; `trigger`/`trigger_start` the words naming the action. `date` is
    ISO at the precision the text gives (YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY) and never the publication day
    by default. `same_as` and `content_of` are indexes into the article's events, `dead`, `injured` and
    `size` into its figures, `quote` into its quotes (the quote the event is told in).
    """

    start: int
    end: int
    trigger: str
    trigger_start: int
    type: EventType
    mode: str | None = None
    actor: list[str] = field(default_factory=list)
    recipient: list[str] = field(default_factory=list)
    date: str | None = None
    end_date: str | None = None
    date_text: str | None = None
    location: str | None = None
    dead: int | None = None
    injured: int | None = None
    size: int | None = None
    source: str | None = None
    status: EventStatus = "happened"
    same_as: int | None = None
    content_of: int | None = None
    text: str = ""
    quote: int | None = None


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: Article
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        """The spec's JSON object for this article (the one place JSON is made from records)."""
        a = self.article
        out: dict[str, Any] = {"id": a.id}
        if a.published is not None:
            out["published"] = a.published.isoformat()
        for key in ("title", "url", "outlet"):
            value = getattr(a, key)
            if value:
                out[key] = value
        if include_text:
            out["text"] = a.text
        out["figures"] = [dataclasses.asdict(f) for f in self.figures]
        out["quotes"] = [
            {k: v for k, v in dataclasses.asdict(q).items() if k not in ("speaker_start", "speaker_end")}
            for q in self.quotes
        ]
        out["entities"] = [dataclasses.asdict(e) for e in self.entities]
        out["dates"] = [dataclasses.asdict(d) for d in self.dates]
        out["events"] = [dataclasses.asdict(e) for e in self.events]
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def parse_iso_date(value: str | None) -> date | None:
    """A `YYYY-MM-DD` (or longer ISO timestamp) string as a date; None for None or ''."""
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


@dataclass
class Rejected:
    """An input that yielded no article, with where it came from and why, so a batch can report it."""

    where: str  # file, "file:line" or URL
    reason: str  # one line: what is wrong and what to do
    id: str | None = None
    # The input held no text (an empty file or JSON line): counted as skipped, not as a failure.
    empty: bool = False
