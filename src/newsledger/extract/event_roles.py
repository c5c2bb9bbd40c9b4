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
        self.full, self.person_like = _full_names(self.items)
        self._identified: tuple[Any, dict[str, str]] | None = None

    def identified(self, tok: Any) -> str | None:
        """The name a described person is given in the article ('The suspect, identified as Antonio Taylor', 'the
        victim was identified as Mark Jones'): for 'the suspect' anywhere in it; none where two are so named."""
        doc = tok.doc
        if self._identified is None or self._identified[0] is not doc:
            found: dict[str, set[str]] = {}
            for t in doc:
                if t.lemma_.lower() not in ("identify", "name") or t.tag_ != "VBN":
                    continue
                described = t.head if t.dep_ == "acl" else child_of(t, "nsubjpass")
                if described is None or described.pos_ != "NOUN" or described.ent_type_ or not is_people(described):
                    continue
                for p in t.children:
                    if p.dep_ == "prep" and p.lower_ == "as":
                        who = child_of(p, "pobj")
                        ent = self.at(who.idx, who.idx + len(who)) if who is not None else None
                        if ent is not None and self.is_person(ent):
                            found.setdefault(described.lemma_.lower(), set()).add(self.name(ent))
            self._identified = (doc, {k: next(iter(v)) for k, v in found.items() if len(v) == 1})
        return self._identified[1].get(tok.lemma_.lower())

    def name(self, ent: Entity) -> str:
        """An entity's name, a person's surname told in full ('Matanov' -> 'Khairullozhon Matanov')."""
        return self.full.get(ent.canonical, ent.canonical) if ent.label == "PERSON" else ent.canonical

    def is_person(self, ent: Entity) -> bool:
        return ent.label == "PERSON" or ent.canonical in self.person_like

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

    def person_before(self, tok: Any) -> Entity | None:
        found = self.person_antecedent(tok)
        return found[0] if found is not None else None

    def person_antecedent(self, tok: Any) -> tuple[Entity, bool] | None:
        """The person 'he' or 'him' points back to: the nearest person named as the subject of a clause in this
        sentence or the one before (the one the text is about), not the subject of the pronoun's own clause
        ('Berman asked him'); for a possessive ('his arrest') or with no such subject: the nearest person."""
        pos = tok.idx
        doc = tok.doc
        own_subject = child_of(tok.head, "nsubj", "nsubjpass") if tok.dep_ in ("dobj", "pobj", "dative") else None
        own = own_subject.i if own_subject is not None else -1
        salient = tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "dative")
        nearest: Entity | None = None
        sent = tok.sent
        earliest = doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
        i = bisect.bisect_left(self.starts, pos) - 1
        while i >= 0 and pos - self.items[i].end < _PRONOUN_REACH:
            ent = self.items[i]
            i -= 1
            if not self.is_person(ent):
                continue
            span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            root = span.root
            while root.dep_ in ("appos", "compound", "conj") and root.head.i != root.i:
                root = root.head
            if root.i == own:
                continue
            if not salient:
                return ent, False
            nearest = nearest or ent
            if root.dep_ in ("nsubj", "nsubjpass") and ent.start >= earliest:
                return ent, True  # a subject of this sentence or the one before
        return (nearest, False) if nearest is not None else None


