"""Links from an article's events to each other (same_as, content_of, the occasion's date) and to its
figures (dead, injured, size), places and quotes."""

from __future__ import annotations

import bisect
from datetime import date
from typing import Any

from newsledger.extract.event_lexicon import lexicon
from newsledger.model import Event, Quote

_DEFINITE = frozenset(("the", "this", "that", "these", "those"))
_PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))
_SIZE_CATEGORIES = frozenset(("held", "released", "detained", "abducted", "displaced", "missing", "other"))


def _stem(word: str) -> str:
    return word.lower()[:5]


def _same_as(i: int, events: list[Event], cands: list[Any]) -> int | None:
    """An earlier mention of the same happening: a noun that repeats an earlier trigger ('the attack',
    'Hamas's attack' again) or a definite noun of the type of an earlier event ('the shooting')."""
    c = cands[i]
    if not c.noun:
        return None
    noun = c.trigger[0]
    definite = any(ch.dep_ in ("det", "poss") and (ch.dep_ == "poss" or ch.lower_ in _DEFINITE)
                   for ch in noun.children)
    stem = _stem(noun.lemma_)
    for j in range(i - 1, -1, -1):
        if events[j].type != events[i].type or cands[j].trigger[0].sent.start == noun.sent.start:
            continue
        bare = definite and not events[i].actor and not events[i].recipient
        if _stem(cands[j].trigger[0].lemma_) == stem or bare:
            return events[j].same_as if events[j].same_as is not None else j
    return None


def _content_of(i: int, cands: list[Any], by_clause: dict[int, int], events: list[Event]) -> int | None:
    """The request, threat, promise, refusal or accusation an event is the content of."""
    holders = lexicon().content_holders
    tok = cands[i].clause
    via_complement = False
    for _ in range(6):
        if tok.head.i == tok.i:
            return None
        for_clause = tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children)
        if tok.dep_ in ("xcomp", "ccomp", "dobj") or for_clause or (tok.dep_ == "pobj" and tok.head.lower_ == "for"):
            via_complement = True  # "urged X to meet", "demanded the release", "appealed for the release"
        elif tok.dep_ == "prep" and tok.lower_ == "for":
            pass
        elif tok.dep_ not in ("conj", "advcl"):
            return None
        tok = tok.head
        j = by_clause.get(tok.i)
        if j is not None and j != i:
            return j if via_complement and events[j].type in holders else None
    return None


def _occasion(i: int, events: list[Event], cands: list[Any], published: date | None) -> int | None:
    """An earlier dated event of the same type that an undated past-tense clause belongs to ('A girl was
    shot early Tuesday ... The homeowner fired six shots in return')."""
    verb = cands[i].clause
    if cands[i].noun or events[i].status != "happened":
        return None
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep" and verb.head.head.pos_ == "VERB":
        verb = verb.head.head  # "carried the bombs ... before detonating them": the tense of the clause it is on
    past = verb.tag_ == "VBD" or (verb.tag_ == "VBN" and any(
        c.dep_ == "auxpass" and c.lower_ in ("was", "were") for c in verb.children))
    if not past:
        return None
    ongoing = lexicon().ongoing_processes
    if cands[i].trigger[0].lemma_.lower() in ongoing or any(
            c.dep_ == "advcl" and c.lemma_.lower() in ongoing and any(
                m.dep_ == "mark" and m.lower_ in ("as", "while") for m in c.children) for c in verb.children):
        return None  # "police investigated", "was detained as police investigated": not the incident's day
    if any(c.dep_ == "advmod" and c.lower_ in _OTHER_TIME for c in verb.children):
        return None  # "Days later, Tamerlan was killed": another time
    # The article's first event of the type dated to the day: the incident it reports. A date only to the
    # month or year ("detonated at the Boston Marathon in 2013") is background, not the occasion.
    for j in range(i):
        e = events[j]
        if e.type == events[i].type and e.status == "happened" and e.date is not None and len(e.date) == 10:
            return j
    if any(events[j].type == events[i].type and events[j].status == "happened" and events[j].date is not None
           for j in range(i)):
        # an earlier one of its kind dated only to the month or year ("set off a device in September"): this
        # belongs to that background, not to the day the lead reports ("pleaded not guilty on Thursday")
        return None
    # else the news occasion: the lead's event, dated to the day in the first two sentences, within a week
    # before publication ('pleaded not guilty on Wednesday ... the judge ordered him held')
    if verb.dep_ in ("relcl", "acl"):
        return None
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in verb.children) and any(
            c.dep_ == "npadvmod" and c.lower_ in lexicon().day_units for c in verb.children):
        return None  # "charged on Thursday, a week after he stabbed his neighbor": another time
    lead = _lead(events, cands, published)
    return lead if lead is not None and lead != i else None


def _lead(events: list[Event], cands: list[Any], published: date | None) -> int | None:
    """The first event of the article's first two sentences dated to the day, a week or less before
    publication: what the article reports."""
    if published is None or not cands:
        return None
    doc = cands[0].trigger[0].doc
    sents = 0
    last_start = -1
    for j, (e, c) in enumerate(zip(events, cands, strict=True)):
        start = c.trigger[0].sent.start
        if start != last_start:
            sents += 1
            last_start = start
        if sents > 2 and start > 0 and doc[start - 1].sent.start != doc[0].sent.start:
            return None
        if e.status == "happened" and e.date is not None and len(e.date) == 10 and e.content_of is None:
            days = (published - date.fromisoformat(e.date)).days
            if 0 <= days <= 7:
                return j
    return None


