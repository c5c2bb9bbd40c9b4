"""Events to the contract (../shared/spec/events.md): verb and noun triggers typed by PLOVER's 16 types, with
actor and recipient by grammar, status, date, place and links to figures, quotes and other events.

Triggers are found by a spaCy Matcher over lemmas (no Python loop over every token); each candidate is then
read off the parse around it. Lexicon and frames: extract/resources/events.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher

from newsledger.extract.event_lexicon import lexicon
from newsledger.extract.event_links import drop_bare_repeats, link_events, link_quotes
from newsledger.extract.event_roles import Names, instrument_agent, is_instrument, is_people, role_names
from newsledger.extract.event_time import Dater, status_of
from newsledger.model import Event

REQUIRES: tuple[str, ...] = ("entities", "dates", "quotes", "figures")
ASSIGNS = "events"

# Children that are other clauses, left out of an event's span ("not the attribution, other clauses").
_OTHER_CLAUSES = frozenset(("ccomp", "advcl", "conj", "parataxis", "cc", "mark", "punct", "relcl", "csubj"))
# A speech act (request, threat ...) spans what was said.
_SPEECH_TYPES = frozenset(("request", "threaten", "accuse", "agree", "reject"))
# Types whose object may be an act or a plan rather than someone: its owner is the recipient.
_VERBAL_TYPES = frozenset(("request", "reject", "accuse", "agree", "support", "concede"))
_matchers: dict[int, Any] = {}


@dataclass
class Candidate:
    """A trigger read off the parse, before it becomes an Event."""

    trigger: list[Any]          # the trigger's tokens ("took effect" -> took, effect)
    clause: Any                 # the token whose clause is the event's span and status
    type: str
    mode: str | None
    noun: bool
    actor: list[str] = field(default_factory=list)
    recipient: list[str] = field(default_factory=list)
    negative: bool = False
    extra: list[Any] = field(default_factory=list)  # merged tokens (violence told in the same clause)


def _matcher(vocab: Any) -> Any:
    m = _matchers.get(id(vocab))
    if m is None:
        lex = lexicon()
        verbs = sorted(set(lex.verbs) | {p.split()[0] for p in lex.phrases})
        nouns = sorted(lex.nouns)
        m = Matcher(vocab)
        m.add("VERB", [[{"POS": "VERB", "LEMMA": {"IN": verbs}}]])
        forms = sorted({n for n in nouns} | {n + "s" for n in nouns} | {n + "es" for n in nouns})
        m.add("NOUN", [[{"POS": {"IN": ["NOUN", "PROPN"]}, "LOWER": {"IN": forms}}],
                       [{"POS": "NOUN", "LEMMA": {"IN": nouns}}],
                       [{"TAG": "VBG", "LOWER": {"IN": forms}}]])
        _matchers[id(vocab)] = m
    return m


def _child(tok: Any, *deps: str) -> Any | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _pobjs(tok: Any, preps: frozenset[str] | set[str]) -> list[Any]:
    return [g for c in tok.children if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps
            for g in c.children if g.dep_ == "pobj"]


def _is_passive(verb: Any) -> bool:
    for _ in range(4):
        deps = {c.dep_ for c in verb.children}
        if deps & {"auxpass", "nsubjpass"}:
            return True
        if verb.tag_ != "VBN" or any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
            return False
        if verb.dep_ == "acl":
            # "prisoners freed during the truce"; with an object it is a misparsed active verb ("a spate of
            # bombings across Iraq killed 17 people")
            return _child(verb, "dobj") is None
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            # "42 were killed and 40 wounded": a bare participle after a number is passive too
            subj = _child(verb, "nsubj")
            return subj is not None and subj.like_num
        verb = verb.head
    return False


def _subject(verb: Any) -> Any | None:
    """The verb's subject, inherited from the verb it is joined to or is a participle or complement of."""
    lex = lexicon()
    for _ in range(5):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            return subjects[-1]  # the closest: a dateline ("ORLANDO, Fla. - A girl was shot") parses as another
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return None
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lex.object_control:
            obj = _child(verb.head, "dobj") or next(iter(_pobjs(verb.head, {"on", "upon"})), None)
            if obj is not None:
                return obj  # "urged Trump to meet", "called on the office to investigate"
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in lex.perception_verbs and \
                _child(verb.head, "nsubjpass") is None:
            return _child(verb.head, "dobj")  # "witnesses saw a man firing": the man fires
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None
    return None


