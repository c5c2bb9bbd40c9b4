"""Actors and recipients of events by grammar: the names a role's noun phrase stands for."""

from __future__ import annotations

import bisect
from typing import Any

from newsledger.extract.event_lexicon import lexicon
from newsledger.model import Entity

_NAME_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
_GROUP_LABELS = ("ORG", "GPE", "NORP")
# A pronoun points back a sentence or two at most; a name further back is a guess.
_PRONOUN_REACH = 400
# Heads that count something else: "one of his friends" names the friends.
_QUANTITY_HEADS = frozenset(("one", "some", "many", "most", "all", "none", "dozens", "hundreds", "thousands",
                             "majority", "rest", "number", "two", "three", "four", "five", "each", "both",
                             "several", "few", "group"))


class Names:
    """Entity names by character offset, pronoun antecedents, and the quotes pronouns stay inside."""

    def __init__(self, entities: list[Entity], quoted: list[tuple[int, int]],
                 speakers: list[tuple[int, int, str | None]]) -> None:
        self.items = sorted(entities, key=lambda e: e.start)
        self.starts = [e.start for e in self.items]
        self.quoted = quoted
        self.speakers = speakers

    def speaker_at(self, pos: int) -> str | None:
        """The speaker of the quote holding `pos`, if any."""
        for s, e, who in self.speakers:
            if s <= pos < e:
                return who
        return None

    def in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quoted)

    def at(self, start: int, end: int) -> Entity | None:
        i = bisect.bisect_right(self.starts, start) - 1
        for e in self.items[max(0, i - 1): i + 2]:
            if e.start <= start and end <= e.end:
                return e
        return None

    def before(self, pos: int, labels: tuple[str, ...]) -> Entity | None:
        i = bisect.bisect_left(self.starts, pos) - 1
        while i >= 0 and pos - self.items[i].end < _PRONOUN_REACH:
            if self.items[i].label in labels:
                return self.items[i]
            i -= 1
        return None


