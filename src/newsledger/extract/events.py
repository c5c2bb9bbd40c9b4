"""Events: a trigger verb from the lexicon with its actor (subject), target (object) and date."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsledger.extract.dates import date_for
from newsledger.extract.lexicons import load_resource
from newsledger.model import Entity, Event

REQUIRES: tuple[str, ...] = ("entities", "dates", "quotes", "figures")
ASSIGNS = "events"


@dataclass(frozen=True)
class _Lexicon:
    triggers: dict[str, frozenset[str]]
    weak_objects: frozenset[str]
    weak_triggers: frozenset[str]
    hypothetical: frozenset[str]
    hypothetical_marks: frozenset[str]
    person_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    left_deps: frozenset[str]
    right_deps: frozenset[str]
    dropped_dets: frozenset[str]
    needs_target: frozenset[str]
    negative_words: frozenset[str]
    active_only: frozenset[str]
    person_triggers: frozenset[str]
    person_nouns: frozenset[str]
    intransitive: frozenset[str]


@lru_cache(maxsize=1)
def _lex() -> _Lexicon:
    r = load_resource("events.json")
    return _Lexicon(
        triggers={k: frozenset(v) for k, v in r["triggers"].items()},
        weak_objects=frozenset(r["weak_objects"]),
        weak_triggers=frozenset(r["weak_object_triggers"]),
        hypothetical=frozenset(r["hypothetical_auxiliaries"]),
        hypothetical_marks=frozenset(r["hypothetical_marks"]),
        person_pronouns=frozenset(r["person_pronouns"]),
        relative_pronouns=frozenset(r["relative_pronouns"]),
        left_deps=frozenset(r["np_left_deps"]),
        right_deps=frozenset(r["np_right_deps"]),
        dropped_dets=frozenset(r["dropped_determiners"]),
        needs_target=frozenset(r["needs_target"]),
        negative_words=frozenset(r["negative_words"]),
        active_only=frozenset(r["active_only"]),
        person_triggers=frozenset(r["person_target_triggers"]),
        person_nouns=frozenset(r["person_nouns"]),
        intransitive=frozenset(r["intransitive"]),
    )


class _Entities:
    """Entity lookup by character offset, and the last person named before a point."""

    def __init__(self, entities: list[Entity], quoted: list[tuple[int, int]]) -> None:
        self.items = sorted(entities, key=lambda e: e.start)
        self.starts = [e.start for e in self.items]
        self.quoted = quoted

    def in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quoted)

    def at(self, start: int, end: int) -> Entity | None:
        i = bisect.bisect_right(self.starts, start) - 1
        for e in self.items[max(0, i - 1): i + 2]:
            if e.start <= start and end <= e.end:
                return e
        return None

    def person_before(self, pos: int) -> Entity | None:
        i = bisect.bisect_left(self.starts, pos) - 1
        # A pronoun points back a sentence or two at most; a person named far earlier is a guess.
        while i >= 0 and pos - self.items[i].end < 400:
            if self.items[i].label == "PERSON":
                return self.items[i]
            i -= 1
        return None


@dataclass
class _Role:
    """An actor or target: the words it spans in the text and the name to report."""

    start: int
    end: int
    name: str


def _phrase(tok: Any, ents: _Entities, text: str) -> _Role | None:
    """The noun phrase headed by `tok`, reported by its entity's canonical name where it is one."""
    lex = _lex()
    low = tok.lower_
    if low in lex.relative_pronouns and tok.head.dep_ == "relcl" and tok.dep_ != "det":
        # "hostages who were released": the relative clause's noun is the one meant.
        noun = tok.head.head
        return _phrase(noun, ents, text) if noun.i != tok.i else None
    if tok.pos_ == "PRON":
        # Inside a direct quote "he" and "him" are the speaker's people, not the article's last name.
        # Only subjects: a subject pronoun usually continues the person in focus, an object one ("asked
        # him") as often names someone else.
        if (low in lex.person_pronouns and tok.dep_ in ("nsubj", "nsubjpass")
                and not ents.in_quote(tok.idx)):
            person = ents.person_before(tok.idx)
            if person is not None:
                return _Role(tok.idx, tok.idx + len(tok), person.canonical)
        return None
    if tok.tag_ in ("WDT", "WP", "WP$"):
        return None  # a relative pronoun the parse did not tie to its noun
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in lex.left_deps:
            left = min(left, child.left_edge.i)
    right = tok.i
    for child in tok.rights:
        if child.dep_ in lex.right_deps or (child.dep_ == "prep" and child.lower_ == "of"):
            right = max(right, child.right_edge.i)
    doc = tok.doc
    # A phrase never runs across a line break: parses glue captions and headings onto the next line.
    while left < tok.i and (doc[left].lower_ in lex.dropped_dets or doc[left].is_punct
                            or doc[left].tag_ in ("WP$", "WDT", "WP")
                            or "\n" in text[doc[left].idx:tok.idx]):
        left += 1
    while right > tok.i and (doc[right].is_punct or doc[right].dep_ == "cc"):
        right -= 1
    start, end = doc[left].idx, doc[right].idx + len(doc[right])
    ent = ents.at(tok.idx, tok.idx + len(tok))
    if ent is not None:
        return _Role(start, end, ent.canonical)
    if tok.ent_type_ in ("DATE", "TIME"):
        return None
    return _Role(start, end, text[start:end])