def _object(verb: Any) -> Any | None:
    obj = _child(verb, "dobj", "obj")
    if obj is not None:
        return obj
    # a shared object: "shot and killed one of his friends"
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ == "VERB" and c.i - verb.i <= 3:
            g = _child(c, "dobj")
            if g is not None:
                return g
    return None


def _negative(tok: Any | None) -> bool:
    if tok is None:
        return False
    words = lexicon().negative_roles
    return tok.lower_ in words or any(c.lower_ in words for c in tok.children if c.dep_ in ("det", "nummod", "amod"))


def _phrase(verb: Any) -> tuple[list[Any], tuple[str, str | None]] | None:
    """A verb + particle / object / 'not guilty' that names one action ('took effect', 'opened fire')."""
    lex = lexicon()
    lemma = verb.lemma_.lower()
    for c in verb.children:
        if c.dep_ == "prt" and f"{lemma} {c.lower_}" in lex.phrases:
            return [verb, c], lex.phrases[f"{lemma} {c.lower_}"]
        if c.dep_ in ("dobj", "npadvmod") and f"{lemma} {c.lemma_.lower()}" in lex.phrases:
            return [verb, c], lex.phrases[f"{lemma} {c.lemma_.lower()}"]
        if c.dep_ in ("acomp", "advmod", "oprd") and c.lower_ == "guilty":
            neg = _child(verb, "neg") or _child(c, "neg")
            key = f"{lemma} not guilty" if neg is not None else f"{lemma} guilty"
            if key in lex.phrases:
                return sorted([verb, c] + ([neg] if neg is not None else []), key=lambda t: t.i), lex.phrases[key]
        if c.dep_ == "prep" and c.lower_ == "into":
            for g in c.children:
                if g.dep_ == "pobj" and f"{lemma} into {g.lower_}" in lex.phrases:
                    return [verb, c, g], lex.phrases[f"{lemma} into {g.lower_}"]
    return None


def _passive_patient(verb: Any, subj: Any | None) -> Any | None:
    """Who a passive verb is done to: its subject, one it shares ('came in 2010 and was granted asylum') or
    the noun a participle hangs on ('prisoners freed during the truce')."""
    if subj is not None and (subj.dep_ == "nsubjpass" or subj.head.i != verb.i):
        return subj
    return verb.head if verb.dep_ == "acl" else None