def _conjuncts(tok: Any) -> list[Any]:
    out = [tok]
    for _ in range(6):
        nxt = [c for c in out[-1].children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON")]
        if not nxt:
            break
        out.append(nxt[0])
    return out


def is_instrument(tok: Any) -> bool:
    """A weapon or a happening standing where an actor would ('a car bomb', 'Israel's offensive')."""
    lex = lexicon()
    return tok.pos_ in ("NOUN", "PROPN") and (tok.lemma_.lower() in lex.instrument_nouns
                                              or tok.lower_ in lex.instrument_nouns
                                              or tok.lemma_.lower() in lex.nouns)


def instrument_agent(tok: Any, names: Names, text: str) -> list[str]:
    """Who an instrument or event noun names as its doer: its possessor, a by/from phrase, a named
    modifier ('Hamas attack'); else nobody."""
    lex = lexicon()
    for child in tok.children:
        if child.dep_ == "poss":
            return role_names(child, names, text)
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in lex.actor_preps:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    if is_instrument(grand):
                        return instrument_agent(grand, names, text)
                    return role_names(grand, names, text)
    for child in tok.children:
        if child.dep_ in ("compound", "amod") and child.ent_type_ in _GROUP_LABELS + ("PERSON",):
            ent = names.at(child.idx, child.idx + len(child))
            if ent is not None:
                return [ent.canonical]
    return []


def _pronoun(tok: Any, names: Names) -> list[str]:
    lex = lexicon()
    low = tok.lower_.strip("\"“”'‘’")
    if low in lex.first_person:
        who = names.speaker_at(tok.idx + len(tok) - 1)  # "I", "we" in a quote: its speaker
        return [who] if who else []
    head = tok.head
    frame = head.head.lemma_.lower()
    if (low in ("they", "it", "he", "she") and tok.dep_ == "nsubj" and head.dep_ == "ccomp"
            and (frame in lex.reporting_verbs or frame in ("warn", "threaten", "vow", "promise", "pledge"))):
        # "Police said they arrested a man", "the rebels warned they would attack": the ones speaking
        for c in head.head.children:
            if c.dep_ == "nsubj" and c.pos_ != "PRON":
                ent = names.at(c.idx, c.idx + len(c))
                return [ent.canonical if ent is not None else c.text]
    # Inside a direct quote "he" and "they" are the speaker's people, not the article's last name.
    if names.in_quote(tok.idx):
        return []
    if low in lex.person_pronouns:
        ent = names.before(tok.idx, ("PERSON",))
    elif low in lex.group_pronouns:
        ent = names.before(tok.idx, _GROUP_LABELS)
    else:
        return []
    return [ent.canonical] if ent is not None else []


def _words_name(tok: Any, text: str) -> str:
    """The head noun with its compound and adjective modifiers: 'a 9-year-old girl' -> '9-year-old girl'."""
    lex = lexicon()
    keep = [tok]
    for child in tok.lefts:
        if child.dep_ in ("compound", "amod", "nmod") and child.lower_ not in lex.name_dropped_words:
            keep.extend(t for t in child.subtree if t.dep_ not in ("det", "punct", "poss", "case"))
    keep = sorted({t.i: t for t in keep}.values(), key=lambda t: t.i)
    # Contiguous from the first kept word to the head, so hyphenated words stay whole.
    first = keep[0]
    start, end = first.idx, tok.idx + len(tok)
    return text[start:end].strip()


def role_names(tok: Any | None, names: Names, text: str) -> list[str]:
    """The names a role's head token stands for (each conjunct its own), canonical where an entity."""
    if tok is None:
        return []
    lex = lexicon()
    if tok.lower_ in lex.relative_pronouns and tok.head.dep_ == "relcl":
        noun = tok.head.head  # "hostages who were released": the noun the clause hangs on
        return role_names(noun, names, text) if noun.i != tok.i else []
    if tok.tag_ in ("WDT", "WP", "WP$"):
        return []
    if tok.lower_ in lex.negative_roles or any(
            c.dep_ == "det" and c.lower_ in lex.negative_roles for c in tok.children):
        return []  # "no one was injured"
    out: list[str] = []
    for t in _conjuncts(tok):
        if (t.pos_ == "PRON" or t.lower_.strip("\"“”'‘’") in lex.first_person) and t.lower_ not in ("anyone", "someone", "everyone", "anybody", "somebody"):
            out.extend(_pronoun(t, names))
            continue
        if t.lower_ in _QUANTITY_HEADS or t.like_num:
            of = [g for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children if g.dep_ == "pobj"]
            if of:
                out.extend(role_names(of[0], names, text))
                continue
        ent = names.at(t.idx, t.idx + len(t))
        if ent is not None and ent.label in _NAME_LABELS:
            if ent.label == "NORP" and t.pos_ == "NOUN":
                out.append(_words_name(t, text))  # "Israeli hostages": the hostages, not the nation
            else:
                out.append(ent.canonical)
            continue
        if t.ent_type_ in ("DATE", "TIME") or (
                t.ent_type_ in ("CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY") and not t.like_num):
            continue
        name = _words_name(t, text)
        if name:
            out.append(name)
    seen: set[str] = set()
    return [n for n in out if not (n in seen or seen.add(n))]  # type: ignore[func-returns-value]


def is_people(tok: Any) -> bool:
    """Whether a role word names people: a name, a group, a personal pronoun or a person noun."""
    if tok.ent_type_ in ("PERSON", "NORP", "ORG", "GPE"):
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ not in ("it", "this", "that", "which", "what")
    lex = lexicon()
    if tok.like_num or tok.lower_ in _QUANTITY_HEADS:
        return True  # "held three", "freed 105"
    lemma = tok.lemma_.lower()
    if lemma in lex.people_nouns or tok.lower_ in lex.people_nouns:
        return True
    # agent and member nouns: photographer, gunmen, activist, civilian, resident, employee
    return (tok.pos_ == "NOUN" and len(lemma) > 4 and lemma.endswith(_PEOPLE_SUFFIXES)
            and lemma not in lex.not_people)


_PEOPLE_SUFFIXES = ("er", "or", "ist", "ian", "man", "men", "ee")