_OTHER_TIME = frozenset(("later", "earlier", "previously", "once", "then", "before", "ago", "formerly", "since"))


_TIME_MARKS = frozenset(("after", "before", "since", "until", "till", "once"))


_TIME_PREPS = frozenset(("after", "before", "since", "following", "until", "amid", "during", "in"))


def _bare_repeat(e: Event, c: Any) -> bool:
    """A noun that only mentions again a happening told before ('the attack', 'after the bombing'),
    adding no actor, recipient, date, place or toll: not a new event."""
    if not c.noun or c.clause.i != c.trigger[0].i or e.actor or e.recipient or e.date_text or e.location:
        return False
    if e.dead is not None or e.injured is not None or e.size is not None:
        return False
    noun = c.trigger[0]
    if any(ch.dep_ == "prep" and ch.lower_ in lexicon().place_preps for ch in noun.children):
        return False  # "the investigation at Central High School" places it
    definite = any(ch.dep_ == "poss" or (ch.dep_ == "det" and ch.lower_ in _DEFINITE) for ch in noun.children)
    in_time_frame = noun.dep_ == "pobj" and noun.head.lower_ in _TIME_PREPS
    return e.same_as is not None or (definite and in_time_frame)


def drop_bare_repeats(events: list[Event], cands: list[Any]) -> tuple[list[Event], list[Any]]:
    """The events without bare repeats, their same_as and content_of indexes renumbered."""
    keep = [i for i, (e, c) in enumerate(zip(events, cands, strict=True)) if not _bare_repeat(e, c)]
    if len(keep) == len(events):
        return events, cands
    new_index = {old: new for new, old in enumerate(keep)}

    def remap(link: int | None) -> int | None:
        while link is not None and link not in new_index:
            link = events[link].same_as
        return None if link is None else new_index[link]

    out = [events[i] for i in keep]
    for e in out:
        e.same_as = remap(e.same_as)
        e.content_of = new_index.get(e.content_of) if e.content_of is not None else None
    return out, [cands[i] for i in keep]


def link_events(ctx: Any, events: list[Event], cands: list[Any], quotes: list[Quote]) -> None:
    """Fill same_as, content_of, dead/injured/size, location, source and quote in place."""
    by_clause: dict[int, int] = {}
    for i, c in enumerate(cands):
        by_clause.setdefault(c.clause.i, i)
        by_clause.setdefault(c.trigger[0].i, i)
    for i, e in enumerate(events):
        e.same_as = _same_as(i, events, cands)
        e.content_of = _content_of(i, cands, by_clause, events)
        if e.date is None and e.same_as is not None and e.status == "happened" and \
                _stem(cands[e.same_as].trigger[0].lemma_) == _stem(cands[i].trigger[0].lemma_):
            src = events[e.same_as]
            e.date, e.end_date = src.date, src.end_date
        if e.content_of is not None:
            holder = events[e.content_of]
            if holder.type == "threaten" and not holder.recipient and e.type == "assault":
                holder.recipient = list(e.recipient)  # "warned it would begin targeting judges"
        if e.date is None and e.content_of is None:
            j = _occasion(i, events, cands, getattr(ctx.article, "published", None))
            if j is not None:
                e.date = events[j].date
    published = getattr(ctx.article, "published", None)
    for e in events:
        first = events[e.same_as] if e.same_as is not None else None
        if first is not None and first.date is None and e.date is not None and e.date_text and \
                first.status == e.status == "happened" and len(e.date) == 10 and published is not None and \
                0 <= (published - date.fromisoformat(e.date)).days <= 7:
            # "died from an accidental shooting. ... the shooting happened on Monday night": the day a later
            # mention gives the incident the article reports (not a background date) is the happening's
            first.date = e.date
    _figures(ctx, events, cands)
    _places(ctx, events)


def link_quotes(events: list[Event], quotes: list[Quote]) -> None:
    """The quote each event is told in (and its speaker as the event's source)."""
    for e in events:
        for qi, q in enumerate(quotes):
            if q.start <= e.trigger_start < q.end:
                e.quote, e.source = qi, q.speaker
                break


def _figures(ctx: Any, events: list[Event], cands: list[Any]) -> None:
    figures = list(getattr(ctx.result, "figures", None) or [])
    if not figures:
        return
    starts = [f.start for f in figures]
    for e, c in zip(events, cands, strict=True):
        sent = c.trigger[0].sent
        lo = bisect.bisect_left(starts, sent.start_char)
        for k in range(lo, len(figures)):
            f = figures[k]
            if f.start >= sent.end_char:
                break
            inside = e.start <= f.start < e.end
            if e.type == "assault" and f.category == "killed" and e.dead is None:
                e.dead = k
            elif e.type == "assault" and f.category == "injured" and e.injured is None:
                e.injured = k
            elif inside and f.category in _SIZE_CATEGORIES and e.size is None and e.dead is None:
                e.size = k


def _places(ctx: Any, events: list[Event]) -> None:
    ents = [x for x in getattr(ctx.result, "entities", None) or [] if x.label in _PLACE_LABELS]
    if not ents:
        return
    starts = [x.start for x in ents]
    for e in events:
        k = bisect.bisect_left(starts, e.start)
        inside = [x for x in ents[k:k + 20] if x.end <= e.end and x.canonical not in e.actor + e.recipient]
        if inside:
            e.location = inside[-1].canonical