def _conjuncts(tok: Any) -> list[Any]:
    # "Gloucester County Sheriff's Office and Virginia State Police": the parser may hang the first of two
    # joined names on the second as a modifier that keeps the "and"
    out = [c for c in tok.children if c.dep_ == "nmod" and c.pos_ == "PROPN" and c.i < tok.i
           and any(g.dep_ == "cc" and g.lower_ == "and" for g in c.children)]
    out.append(tok)
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
        if child.dep_ == "poss" and child.ent_type_ not in ("DATE", "TIME"):  # "today's attack": when
            return role_names(child, names, text)
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in lex.actor_preps:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    if is_instrument(grand):
                        return instrument_agent(grand, names, text)
                    return role_names(grand, names, text)
    for child in tok.children:
        if child.dep_ == "acl" and child.tag_ == "VBN":
            # "the bomb, planted by Islamic State militants, exploded": the one the participle names
            for agent in child.children:
                if agent.dep_ == "agent":
                    for grand in agent.children:
                        if grand.dep_ == "pobj" and is_people(grand):
                            return role_names(grand, names, text)
    for child in tok.children:
        if child.dep_ == "compound" and not child.ent_type_ and child.pos_ == "NOUN" and is_people(child) \
                and not child.like_num and child.lower_ not in _QUANTITY_HEADS:
            return [_words_name(child, text)]  # "Saudi-led coalition airstrikes", "police gunfire"
    for child in tok.children:
        if child.dep_ in ("compound", "amod") and child.ent_type_ in _GROUP_LABELS + ("PERSON",):
            demonym = lex.actor_demonyms.get(child.lower_)
            if demonym:
                return [demonym]  # "the Israeli strike": Israel
            ent = names.at(child.idx, child.idx + len(child))
            if ent is not None:
                return [names.name(ent)]
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
        # "Police said they arrested a man", "the rebels warned they would attack": the ones speaking; not
        # "his attorney said he entered": the one whose attorney speaks
        for c in head.head.children:
            if c.dep_ == "nsubj" and c.pos_ != "PRON" and not any(
                    g.dep_ == "poss" and g.pos_ == "PRON" for g in c.children):
                ent = names.at(c.idx, c.idx + len(c))
                return [names.name(ent) if ent is not None else c.text]
    # Inside a direct quote "he" and "they" are the speaker's people, not the article's last name.
    if names.in_quote(tok.idx):
        return []
    if low in ("her", "him") and tok.dep_ in ("dobj", "pobj", "dative"):
        verb = tok.head if tok.dep_ != "pobj" else tok.head.head
        doer = child_of(verb, "nsubj")
        owner = child_of(doer, "poss") if doer is not None else None
        if owner is not None and owner.pos_ == "NOUN" and is_people(owner) and not owner.ent_type_:
            return [_words_name(owner, tok.doc.text)]  # "the woman's boyfriend stabbed her": the woman
    if low in lex.person_pronouns:
        found = names.person_antecedent(tok)
        desc = _described_subject(tok) if low in ("he", "she", "him") or (low == "her" and tok.dep_ != "poss") else None
        if desc is not None and (found is None or not found[1] or desc.idx > found[0].start):
            return [names.identified(desc) or _words_name(desc, tok.doc.text)]  # "the suspect ... he opened fire"
        ent = found[0] if found is not None else None
    elif low in lex.group_pronouns:
        ent = names.before(tok.idx, _GROUP_LABELS)
    elif low in ("they", "them"):
        group = _described_group(tok)  # "two men robbed a store ... They shot the clerk"
        return [_words_name(group, tok.doc.text)] if group is not None else []
    else:
        return []
    return [names.name(ent)] if ent is not None else []


def _described_subject(tok: Any) -> Any | None:
    """The nearest one person described, not named, as the subject of a clause in the pronoun's sentence
    (before it) or the one before ('the suspect', 'a woman'), not the pronoun's own subject."""
    doc = tok.doc
    sent = tok.sent
    first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    own = child_of(tok.head, "nsubj", "nsubjpass") if tok.dep_ in ("dobj", "pobj", "dative") else None
    for i in range(tok.i - 1, first - 1, -1):
        t = doc[i]
        if t.dep_ not in ("nsubj", "nsubjpass") or (own is not None and t.i == own.i):
            continue
        if (t.pos_ == "NOUN" and t.tag_ == "NN" and not t.ent_type_ and is_people(t)
                and t.lower_ not in _QUANTITY_HEADS and not t.like_num) or is_age_noun(t):
            return t  # "the suspect", "a woman", "a 12-year-old"
    return None


