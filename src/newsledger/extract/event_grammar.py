"""The grammar events are read with: subjects, objects and passives on a spaCy parse, trigger phrases, and
whether a trigger is used in its event sense (extract/resources/events.json says which words need what)."""

from __future__ import annotations

from typing import Any

from newsledger.extract.event_lexicon import lexicon
from newsledger.extract.event_roles import is_instrument, is_people


def child(tok: Any, *deps: str) -> Any | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def pobjs(tok: Any, preps: frozenset[str] | set[str]) -> list[Any]:
    return [g for c in tok.children if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps
            for g in c.children if g.dep_ == "pobj"]


def is_passive(verb: Any) -> bool:
    for _ in range(4):
        deps = {c.dep_ for c in verb.children}
        if deps & {"auxpass", "nsubjpass"}:
            return True
        if verb.tag_ != "VBN" or any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
            return False
        if verb.dep_ == "acl":
            # "prisoners freed during the truce"; with an object it is a misparsed active verb ("a spate of
            # bombings across Iraq killed 17 people")
            return child(verb, "dobj") is None
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            # "42 were killed and 40 wounded": a bare participle after a number is passive too
            subj = child(verb, "nsubj")
            return subj is not None and subj.like_num
        verb = verb.head
    return False


# a gerund after these has the subject of the verb the phrase is on; not "arrested for shooting", "charged
# with killing", where the one arrested, not the police, did it
_CONTROL_PREPS = frozenset(("after", "before", "while", "since", "upon", "without", "by"))


def subject(verb: Any) -> Any | None:
    """The verb's subject, inherited from the verb it is joined to or is a participle or complement of."""
    lex = lexicon()
    for _ in range(5):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            relative = [c for c in subjects if c.tag_ in ("WP", "WDT")]
            if relative and len(subjects) > 1 and verb.lemma_.lower() in lex.reporting_verbs:
                return relative[0]  # "two men who they say opened fire": the men, not who says so
            subj = subjects[-1]  # the closest: a dateline ("ORLANDO, Fla. - A girl was shot") parses as another
            told = child(subj, "appos")
            if told is not None and subj.text.isupper() and len(subj.text) > 1 and subj.i == subj.sent.start:
                return told  # "KIDRON, Ohio - A 17-year-old boy was shot": the dateline's place holds the boy
            return subj
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return None
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lex.object_control:
            obj = child(verb.head, "dobj") or next(iter(pobjs(verb.head, {"on", "upon"})), None)
            if obj is not None:
                return obj  # "urged Trump to meet", "called on the office to investigate"
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in lex.perception_verbs:
            seen = child(verb.head, "nsubjpass")
            # "witnesses saw a man firing": the man fires; "he is heard urging": he urges
            return seen if seen is not None else child(verb.head, "dobj")
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
            continue
        if verb.dep_ == "xcomp" and verb.head.pos_ == "ADJ" and verb.head.dep_ == "acomp" \
                and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head  # "officers were able to locate and arrest the driver"
            continue
        if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.lower_ in _CONTROL_PREPS \
                and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head  # "carried the bombs ... before detonating them": the carriers detonate
            continue
        return None
    return None


def object_of(verb: Any) -> Any | None:
    obj = child(verb, "dobj", "obj")
    if obj is not None:
        return obj
    # a shared object: "shot and killed one of his friends"
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ == "VERB" and c.i - verb.i <= 3:
            g = child(c, "dobj")
            if g is not None:
                return g
    return None


def negative(tok: Any | None) -> bool:
    if tok is None:
        return False
    words = lexicon().negative_roles
    return tok.lower_ in words or any(c.lower_ in words for c in tok.children if c.dep_ in ("det", "nummod", "amod"))


def phrase(verb: Any) -> tuple[list[Any], tuple[str, str | None]] | None:
    """A verb + particle / object / 'not guilty' that names one action ('took effect', 'opened fire')."""
    lex = lexicon()
    lemma = verb.lemma_.lower()
    for c in verb.children:
        if c.dep_ == "prt" and f"{lemma} {c.lower_}" in lex.phrases:
            return [verb, c], lex.phrases[f"{lemma} {c.lower_}"]
        if c.dep_ in ("dobj", "npadvmod") and f"{lemma} {c.lemma_.lower()}" in lex.phrases:
            return [verb, c], lex.phrases[f"{lemma} {c.lemma_.lower()}"]
        if c.dep_ in ("acomp", "advmod", "oprd") and c.lower_ == "guilty":
            neg = child(verb, "neg") or child(c, "neg")
            key = f"{lemma} not guilty" if neg is not None else f"{lemma} guilty"
            if key in lex.phrases:
                return sorted([verb, c] + ([neg] if neg is not None else []), key=lambda t: t.i), lex.phrases[key]
        if c.dep_ == "prep" and c.lower_ in ("into", "under"):
            for g in c.children:  # "taken into custody", "placed under arrest"
                if g.dep_ == "pobj" and f"{lemma} {c.lower_} {g.lower_}" in lex.phrases:
                    return [verb, c, g], lex.phrases[f"{lemma} {c.lower_} {g.lower_}"]
    return None


def passive_patient(verb: Any, subj: Any | None) -> Any | None:
    """Who a passive verb is done to: its subject, one it shares ('came in 2010 and was granted asylum') or
    the noun a participle hangs on ('prisoners freed during the truce')."""
    if subj is not None and (subj.dep_ == "nsubjpass" or subj.head.i != verb.i):
        return subj
    return verb.head if verb.dep_ == "acl" else None