def _sense_ok(verb: Any, lemma: str, obj: Any | None, passive: bool) -> bool:
    """Whether the verb is used in its event sense ('held three hostages', not 'held a stake')."""
    lex = lexicon()
    patient = _passive_patient(verb, _subject(verb)) if passive else obj
    if lemma == "fire":
        if patient is not None and patient.lower_ in lex.fire_objects:
            return True
        return bool(_pobjs(verb, lex.fire_preps)) and not passive
    if lemma == "call" and obj is not None:
        return False  # "called 911 for help", "called police": a phone call
    if lemma in lex.request_needs:
        # "asked him to leave", "called for talks"; not "asked who it was" or "asked whether"
        return (_child(verb, "xcomp") is not None or any(
                    c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
                    for c in verb.children)
                or bool(_pobjs(verb, lex.request_preps.get(lemma, frozenset()))))
    if lex.verbs.get(lemma, ("", None))[0] == "agree":
        comp = _child(verb, "xcomp", "ccomp")
        offered = ([obj] if obj is not None else []) + _pobjs(verb, {"to", "on", "for"})
        return (comp is not None and comp.lemma_.lower() in lex.verbs) or any(
            t.lemma_.lower() in lex.agree_objects or t.lemma_.lower() in lex.nouns for t in offered)
    if lemma == "blame":
        target = obj if obj is not None else next(iter(_pobjs(verb, {"on"})), None)
        return target is not None and (is_people(target) or target.ent_type_ in ("ORG", "GPE", "NORP", "PERSON"))
    if lemma in ("release", "free") and any(
            p.lemma_.lower() in lex.release_from_not for p in _pobjs(verb, {"from"})):
        return False  # "released from the hospital"
    if lemma == "insist":
        return bool(_pobjs(verb, {"on", "upon"}))  # "insisted it was for Parliament" only states
    if lemma == "threaten":
        # a threat of harm: "threatened to kill", "threatened them"; not "threatening to resign"
        comp = _child(verb, "xcomp", "ccomp")
        return obj is not None or (comp is not None and comp.lemma_.lower() in lex.verbs) or \
            bool(_pobjs(verb, {"with"}))
    if lemma == "warn":
        return _warns_of_own_act(verb)
    if lemma == "order":
        return _content(verb) is not None
    if lemma in lex.people_object:
        if patient is None:
            if lemma == "meet":
                return True
            withs = _pobjs(verb, {"with", "to"})
            return bool(withs) and is_people(withs[0])
        things = lex.thing_objects_ok.get(lemma, frozenset())
        if patient.lemma_.lower() in things or patient.lower_ in things:
            return True
        if lemma == "visit" and patient.ent_type_ in ("GPE", "LOC", "FAC"):
            return True
        return is_people(patient) and patient.lower_ not in ("it", "this", "that")
    return True


def _content(verb: Any) -> Any | None:
    """The verb of what an order commands when the lexicon types it: 'ordered Matanov held'."""
    lex = lexicon()
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp", "oprd") and c.lemma_.lower() in lex.verbs \
                and lex.verbs[c.lemma_.lower()][0] in ("coerce", "assault", "retreat", "sanction"):
            return c
    return None


def _warns_of_own_act(verb: Any) -> bool:
    """'warned it would mount attacks': the warner is who will act, or what is warned of is violence."""
    lex = lexicon()
    subj = _child(verb, "nsubj")
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp"):
            inner = _child(c, "nsubj")
            if inner is None or inner.lower_ in lex.self_pronouns:
                return True
            if subj is not None and inner.lower_ == subj.lower_:
                return True
        if c.dep_ == "prep" and c.lower_ == "of":
            return any(g.lemma_.lower() in lex.nouns for g in c.children)
    return False