def _agent(verb: Any) -> Any | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _subject(verb: Any) -> tuple[Any | None, bool]:
    """The verb's subject token and whether it is a passive subject, inheriting from a governing verb
    for conjoined verbs and participle clauses ("exploded, killing 30")."""
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child, False
            if child.dep_ == "nsubjpass":
                return child, True
        if verb.dep_ in ("conj", "advcl") and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
            if verb.dep_ == "advcl" and _is_passive(verb.head):
                # "The building was shattered by an explosion, killing 168": the explosion did the killing.
                return _agent(verb.head), False
            verb = verb.head
            continue
        return None, False
    return None, False


def _is_passive(verb: Any) -> bool:
    """Passive itself, or a bare participle joined to a passive ("was treated and released")."""
    for _ in range(4):
        deps = {c.dep_ for c in verb.children}
        if deps & {"auxpass", "nsubjpass"}:
            return True
        if any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children) or verb.tag_ == "VBD":
            return False
        if verb.tag_ != "VBN" or verb.dep_ != "conj" or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _object(verb: Any) -> Any | None:
    """The direct object, or the one a joined verb shares ("shot and killed one of his friends")."""
    for child in verb.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    triggers = _lex().triggers
    for child in verb.children:
        # Only between two triggers: "meet and plan their operations" shares nothing.
        if (child.dep_ == "conj" and child.pos_ == "VERB" and child.i - verb.i <= 3
                and child.lemma_.lower() in triggers):
            for grand in child.children:
                if grand.dep_ in ("dobj", "obj"):
                    return grand
    return None


def _hypothetical(verb: Any) -> bool:
    lex = _lex()
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in ("aux", "auxpass") and child.lower_ in lex.hypothetical:
            return True
        if child.dep_ == "aux" and child.lower_ == "to":
            return True  # "urged Trump to meet": asked for, not done
        if child.dep_ == "mark" and child.lower_ in lex.hypothetical_marks:
            return True
    return False


def _negative(tok: Any) -> bool:
    words = _lex().negative_words
    return tok.lower_ in words or any(c.lower_ in words for c in tok.children if c.dep_ in ("det", "nummod", "amod"))


def _people(tok: Any) -> bool:
    """Whether a role word names people: a name, a group, a personal pronoun or a person noun."""
    if tok.ent_type_ in ("PERSON", "NORP", "ORG", "GPE"):
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ not in ("it", "this", "that", "which", "what")
    return tok.lemma_.lower() in _lex().person_nouns or tok.lower_ in _lex().person_nouns


def _near(tok: Any | None, verb: Any, text: str) -> bool:
    """A role word on the trigger's own line: parses glue headlines and datelines onto the next line."""
    if tok is None:
        return False
    lo, hi = sorted((tok.idx, verb.idx))
    return "\n" not in text[lo:hi]