def _described_group(tok: Any) -> Any | None:
    """The nearest people described, not named, in the plural before 'they' (a subject) or 'them' (a subject
    or object) in its sentence or the one before, not the subject of the pronoun's own clause."""
    doc = tok.doc
    sent = tok.sent
    first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    verb = tok.head
    own = {c.i for v in (verb, verb.head if verb.dep_ == "conj" else verb) for c in v.children
           if c.dep_ in ("nsubj", "nsubjpass")}
    roles = ("nsubj", "nsubjpass") if tok.lower_ == "they" else ("nsubj", "nsubjpass", "dobj")
    for i in range(tok.i - 1, first - 1, -1):
        t = doc[i]
        if t.dep_ in roles and t.i not in own and t.tag_ == "NNS" and not t.ent_type_ and is_people(t) \
                and t.lower_ not in _QUANTITY_HEADS and not t.like_num \
                and t.head.lemma_.lower() not in lexicon().reporting_verbs:  # "police said": who tells
            return t
        if t.dep_ in roles and t.tag_ == "NNS" and not is_people(t):
            return None  # "carried the bombs ... before detonating them": things
    return None


def child_of(tok: Any, *deps: str) -> Any | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _full_names(items: list[Entity]) -> tuple[dict[str, str], frozenset[str]]:
    """Surnames told in full, and two- or three-word names the model took for something else that a later
    mention shows to be a person's ('Khairullozhon Matanov' read as an ORG, then 'Matanov' as a PERSON)."""
    single = {e.canonical for e in items if e.label == "PERSON" and " " not in e.canonical}
    full: dict[str, str] = {}
    person_like: set[str] = set()
    for e in items:
        words = e.canonical.split()
        if e.label not in ("PERSON", "ORG") or not 2 <= len(words) <= 3 or words[-1] not in single:
            continue
        if not all(w[:1].isupper() for w in words):
            continue
        full.setdefault(words[-1], e.canonical)
        if e.label != "PERSON":
            person_like.add(e.canonical)
    # a first name alone ('Dzhokhar') where one full name in the article begins with it
    firsts: dict[str, set[str]] = {}
    for e in items:
        words = e.canonical.split()
        if e.label == "PERSON" and 2 <= len(words) <= 3:
            firsts.setdefault(words[0], set()).add(e.canonical)
    for word in single:
        if word not in full and len(firsts.get(word, ())) == 1:
            full[word] = next(iter(firsts[word]))
    return full, frozenset(person_like)


def _words_name(tok: Any, text: str) -> str:
    """The head noun with its compound and adjective modifiers: 'a 9-year-old girl' -> '9-year-old girl'."""
    lex = lexicon()
    keep = [tok]
    for child in tok.lefts:
        if (child.dep_ in ("compound", "amod", "nmod") and child.lower_ not in lex.name_dropped_words) or (
                child.dep_ == "npadvmod" and is_age_noun(tok)):
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
    owner = next((c for c in tok.children if c.dep_ == "poss"), None) if tok.lower_ in lex.own_life_nouns else None
    if owner is not None:
        return role_names(owner, names, text)  # "an attack on his life": him
    if tok.lower_ in lex.negative_roles or (any(c.dep_ == "det" and c.lower_ in lex.negative_roles for c in tok.children)
                                            and (tok.lower_ in _QUANTITY_HEADS or not is_people(tok))):
        return []  # "no one was injured"; but "no suspects had been arrested" names the suspects
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
        named = next((c for c in t.children if c.dep_ == "appos" and c.ent_type_ in ("PERSON", "ORG", "GPE")), None)
        if ent is None and named is None and t.pos_ == "NOUN":
            # "The head of the department at the Hospital de Caracas, Maria Landaeta, called": the parser hangs
            # the name on the last noun of the description; a person named there, not of another person
            named = next((d for d in t.subtree if d.dep_ == "appos" and d.i > t.i and (
                d.ent_type_ == "PERSON" or (d.pos_ == "PROPN" and t.lemma_.lower() in lex.titled_heads))
                          and d.head.ent_type_ != "PERSON" and not (d.head.pos_ == "NOUN" and is_people(d.head))
                          and d.right_edge.i + 1 < len(d.doc) and d.doc[d.right_edge.i + 1].text == ","
                          and d.doc[d.right_edge.i + 1].head.i == d.head.i), None)
        if (ent is None or ent.label == "NORP") and t.dep_ == "appos" and t.pos_ in ("NOUN", "PROPN", "ADJ"):
            # "Salman Abedi, the British-Libyan who carried out the bombing": the one named, not the description
            head_ent = names.at(t.head.idx, t.head.idx + len(t.head))
            if head_ent is not None and names.is_person(head_ent):
                out.append(names.name(head_ent))
                continue
        if ent is None and named is not None and t.pos_ == "NOUN":
            out.extend(role_names(named, names, text))  # "the suspected bombers, Dzhokhar and his brother"
            continue
        if ent is not None and ent.label in _NAME_LABELS:
            if ent.label == "NORP" and t.pos_ == "NOUN":
                out.append(_words_name(t, text))  # "Israeli hostages": the hostages, not the nation
            else:
                out.append(names.name(ent))
            continue
        if (t.ent_type_ in ("DATE", "TIME") and not is_age_noun(t)) or (
                t.ent_type_ in ("CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY") and not t.like_num):
            continue
        with_phrase = [g for c in t.children if c.dep_ == "prep" and c.lower_ == "with"
                       for g in c.children if g.dep_ == "pobj"] if t.lower_ in lex.indefinite_people else []
        if with_phrase:
            out.append(text[t.idx:with_phrase[0].idx + len(with_phrase[0])])  # "anyone with information"
            continue
        known = names.identified(t) if t.pos_ == "NOUN" and any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children) else None
        introduced = known or _introduced_name(t, names)
        if introduced:
            out.append(introduced)
            continue
        name = _words_name(t, text)
        if name:
            out.append(name)
    seen: set[str] = set()
    return [n for n in out if not (n in seen or seen.add(n))]  # type: ignore[func-returns-value]