def _verb_candidate(verb: Any, names: Names, text: str, consumed: set[int]) -> Candidate | None:
    lex = lexicon()
    lemma = verb.lemma_.lower()
    if verb.dep_ in ("amod", "compound", "nmod") or verb.i in consumed:
        return None  # "released Israeli hostages": a modifier
    if verb.tag_ == "VBG" and any(c.dep_ in ("det", "poss") for c in verb.children):
        return None  # "the shooting": read as a noun
    if verb.i > 0 and verb.doc[verb.i - 1].text in ("-", "‑") and verb.doc[verb.i - 1].whitespace_ == "":
        return None  # "non-life threatening", "pro-government": part of a compound word
    found = _phrase(verb)
    if found is not None:
        trigger, (etype, mode) = found
    elif lemma in lex.verbs:
        trigger, (etype, mode) = [verb], lex.verbs[lemma]
    else:
        return None
    obj = _object(verb) if lemma not in lex.intransitive else None
    if lemma == "hold" and any(c.lower_ in lex.state_words for c in verb.children if c.dep_ in ("aux", "auxpass", "advmod")):
        return None  # "58 are still being held": a state, not an event
    if lemma in lex.declining and _child(verb, "neg") is not None:
        return None  # "we're not discussing the investigation": declining to comment
    if verb.dep_ in ("acl", "relcl") and _event_noun(verb.head) and lemma not in lex.violence_verbs:
        return None  # "a suicide attack targeting responders": the noun is the trigger
    if found is None and lemma in lex.light_verbs and obj is not None and obj.lemma_.lower() in lex.nouns:
        return None  # "launched an attack", "held talks": the noun is the trigger
    passive = _is_passive(verb)
    if found is None and not _sense_ok(verb, lemma, obj, passive):
        return None
    if found is not None and f"{lemma} {trigger[1].lower_}" in lex.people_if_object and obj is not None \
            and obj.i not in {t.i for t in trigger} and not is_people(obj):
        return None  # "pulled out a handgun"
    if found is not None and f"{lemma} {trigger[1].lower_}" in lex.people_phrases:
        patient0 = _passive_patient(verb, _subject(verb)) if passive else (obj or next(iter(_pobjs(verb, {"with"})), None))
        if patient0 is None or not is_people(patient0):
            return None  # "the economy picked up speed"
    if lemma == "attack" and obj is not None and not _physical(obj):
        etype, mode = "accuse", None  # "Straw attacked the decision": a verbal attack
    taken = _passive_patient(verb, _subject(verb)) if passive else obj
    if lemma in lex.abduct_people and taken is not None and is_people(taken):
        etype, mode = "assault", "abduct"  # "militants seized 251 people": hostage-taking
    ordered: Any | None = None
    if lemma == "order":
        ordered = _content(verb)
        if ordered is not None:
            etype, mode = lex.verbs[ordered.lemma_.lower()]
            consumed.add(ordered.i)  # "ordered him held" is one event, typed as what it does
    striker = _child(verb, "nsubj")
    if lemma == "strike" and striker is not None and \
            striker.lemma_.lower() in ("worker", "union", "staff", "employee", "teacher", "nurse"):
        etype, mode = "protest", "strike"
    cand = Candidate(trigger=trigger, clause=verb, type=etype, mode=mode, noun=False)
    subj = _subject(verb)
    actor_tok: Any | None = None
    patient: Any | None = None
    if passive:
        patient = _passive_patient(verb, subj)
        agents = _pobjs(verb, {"by"})
        actor_tok = agents[0] if agents else None
    else:
        actor_tok = subj if subj is not None or verb.dep_ != "acl" else verb.head
        patient = obj if found is None or obj is None or obj.i not in {t.i for t in trigger} else None
    if ordered is not None and patient is None:
        patient = _child(ordered, "nsubj", "nsubjpass", "dobj")
    cand.negative = _negative(subj) or _negative(patient)
    # instruments are not recipients: "rounds were fired into the home", "fired six shots"
    if patient is not None and (patient.lower_ in lex.fire_objects or patient.lemma_.lower() in lex.instrument_nouns):
        patient = None
    if patient is None and etype in ("request", "threaten") and not passive:
        comp = _child(verb, "ccomp")
        inner = _child(comp, "nsubj") if comp is not None else None
        if etype == "request" and inner is not None:
            patient = inner  # "will demand that Israel implement the agreement"
        for c in verb.children:
            if etype == "request" and patient is None and c.dep_ == "advcl" and \
                    any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children):
                patient = _child(c, "nsubj")  # "called for Trump to sit down with prisoners"
    if patient is None:
        preps = lex.recipient_preps_by_type.get(etype, frozenset()) | lex.request_preps.get(lemma, frozenset())
        if lemma == "fire":
            preps = lex.fire_preps - {"from"}
        for p in _pobjs(verb, preps):
            if p.ent_type_ in ("DATE", "TIME"):
                continue
            of = _pobjs(p, {"of"})
            if p.lemma_.lower() in ("help", "support", "release", "assistance") and of:
                p = of[0]  # "appealed for the help of Sunni tribes"
            if etype == "request" and not is_people(p) and not (p.head.lower_ in ("on", "upon") and lemma == "call"):
                continue  # "called on the Attorney General's office to investigate" names whom
            patient = p
            break
    # what a violent clause did, told by a joined or participle verb: "exploded near a patrol, killing one
    # soldier and wounding 10 others" is one event
    for c in verb.children:
        if c.dep_ in ("conj", "advcl") and c.pos_ == "VERB" and c.lemma_.lower() in lex.violence_verbs \
                and etype == "assault" and (c.dep_ == "conj" or c.tag_ == "VBG"):
            cand.extra.append(c)
            consumed.add(c.i)
            consumed.update(g.i for g in c.children if g.dep_ == "conj" and g.lemma_.lower() in lex.violence_verbs)
            if patient is None:
                patient = _child(c, "dobj") or (_child(c, "nsubj") if c.dep_ == "conj" and _is_passive(c) else None)
    if actor_tok is not None and actor_tok.lower_ in lex.relative_pronouns and verb.dep_ == "relcl":
        actor_tok = verb.head  # "the attack, which killed three"
    if actor_tok is not None and is_instrument(actor_tok):
        cand.actor = instrument_agent(actor_tok, names, text)
        if not cand.actor:  # "shot by gunfire from the assailants", the from-phrase on the verb
            cand.actor = [n for p in _pobjs(verb, {"from"}) if is_people(p) for n in role_names(p, names, text)]
    elif actor_tok is not None and actor_tok.ent_type_ not in ("FAC", "LOC", "DATE", "TIME") and (
            is_people(actor_tok) or actor_tok.ent_type_ or actor_tok.pos_ == "PROPN"):
        cand.actor = _first_person(actor_tok, names) or role_names(actor_tok, names, text)
    if patient is not None:
        if etype == "request" and patient.lower_ in lex.relative_pronouns:
            patient = None
        if patient is not None and etype in _VERBAL_TYPES and not (
                is_people(patient) or patient.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")):
            # an act, plan or charge: its owner if named there ("rejected Israel's plan", "the Hamas plan"),
            # else nobody
            patient = _child(patient, "poss") or next(
                (c for c in patient.children if c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")),
                None)
        if patient is not None:
            cand.recipient = role_names(patient, names, text)
    return cand


def _physical(tok: Any) -> bool:
    """People, a place or a building: what a violent attack is aimed at."""
    return (is_people(tok) or tok.ent_type_ in ("GPE", "LOC", "FAC", "NORP", "ORG", "PERSON")
            or tok.lemma_.lower() in lexicon().physical_targets)


def _event_noun(tok: Any) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and (tok.lemma_.lower() in lexicon().nouns or tok.lower_ in lexicon().nouns)


def _first_person(tok: Any, names: Names) -> list[str]:
    """'I', 'we' inside a quote: its speaker."""
    if tok.lower_.strip("\"“”'‘’") not in lexicon().first_person:
        return []
    speaker = names.speaker_at(tok.idx + len(tok) - 1)
    return [speaker] if speaker else []


def _noun_candidate(noun: Any, names: Names, text: str, consumed: set[int]) -> Candidate | None:
    lex = lexicon()
    form = noun.lower_
    lemma = noun.lemma_.lower() if noun.lemma_.lower() in lex.nouns else form.rstrip("s")
    if lemma not in lex.nouns:
        lemma = form[:-2] if form.endswith("es") and form[:-2] in lex.nouns else form
    if lemma not in lex.nouns or noun.i in consumed:
        return None
    if noun.pos_ == "VERB" and not any(c.dep_ in ("det", "poss") for c in noun.children):
        return None  # "meeting the criteria": a verb
    if noun.dep_ in ("compound", "amod", "nmod", "poss"):
        return None  # "attack victims", "the truce agreement"
    if noun.dep_ == "pobj" and noun.head.lower_ in ("with", "of", "for") and \
            noun.head.head.lemma_.lower() in lex.charge_frames:
        return None  # "charged with attempted murder": the crime charged, not another event
    if noun.dep_ in ("conj", "appos"):
        first = noun.head
        while first.dep_ in ("conj", "appos") and first.head.i != first.i:
            first = first.head
        if (first.dep_ == "pobj" and first.head.lower_ in ("with", "of", "for", "on")
                and first.head.head.lemma_.lower() in lex.charge_frames) or first.lemma_.lower() in lex.charge_frames:
            return None  # "... attempted murder, aggravated assault and conspiracy"
    plural = noun.tag_ in ("NNS", "NNPS") or form.endswith("s")
    if lemma in lex.plural_senses and not plural:
        return None
    needs = lex.noun_needs_people.get(lemma)
    if needs is not None:
        objs = _pobjs(noun, needs)
        if not objs or not (is_people(objs[0]) or (lemma == "exchange" and objs)):
            return None
    etype, mode = lex.nouns[lemma]
    head = noun.head
    clause = noun
    # an attack noun in the subject or a 'by/in' phrase of a violence verb is one event with that verb
    up = noun
    for _ in range(4):
        if up.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ in ("acl", "relcl") and c.lemma_.lower() in lex.violence_verbs and c.lemma_.lower() in lex.verbs
                for c in up.children):
            return None  # "the April 15 attack, which killed three": one event, the verb's
        if up.dep_ in ("nsubj", "nsubjpass") or (up.dep_ == "pobj" and up.head.lower_ in lex.merging_preps):
            gov = up.head if up.dep_ != "pobj" else up.head.head
            if gov.pos_ == "VERB" and gov.lemma_.lower() in lex.violence_verbs and gov.lemma_.lower() in lex.verbs:
                return None
            break
        if up.dep_ in ("pobj", "prep", "conj", "appos") and up.head.i != up.i:
            up = up.head
            continue
        break
    cand = Candidate(trigger=[noun], clause=noun, type=etype, mode=mode, noun=True)
    actor: list[str] = []
    recipient: list[str] = []
    poss = _child(noun, "poss")
    if poss is not None:
        if lemma in lex.possessor_is_recipient:
            recipient = role_names(poss, names, text)
        else:
            actor = role_names(poss, names, text)
    if not actor:
        actor = [n for p in _pobjs(noun, lex.actor_preps) for n in role_names(p, names, text)
                 if is_people(p)]
    if not actor:
        for c in noun.children:
            if c.dep_ in ("compound", "amod") and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON"):
                actor = role_names(c, names, text)[:1]
    rec_preps = set(lex.recipient_preps_by_type.get(etype, frozenset()))
    if lemma == "exchange":
        rec_preps = {"for", "of"}
    elif lemma in ("release", "execution", "arrest", "detention", "extradition", "expulsion"):
        rec_preps |= {"of"}
    if not recipient:
        for p in _pobjs(noun, rec_preps):
            if p.ent_type_ not in ("DATE", "TIME"):
                recipient = role_names(p, names, text)
                break
    if lemma in lex.two_sided and not actor:
        pass
    # the clause a light verb or a consequence verb lends: "launched attacks on", "the attacks left nine dead"
    if noun.dep_ == "dobj" and head.lemma_.lower() in lex.light_verbs:
        clause = head
        subj = _subject(head)
        if not actor and subj is not None and not is_instrument(subj):
            actor = _first_person(subj, names) or role_names(subj, names, text)
    elif noun.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in lex.consequence_verbs:
        clause = head
        if not recipient:
            obj = _child(head, "dobj")
            if obj is not None:
                recipient = role_names(obj, names, text)
    elif (lemma in lex.possessor_is_recipient or lemma == "charge") and etype in ("accuse", "sanction") \
            and not recipient:
        # "pleaded not guilty to charges", "awaiting trial on charges": the one charged is the subject
        gov = noun.head
        for _ in range(4):
            if gov.pos_ in ("VERB", "AUX") or gov.head.i == gov.i:
                break
            gov = gov.head
        if gov.pos_ in ("VERB", "AUX"):
            subj = _subject(gov)
            if subj is not None and is_people(subj):
                recipient = role_names(subj, names, text)
    # one event for an attack and what it did in its clause: a participle "killing 15 soldiers" joins it
    for c in clause.children:
        if c.dep_ == "advcl" and c.tag_ == "VBG" and c.lemma_.lower() in lex.violence_verbs and etype == "assault":
            cand.extra.append(c)
            consumed.add(c.i)
            if not recipient:
                obj = _child(c, "dobj")
                if obj is not None:
                    recipient = role_names(obj, names, text)
    if not recipient:
        # "a suicide attack targeting emergency responders": the participle tells whom
        for c in noun.children:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and c.lemma_.lower() in lex.verbs:
                obj = _child(c, "dobj")
                if obj is not None:
                    recipient = role_names(obj, names, text)
                    break
    cand.clause = clause
    cand.actor, cand.recipient = actor, recipient
    cand.negative = any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children)
    return cand