def _noun_date(verb: Any, ctx: Any) -> str | None:
    """The day named inside the noun a relative clause hangs on: "the April 15, 2013, attack, which killed
    three" happened on that day, whatever the sentence around it is dated."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head  # "which killed three and injured 260"
    if verb.dep_ != "relcl":
        return None
    noun = verb.head
    spans = [(c.idx, c.idx + len(c)) for c in noun.children if c.dep_ in ("compound", "nmod", "nummod", "amod")]
    for d in getattr(ctx.result, "dates", None) or []:
        if d.granularity == "day" and any(d.start <= s < d.end for s, _ in spans):
            return d.value
    return None


def _event(verb: Any, ents: _Entities, text: str, ctx: Any) -> Event | None:
    lex = _lex()
    preps = lex.triggers[verb.lemma_.lower()]
    if verb.dep_ in ("amod", "compound") or _hypothetical(verb):
        return None
    passive = _is_passive(verb)
    actor_tok: Any | None = None
    target_tok: Any | None = None
    subj, subj_passive = _subject(verb)
    if verb.tag_ == "VBG" and (subj is None or any(c.dep_ == "det" for c in verb.children)):
        return None  # "matters related to launching the second phase": a gerund names, it does not report
    obj = _object(verb)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        if obj is None:
            # "prisoners freed during the truce": the noun is what was done to.
            target_tok = verb.head
            passive = True
        else:
            actor_tok = verb.head  # "bombings across Iraq killed 17 people", parsed as a participle
    elif subj is not None:
        # Headlines and lists drop the auxiliary: "Teen charged in shooting", "42 were killed and 40
        # wounded" are passive though parsed as active.
        bare = obj is None and not any(c.dep_ == "aux" for c in verb.children)
        headline = bare and (verb.tag_ == "VBN" or subj.like_num
                             or not verb.sent.text.rstrip().endswith((".", "!", "?", "”", '"')))
        if subj_passive or passive or (headline and verb.lemma_.lower() not in lex.intransitive):
            target_tok = subj
            passive = True
        else:
            actor_tok = subj
    agent = _agent(verb)
    if agent is not None:
        actor_tok = agent
    if obj is not None and target_tok is None:
        target_tok = obj
    if target_tok is None and not passive:
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                objs = [c for c in child.children if c.dep_ == "pobj" and c.ent_type_ not in ("DATE", "TIME")]
                if objs:
                    target_tok = objs[0]
                    break
    if passive and verb.lemma_.lower() in lex.active_only:
        return None
    if any(_negative(t) for t in (actor_tok, target_tok) if t is not None):
        return None  # "No one was injured", "neither suspect was charged"
    lemma = verb.lemma_.lower()
    if target_tok is not None and lemma in lex.weak_triggers and target_tok.lemma_.lower() in lex.weak_objects:
        return None
    actor = _phrase(actor_tok, ents, text) if _near(actor_tok, verb, text) else None
    target = _phrase(target_tok, ents, text) if _near(target_tok, verb, text) else None
    if target is None and lemma in lex.needs_target:
        return None
    if lemma in lex.person_triggers and target_tok is not None and not _people(target_tok):
        return None
    if actor is None and target is None:
        return None
    vs, ve = verb.idx, verb.idx + len(verb)
    sent = verb.sent
    # The span covers subject to object, but only the parts in the trigger's own sentence (a pronoun's
    # antecedent may lie earlier).
    bounds = [(r.start, r.end) for r in (actor, target)
              if r is not None and sent.start_char <= r.start and r.end <= sent.end_char]
    start = min([vs] + [b[0] for b in bounds])
    end = max([ve] + [b[1] for b in bounds])
    return Event(start=start, end=end, text=text[start:end], trigger=verb.text,
                 actor=actor.name if actor else None, target=target.name if target else None,
                 date=_noun_date(verb, ctx) or date_for(ctx, vs, ve))


def extract(ctx: Any) -> list[Event]:
    """Events in text order: lexicon verbs that happened (not negated, not hypothetical) with an actor or
    target."""
    lex = _lex()
    text: str = ctx.article.text
    quoted = [(q.start, q.end) for q in getattr(ctx.result, "quotes", None) or [] if q.kind != "indirect"]
    ents = _Entities(list(getattr(ctx.result, "entities", None) or []), quoted)
    out: list[Event] = []
    for tok in ctx.doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in lex.triggers:
            continue
        event = _event(tok, ents, text, ctx)
        if event is not None:
            out.append(event)
    return out