def _introduced_name(tok: Any, names: Names) -> str | None:
    """A lead's indefinite description named in the next sentence: 'A citizen of Kyrgyzstan pleaded not
    guilty ... Khairullozhon Matanov, 23, faces ...' (the name opens the next sentence with an apposition)."""
    if tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children) \
            or not is_people(tok) or tok.like_num or tok.lower_ in _QUANTITY_HEADS \
            or tok.lemma_.lower() in lexicon().body_nouns or tok.ent_type_ in ("ORG", "GPE", "NORP"):
        return None  # "A court has convicted a friend of ...": a body, not the person named next
    doc = tok.doc
    sent = tok.sent
    if sent.start > 0 and doc[sent.start - 1].sent.start > 0:
        return None  # only in the first two sentences
    if sent.end >= len(doc):
        return None
    nxt = doc[sent.end].sent
    for t in nxt:
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.i == nxt.root.i:
            ent = names.at(t.idx, t.idx + len(t))
            if ent is not None and names.is_person(ent) and ent.start <= nxt.start_char + 1 \
                    and any(c.dep_ == "appos" for c in t.children):
                return names.name(ent)  # the name opens the sentence: "Luis Mendoza, 45, faces ..."
            if ent is None and t.pos_ == "NOUN" and t.i == nxt.start + 1 and tok.dep_ in ("nsubj", "nsubjpass", "dobj") \
                    and tok.head.dep_ == "ROOT" and any(
                    c.dep_ == "acl" and c.lemma_.lower() in ("identify", "name") for c in t.children):
                return names.identified(t)  # "The suspect, identified as Antonio Taylor, was charged ..."
            return None
    return None


def is_age_noun(tok: Any) -> bool:
    """'the 13-year-old', 'a 16-year-old' standing alone: a person (the parser makes 'old' its head)."""
    return tok.lower_ == "old" and tok.dep_ not in ("amod", "acomp") and any(
        c.dep_ == "npadvmod" and c.lemma_.lower() in ("year", "month", "week") for c in tok.children)


def is_people(tok: Any) -> bool:
    """Whether a role word names people: a name, a group, a personal pronoun or a person noun."""
    if tok.ent_type_ in ("PERSON", "NORP", "ORG", "GPE") or is_age_noun(tok):
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