def _span(cand: Candidate) -> tuple[int, int]:
    """The event's clause: the trigger with its roles, time and place phrases, not other clauses (a
    speech act keeps what was said)."""
    clause = cand.clause
    keep_content = cand.type in _SPEECH_TYPES
    lo, hi = min(t.i for t in cand.trigger), max(t.i for t in cand.trigger)
    for c in clause.children:
        if c.dep_ in _OTHER_CLAUSES and not (keep_content and c.dep_ == "ccomp"):
            if c.dep_ == "relcl" and cand.noun and clause.i == cand.trigger[0].i:
                continue
            if c.dep_ not in ("advcl", "conj") or not any(x.i == c.i for x in cand.extra):
                continue
        lo, hi = min(lo, c.left_edge.i), max(hi, c.right_edge.i)
    lo, hi = min(lo, clause.i), max(hi, clause.i)
    if not cand.noun and clause.dep_ in ("relcl", "acl") and _event_noun(clause.head):
        lo = min(lo, clause.head.left_edge.i)  # the attack the clause tells of is part of the event
    doc = clause.doc
    first = cand.trigger[0].i
    for t in doc[lo:hi + 1]:
        # a trailing relative clause on a noun inside the span is another clause
        if t.dep_ == "relcl" and t.left_edge.i > first and t.right_edge.i >= hi and t.i != clause.i:
            hi = t.left_edge.i - 1
            break
    while hi > lo and (doc[hi].is_punct or doc[hi].dep_ == "cc"):
        hi -= 1
    while lo < hi and (doc[lo].is_punct or doc[lo].dep_ in ("cc", "mark")):
        lo += 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