def sense_ok(verb: Any, lemma: str, obj: Any | None, passive: bool) -> bool:
    """Whether the verb is used in its event sense ('held three hostages', not 'held a stake')."""
    lex = lexicon()
    patient = passive_patient(verb, subject(verb)) if passive else obj
    if lemma == "fire":
        if patient is not None and patient.lower_ in lex.fire_objects:
            return True
        subj = subject(verb)
        # "at least two shooters fired in the back of the venue": people fire without a target named
        return not passive and (bool(pobjs(verb, lex.fire_preps)) or (
            patient is None and subj is not None and is_people(subj)))
    if lemma == "meet" and obj is None:
        withs = pobjs(verb, {"with"})
        if withs and not (is_people(withs[0]) or withs[0].ent_type_ or withs[0].pos_ == "PROPN"):
            return False  # "the proposals met with disapproval": a reception, not a meeting
    if lemma == "plant":
        return patient is not None and is_instrument(patient)  # "planted a bomb", not "planted trees"
    if lemma == "demonstrate":
        return obj is None and child(verb, "ccomp") is None  # "figures demonstrate that ...": shows
    if lemma == "call" and obj is not None:
        return False  # "called 911 for help", "called police": a phone call
    if lemma in lex.request_needs:
        # "asked him to leave", "called for talks"; not "asked who it was" or "asked whether"
        return (child(verb, "xcomp") is not None or any(
                    c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
                    for c in verb.children)
                or bool(pobjs(verb, lex.request_preps.get(lemma, frozenset()))))
    if lex.verbs.get(lemma, ("", None))[0] == "agree":
        comp = child(verb, "xcomp", "ccomp")
        offered = ([obj] if obj is not None else []) + pobjs(verb, {"to", "on", "for"})
        return (comp is not None and comp.lemma_.lower() in lex.verbs) or any(
            t.lemma_.lower() in lex.agree_objects or t.lemma_.lower() in lex.nouns for t in offered)
    if lemma == "blame":
        target = obj if obj is not None else next(iter(pobjs(verb, {"on"})), None)
        return target is not None and (is_people(target) or target.ent_type_ in ("ORG", "GPE", "NORP", "PERSON"))
    if lemma in ("release", "free") and any(
            p.lemma_.lower() in lex.release_from_not for p in pobjs(verb, {"from"})):
        return False  # "released from the hospital"
    if lemma in ("release", "free") and any(
            p.lemma_.lower() in lex.release_from_not for p in pobjs(verb, {"after"})):
        return False  # "he was released after treatment"
    if lemma in ("release", "free") and any(t.lemma_.lower() in lex.release_joined_not for t in (
            [verb.head] if verb.dep_ == "conj" else []) + [c for c in verb.children if c.dep_ == "conj"]):
        return False  # "treated and released"
    if lemma == "insist":
        return bool(pobjs(verb, {"on", "upon"}))  # "insisted it was for Parliament" only states
    if lemma == "threaten":
        # a threat of harm: "threatened to kill", "threatened them"; not "threatening to resign"
        comp = child(verb, "xcomp", "ccomp")
        return obj is not None or (comp is not None and comp.lemma_.lower() in lex.verbs) or \
            bool(pobjs(verb, {"with"}))
    if lemma == "warn":
        return warns_of_own_act(verb)
    if lemma == "order":
        return ordered_content(verb) is not None
    if lemma in lex.people_object:
        if patient is None:
            if lemma == "meet":
                return True
            withs = pobjs(verb, {"with", "to"})
            return bool(withs) and is_people(withs[0])
        things = lex.thing_objects_ok.get(lemma, frozenset())
        if patient.lemma_.lower() in things or patient.lower_ in things:
            return True
        if lemma == "visit" and patient.ent_type_ in ("GPE", "LOC", "FAC"):
            return True
        return is_people(patient) and patient.lower_ not in ("it", "this", "that")
    return True


def ordered_content(verb: Any) -> Any | None:
    """The verb of what an order commands when the lexicon types it: 'ordered Matanov held'."""
    lex = lexicon()
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp", "oprd") and c.lemma_.lower() in lex.verbs \
                and lex.verbs[c.lemma_.lower()][0] in ("coerce", "assault", "retreat", "sanction"):
            return c
    return None


def warns_of_own_act(verb: Any) -> bool:
    """'warned it would mount attacks': the warner is who will act, or what is warned of is violence."""
    lex = lexicon()
    subj = child(verb, "nsubj")
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp"):
            inner = child(c, "nsubj")
            if inner is None or inner.lower_ in lex.self_pronouns:
                return True
            if subj is not None and inner.lower_ == subj.lower_:
                return True
        if c.dep_ == "prep" and c.lower_ == "of":
            return any(g.lemma_.lower() in lex.nouns for g in c.children)
    return False


def physical(tok: Any) -> bool:
    """People, a place or a building: what a violent attack is aimed at."""
    return (is_people(tok) or tok.ent_type_ in ("GPE", "LOC", "FAC", "NORP", "ORG", "PERSON")
            or tok.lemma_.lower() in lexicon().physical_targets)


def event_noun(tok: Any) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and (tok.lemma_.lower() in lexicon().nouns or tok.lower_ in lexicon().nouns)
