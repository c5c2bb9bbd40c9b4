"""When an event happened and whether it did: its date from the clause (at the precision written) and its
status from modality, negation, future and the frame it is the content of."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from newsledger.extract.event_lexicon import lexicon
from newsledger.extract.lexicons import load_resource
from newsledger.model import DateMention

_CLIMB = ("conj", "advcl")
_CLOCK = frozenset(("a.m.", "p.m.", "am", "pm", "noon", "midnight", "a.m", "p.m"))
_LATER = frozenset(("later", "then", "subsequently", "afterwards", "afterward", "since", "eventually", "earlier"))


@dataclass(frozen=True)
class EventDate:
    value: str | None
    end: str | None
    text: str | None


def _precise(value: str | None, end: str | None, granularity: str | None) -> tuple[str | None, str | None]:
    """ISO at the precision the text gives: YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY (and the span's end)."""
    if value is None:
        return None, None
    if granularity == "day":
        return value, None
    if granularity == "week":
        y, w, _ = date.fromisoformat(value).isocalendar()
        return f"{y}-W{w:02d}", None
    if granularity == "month":
        return value[:7], None
    if granularity == "year":
        return value[:4], None
    if end is None:
        return value, None
    if value.endswith("-01-01") and end.endswith("-12-31"):
        return value[:4], end[:4] if end[:4] != value[:4] else None
    if (date.fromisoformat(end) - date.fromisoformat(value)).days < 7:
        return value, end  # "last weekend": days
    if value[:7] == end[:7]:
        return value[:7], None  # "late November 2023": a part of a month is written at month precision
    if value.endswith("-01"):
        return value[:7], end[:7]
    return value, end


class Dater:
    """Dates for clauses: the date mentions of the trigger's sentence that date its clause."""

    def __init__(self, doc: Any, dates: list[DateMention]) -> None:
        self.doc = doc
        self.dates = [d for d in dates if d.value is not None]
        self.starts = [d.start for d in self.dates]
        res = load_resource("dates.json")
        self.not_anchoring = frozenset(res["not_anchoring_preps"])
        self.temporal = frozenset(res["temporal_preps"])
        self.numbers: dict[str, int] = dict(res["number_words"])
        self._roots: dict[int, Any] = {}

    def _root(self, d: DateMention) -> Any | None:
        if d.start not in self._roots:
            span = self.doc.char_span(d.start, d.end, alignment_mode="expand")
            self._roots[d.start] = span.root if span is not None and len(span) else None
        return self._roots[d.start]

    def _attach(self, d: DateMention) -> Any | None:
        """The token a date mention modifies, or None when it only bounds a clause ('since Friday')."""
        root = self._root(d)
        if root is None or root.head.i == root.i:
            return None
        if root.dep_ == "pobj":
            if root.head.lower_ in self.not_anchoring:
                return None
            return root.head.head
        return root.head

    def _in_sentence(self, tok: Any) -> list[DateMention]:
        sent = tok.sent
        i = bisect.bisect_left(self.starts, sent.start_char)
        out = []
        while i < len(self.dates) and self.dates[i].start < sent.end_char:
            if self.dates[i].end <= sent.end_char:
                out.append(self.dates[i])
            i += 1
        return out

    def _chain(self, trigger: Any, clause: Any, noun: bool) -> list[Any]:
        """The tokens whose time phrases date the trigger: its clause, the verbs that clause is conjoined
        with or a participle of, the noun a relative clause hangs on, the verb a noun event depends on."""
        chain = [clause]
        tok = clause
        lex_content = lexicon().content_status  # "called for Trump to sit down": what is asked has no time yet
        for _ in range(4):
            if tok.dep_ not in _CLIMB or tok.head.i == tok.i:
                break
            purpose = tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and \
                not any(c.dep_ == "mark" for c in tok.children) and tok.head.lemma_.lower() not in lex_content

            if tok.dep_ == "advcl" and not purpose and (tok.tag_ != "VBG" or any(c.dep_ == "mark" for c in tok.children)):
                break  # only a participle ("..., killing 15") or a purpose ("responded to investigate") shares its time
            if any(c.dep_ == "advmod" and c.lower_ in _LATER for c in tok.children):
                break  # "came to the US in 2010 and was later granted asylum": another time
            tok = tok.head
            chain.append(tok)
        if clause.dep_ in ("relcl", "acl"):
            chain.append(clause.head)  # "the April 15, 2013, attack, which killed three"
        if noun and clause.i == trigger.i and trigger.dep_ in ("nsubj", "nsubjpass", "pobj"):
            # a noun dates by the verb it is the subject, object or time phrase of ("freed during a truce in
            # exchange for 240 prisoners": the exchange is dated as the freeing)
            gov = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
            for _ in range(4):
                if gov.pos_ in ("VERB", "AUX") or gov.head.i == gov.i or gov.dep_ not in ("prep", "pobj"):
                    break
                gov = gov.head
            if gov.pos_ in ("VERB", "AUX"):
                chain.append(gov)
        return chain

    def anchor(self, trigger: Any, clause: Any, noun: bool) -> tuple[Any, int, str] | None:
        """A time phrase on the clause counted from another event: 'three days after the bombing', 'the
        night of the attack', 'the day before the vote'. Returns the event noun, the days to add and the phrase."""
        lex = lexicon()
        ids = {c.i for c in self._chain(trigger, clause, noun)} | {trigger.i}
        for tok in trigger.sent:
            if tok.dep_ != "pobj" or tok.head.lower_ not in ("after", "before", "of") or tok.i == trigger.i \
                    or tok.lemma_.lower() not in lex.nouns:
                continue
            prep = tok.head
            sign = -1 if prep.lower_ == "before" else 1
            top: Any | None = None
            offset = 0
            part = prep.head
            if part.lemma_.lower() in lex.day_parts and part.pos_ == "NOUN" and \
                    any(c.dep_ == "det" and c.lower_ == "the" for c in part.children):
                top = part  # "the night of the attack" (0), "the day after the bombing" (1)
                offset = 0 if prep.lower_ == "of" else sign
            elif prep.lower_ != "of":
                unit = next((c for c in prep.children if c.dep_ == "npadvmod"), None)
                days = lex.day_units.get(unit.lower_) if unit is not None else None
                if unit is not None and days is not None:
                    count = _count(unit, self.numbers)
                    if count is not None:
                        top, offset = prep, sign * count * days
            if top is None:
                continue
            written = self.doc.text[top.left_edge.idx:tok.idx + len(tok)]
            up = top
            for _ in range(3):
                if up.i in ids:
                    return tok, offset, written
                if up.head.i == up.i:
                    break
                up = up.head
            if up.i in ids:
                return tok, offset, written
        return None

    def date_of(self, trigger: Any, clause: Any, noun: bool, parts: tuple[Any, ...] = ()) -> EventDate:
        """The date dating the trigger's clause: mentions attached to the clause verb (or the noun and its
        phrase), to the other words of the trigger ('pleaded not guilty on Monday'), to verbs it is
        conjoined with or a participle of, or inside a time phrase on them."""
        mentions = self._in_sentence(trigger)
        if not mentions:
            return EventDate(None, None, None)
        chain = self._chain(trigger, clause, noun) + list(parts)
        noun_span = (trigger.left_edge.i, trigger.right_edge.i) if noun else None
        # what a charge or claim says happened has its own time: "charges that he set off a device in September"
        told = [(c.left_edge.i, c.right_edge.i) for c in trigger.children if noun and c.dep_ in ("acl", "relcl", "ccomp")
                and any(g.dep_ in ("nsubj", "nsubjpass") and g.tag_ not in ("WDT", "WP") for g in c.children)]
        best: tuple[int, int, DateMention] | None = None
        for d in mentions:
            root = self._root(d)
            if root is None:
                continue
            rank: int | None = None
            if clause.dep_ in ("relcl", "advcl") and root.i <= clause.head.i <= root.right_edge.i \
                    and clause.head.ent_type_ == "DATE":
                rank = 0  # "May 10, 2010, when 110 people were killed"
            if rank is None and noun and d.end <= trigger.idx and trigger.idx - d.end <= 3 and \
                    not self.doc.text[d.end:trigger.idx].strip(" ,"):
                rank = 0  # a date written right before the noun, however parsed: "after April 15, 2013, bombing"
            att = self._attach(d)
            for _ in range(2):
                # a day hung on the time of day: "happened about 2 a.m. Sunday", "at 10 p.m. Thursday"
                if att is None or att.head.i == att.i or not (att.ent_type_ == "TIME" or att.lower_ in _CLOCK):
                    break
                att = att.head.head if att.dep_ == "pobj" else att.head if att.dep_ == "npadvmod" else None
            if att is not None and _ongoing_on(att, trigger, clause, noun, d.start):
                # "are investigating a deadly shooting in Gloucester Saturday night": a past day written after
                # the object of an act going on now dates the object, however parsed
                if not noun:
                    continue
                rank = 0
            if rank is None and att is not None:
                if noun_span is not None and noun_span[0] <= root.i <= noun_span[1] and \
                        not any(lo <= root.i <= hi for lo, hi in told):
                    rank = 0
                elif any(att.i == c.i for c in chain):
                    rank = 1 + next(k for k, c in enumerate(chain) if c.i == att.i)
                else:
                    # a date inside a time phrase on the clause: "abducted during the attack on October 7"
                    up = att
                    for _ in range(4):
                        if up.dep_ == "pobj" and up.head.lower_ in self.temporal and up.head.head.i == clause.i:
                            rank = 5
                            break
                        if up.dep_ == "agent" and any(up.head.i == c.i for c in chain):
                            # the parser hangs a time phrase on the by-agent: "killed by a gunman late
                            # Friday night", "convicted by a jury in 2014"
                            rank = 5
                            break
                        if up.head.i == up.i:
                            break
                        up = up.head
            if rank is None:
                continue
            key = (rank, abs(d.start - trigger.idx))
            if best is None or key < best[:2]:
                best = (*key, d)
        if best is None:
            return EventDate(None, None, None)
        d = best[2]
        value, end = _precise(d.value, d.value_end, d.granularity)
        written = d.text
        root = self._root(d)
        if root is not None and root.dep_ == "pobj" and root.head.i < root.i and d.start - root.head.idx <= 12:
            written = self.doc.text[root.head.idx:d.end]  # "on Friday", as written
        return EventDate(value, end, written)


def _ongoing_on(att: Any, trigger: Any, clause: Any, noun: bool, start: int) -> bool:
    """Whether a date hung on a present-tense verb follows its event-noun object (the noun's date)."""
    verb = trigger.head if noun else clause
    if noun and trigger.dep_ != "dobj":
        return False
    obj = trigger if noun else next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or att.i != verb.i or start < obj.idx or obj.lemma_.lower() not in lexicon().nouns:
        return False
    return verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lower_ in ("is", "are", "'re", "am") for c in verb.children))