def extract(ctx: Any) -> list[Event]:
    """Events in text order."""
    doc = ctx.doc
    text: str = ctx.article.text
    result = ctx.result
    quotes = list(getattr(result, "quotes", None) or [])
    names = Names(list(getattr(result, "entities", None) or []),
                  [(q.start, q.end) for q in quotes if q.kind != "indirect"],
                  [(q.start, q.end, q.speaker) for q in quotes])
    dater = Dater(doc, list(getattr(result, "dates", None) or []))
    consumed: set[int] = set()
    cands: list[Candidate] = []
    matches = sorted({start: label for label, start, _ in
                      ((doc.vocab.strings[m], s, e) for m, s, e in _matcher(doc.vocab)(doc))}.items())
    # verbs first: a verb consumes the participles and content verbs it stands for
    for i, label in matches:
        tok = doc[i]
        c = _verb_candidate(tok, names, text, consumed) if label == "VERB" else None
        if c is not None:
            cands.append(c)
    for i, label in matches:
        tok = doc[i]
        if label != "VERB" or (tok.tag_ == "VBG" and any(c.dep_ in ("det", "poss") for c in tok.children)):
            c = _noun_candidate(tok, names, text, consumed)
            if c is not None:
                cands.append(c)
    cands = [c for c in cands if not any(t.i in consumed for t in c.trigger)]
    cands.sort(key=lambda c: c.trigger[0].i)
    events: list[Event] = []
    for c in cands:
        start, end = _span(c)
        first, last = c.trigger[0], c.trigger[-1]
        t0, t1 = first.idx, last.idx + len(last)
        trigger = text[t0:t1] if t1 - t0 <= sum(len(t) + 1 for t in c.trigger) else \
            " ".join(t.text for t in c.trigger)
        when = dater.date_of(first, c.clause, c.noun)
        events.append(Event(
            start=start, end=end, trigger=trigger, trigger_start=t0, type=c.type, mode=c.mode,  # type: ignore[arg-type]
            actor=c.actor, recipient=c.recipient, date=when.value, end_date=when.end, date_text=when.text,
            status=status_of(c.clause, c.negative), text=text[start:end]))  # type: ignore[arg-type]
    link_events(ctx, events, cands, quotes)
    events, cands = drop_bare_repeats(events, cands)
    link_quotes(events, quotes)
    return events