def _count(unit: Any, numbers: dict[str, int]) -> int | None:
    """How many units: 'three days' 3, 'two weeks' 2, 'a day' 1; None where not told ('days after')."""
    for c in unit.children:
        if c.dep_ == "nummod":
            if c.like_num and c.text.isdigit():
                return int(c.text)
            return numbers.get(c.lower_)
        if c.dep_ == "det" and c.lower_ in ("a", "an", "one"):
            return 1
    return None


def shift(value: str, days: int) -> str | None:
    """A day-precision ISO date moved by `days`; None for coarser dates."""
    if len(value) != 10:
        return None
    try:
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    except ValueError:
        return None


def status_of(clause: Any, negative_role: bool) -> str:
    """happened | planned | demanded | denied | hypothetical, from the clause and the frames above it."""
    lex = lexicon()
    if negative_role:
        return "denied"  # "no one else was injured"
    tok = clause
    if tok.pos_ in ("NOUN", "PROPN"):
        # a noun takes the status of the verb it is the object of: "pressing for talks" (demanded),
        # "will hold talks" (planned)
        gov = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "for" else tok.head
        if tok.dep_ not in ("dobj", "pobj", "nsubj", "nsubjpass") or gov.pos_ not in ("VERB", "AUX"):
            return "happened"
        if tok.dep_ in ("nsubj", "nsubjpass"):
            # "his sentencing is scheduled for October 16", "the hearing is due on Monday"
            frame = next((c for c in gov.children if c.dep_ in ("acomp", "attr") and
                          c.lemma_.lower() in lex.subject_status), gov)
            if frame.lemma_.lower() in lex.subject_status:
                return lex.subject_status[frame.lemma_.lower()]
        if tok.dep_ in ("dobj", "pobj") and gov.lemma_.lower() in lex.content_status and not (
                tok.dep_ == "dobj" and gov.lemma_.lower() in lex.object_control):
            return lex.content_status[gov.lemma_.lower()]
        tok = gov
    for depth in range(6):
        for child in tok.children:
            dep, low = child.dep_, child.lower_
            if dep == "neg" and depth == 0:
                return "denied"
            if dep in ("aux", "auxpass"):
                if low in lex.future_aux:
                    return "planned"
                if low in lex.modal_aux:
                    return "hypothetical"
            if dep == "mark" and low in lex.hypothetical_marks:
                return "hypothetical"
        head = tok.head
        if head.i == tok.i:
            break
        lemma = head.lemma_.lower()
        for_clause = tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children)
        if (tok.dep_ in ("xcomp", "ccomp") or for_clause) and lemma in lex.content_status:
            return lex.content_status[lemma]  # "urged X to meet", "called for Trump to sit down"
        if tok.dep_ in ("conj", "xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
            tok = head
            continue
        break
    return "happened"
