"""Events to the contract (../shared/spec/events.md): verb and noun triggers typed by PLOVER's 16 types, with
actor and recipient by grammar, status, date, place and links to figures, quotes and other events.

Triggers are found by a spaCy Matcher over lemmas (no Python loop over every token); each candidate is then
read off the parse around it. Lexicon and frames: extract/resources/events.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher

from newsledger.extract.event_grammar import (
    child,
    event_noun,
    is_passive,
    negative,
    object_of,
    ordered_content,
    passive_patient,
    phrase,
    physical,
    pobjs,
    sense_ok,
    subject,
)
from newsledger.extract.event_lexicon import lexicon
from newsledger.extract.event_links import drop_bare_repeats, link_events, link_quotes
from newsledger.extract.event_roles import (
    Names,
    instrument_agent,
    is_age_noun,
    is_instrument,
    is_people,
    role_names,
)
from newsledger.extract.event_time import Dater, shift, status_of
from newsledger.model import Event

REQUIRES: tuple[str, ...] = ("entities", "dates", "quotes", "figures")
ASSIGNS = "events"

# Children that are other clauses, left out of an event's span ("not the attribution, other clauses").
_OTHER_CLAUSES = frozenset(("ccomp", "advcl", "conj", "parataxis", "cc", "mark", "punct", "relcl", "csubj"))
# A speech act (request, threat ...) spans what was said.
_SPEECH_TYPES = frozenset(("request", "threaten", "accuse", "agree", "reject"))
# Types whose object may be an act or a plan rather than someone: its owner is the recipient.
_VERBAL_TYPES = frozenset(("request", "reject", "accuse", "agree", "support", "concede", "threaten"))
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


_NOUN_DEPS = frozenset(("nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "compound", "conj"))


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


def _verb_candidate(verb: Any, names: Names, text: str, consumed: set[int]) -> Candidate | None:
    lex = lexicon()
    lemma = verb.lemma_.lower()
    if verb.dep_ in ("amod", "compound", "nmod") or verb.i in consumed:
        return None  # "released Israeli hostages": a modifier
    if verb.tag_ == "VBG" and any(c.dep_ in ("det", "poss") for c in verb.children):
        return None  # "the shooting": read as a noun
    if verb.dep_ == "pcomp" and verb.head.lower_ in ("with", "of", "for") and \
            verb.head.head.lemma_.lower() in lex.charge_frames:
        return None  # "1 count of shooting into an occupied dwelling": the crime charged, as for nouns
    if verb.i > 0 and verb.doc[verb.i - 1].text in ("-", "‑") and verb.doc[verb.i - 1].whitespace_ == "":
        return None  # "non-life threatening", "pro-government": part of a compound word
    found = phrase(verb)
    if found is not None:
        trigger, (etype, mode) = found
    elif lemma in lex.verbs:
        trigger, (etype, mode) = [verb], lex.verbs[lemma]
    else:
        return None
    obj = object_of(verb) if lemma not in lex.intransitive else None
    if lemma == "hold" and any(c.lower_ in lex.state_words for c in verb.children if c.dep_ in ("aux", "auxpass", "advmod")):
        return None  # "58 are still being held": a state, not an event
    if lemma in lex.declining and child(verb, "neg") is not None:
        return None  # "we're not discussing the investigation": declining to comment
    if verb.dep_ in ("acl", "relcl") and event_noun(verb.head) and lemma not in lex.violence_verbs:
        return None  # "a suicide attack targeting responders": the noun is the trigger
    if found is None and lemma in lex.light_verbs and obj is not None and obj.lemma_.lower() in lex.nouns:
        return None  # "launched an attack", "held talks": the noun is the trigger
    passive = is_passive(verb)
    if found is None and not sense_ok(verb, lemma, obj, passive):
        return None
    if found is not None and f"{lemma} {trigger[1].lower_}" in lex.people_if_object and obj is not None \
            and obj.i not in {t.i for t in trigger} and not is_people(obj):
        return None  # "pulled out a handgun"
    if found is not None and f"{lemma} {trigger[1].lower_}" in lex.people_phrases:
        patient0 = passive_patient(verb, subject(verb)) if passive else (obj or next(iter(pobjs(verb, {"with"})), None))
        if patient0 is None or not is_people(patient0):
            return None  # "the economy picked up speed"
    if lemma == "attack" and obj is not None and not physical(obj):
        etype, mode = "accuse", None  # "Straw attacked the decision": a verbal attack
    taken = passive_patient(verb, subject(verb)) if passive else obj
    if lemma in lex.abduct_people and taken is not None and is_people(taken):
        etype, mode = "assault", "abduct"  # "militants seized 251 people": hostage-taking
    ordered: Any | None = None
    if lemma == "order":
        ordered = ordered_content(verb)
        if ordered is not None:
            etype, mode = lex.verbs[ordered.lemma_.lower()]
            consumed.add(ordered.i)  # "ordered him held" is one event, typed as what it does
    striker = child(verb, "nsubj")
    if lemma == "strike" and striker is not None and striker.lemma_.lower() in lex.strikers:
        etype, mode = "protest", "strike"
    cand = Candidate(trigger=trigger, clause=verb, type=etype, mode=mode, noun=False)
    consumed.update(t.i for t in trigger if t.i != verb.i)  # "placed under arrest": one event, not two
    subj = subject(verb)
    actor_tok: Any | None = None
    patient: Any | None = None
    fought: list[str] = []
    if passive:
        patient = passive_patient(verb, subj)
        agents = pobjs(verb, {"by"}) or [a for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBN"
                                         and c.lemma_.lower() in lex.violence_verbs for a in pobjs(c, {"by"})]
        if not agents and lemma in lex.violence_verbs:
            # "shot in the back by a drunken passenger": the parser hangs the by-agent on the body part
            agents = [a for p in pobjs(verb, {"in"}) for a in pobjs(p, {"by"}) if is_people(a)]
        actor_tok = agents[0] if agents else None  # "was shot and killed by a gunman": the agent of both
        if actor_tok is None and lemma in lex.violence_verbs:
            # "killed in a gun battle with police": the other side of the fight
            fought = [n for p in pobjs(verb, {"in", "during"}) if p.lemma_.lower() in lex.two_sided
                      for w in pobjs(p, {"with"}) for n in role_names(w, names, text)]
    else:
        actor_tok = subj if subj is not None or verb.dep_ != "acl" else verb.head
        patient = obj if found is None or obj is None or obj.i not in {t.i for t in trigger} else None
    if ordered is not None and patient is None:
        patient = child(ordered, "nsubj", "nsubjpass", "dobj")
    cand.negative = negative(subj) or negative(patient)
    # instruments are not recipients: "rounds were fired into the home", "fired six shots"
    if patient is not None and (patient.lower_ in lex.fire_objects or patient.lemma_.lower() in lex.instrument_nouns):
        patient = None
    if patient is None and etype in ("request", "threaten") and not passive:
        comp = child(verb, "ccomp")
        inner = child(comp, "nsubj") if comp is not None else None
        if etype == "request" and inner is not None:
            patient = inner  # "will demand that Israel implement the agreement"
        for c in verb.children:
            if etype == "request" and patient is None and c.dep_ == "advcl" and \
                    any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children):
                patient = child(c, "nsubj")  # "called for Trump to sit down with prisoners"
    if patient is None and lemma not in lex.placing_verbs:  # "planted a bomb on West 27th Street": where
        preps = lex.recipient_preps_by_type.get(etype, frozenset()) | lex.request_preps.get(lemma, frozenset())
        if lemma == "fire":
            preps = lex.fire_preps - {"from"}
        for p in pobjs(verb, preps):
            if p.ent_type_ in ("DATE", "TIME") or p.lemma_.lower() in lex.open_places:
                continue
            of = pobjs(p, {"of"})
            owner = child(p, "poss")
            if p.lemma_.lower() in ("help", "support", "release", "assistance") and (of or owner is not None):
                p = of[0] if of else owner  # "appealed for the help of Sunni tribes", "asked for the public's help"
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
            if patient is None or (found is not None and patient.lower_ in lex.reflexive_pronouns):
                # "blew himself up, killing six soldiers": the soldiers, not the bomber
                patient = child(c, "dobj") or (child(c, "nsubj") if c.dep_ == "conj" and is_passive(c) else patient)
    if actor_tok is not None and actor_tok.lower_ in lex.relative_pronouns and verb.dep_ == "relcl":
        actor_tok = verb.head  # "the attack, which killed three"
    if actor_tok is not None and is_instrument(actor_tok):
        cand.actor = instrument_agent(actor_tok, names, text)
        # "a pipe bomb planted by Rahimi went off": the planting told as the bomb's modifier is this event
        consumed.update(c.i for c in actor_tok.children if c.dep_ == "acl" and c.lemma_.lower() in lex.placing_verbs)
        if not cand.actor:  # "shot by gunfire from the assailants", the from-phrase on the verb
            cand.actor = [n for p in pobjs(verb, {"from"}) if is_people(p) for n in role_names(p, names, text)]
    elif actor_tok is not None and (actor_tok.ent_type_ not in ("FAC", "LOC", "DATE", "TIME") or is_age_noun(actor_tok)) and (
            is_people(actor_tok) or actor_tok.ent_type_ or actor_tok.pos_ == "PROPN" or actor_tok.lower_ == "it"
            or actor_tok.lemma_.lower() in lex.titled_heads):
        # "it": only where it points to a speaking body ("the army said it killed two militants")
        cand.actor = _first_person(actor_tok, names) or role_names(actor_tok, names, text)
    if fought and not cand.actor:
        cand.actor = fought
    if not cand.actor and (passive or verb.tag_ == "VBN") and lemma in lex.violence_verbs:
        # "killed in IS attacks", "those injured in today's Taliban attack": the doer the attack noun names
        cand.actor = [n for p in pobjs(verb, {"in"}) if lex.nouns.get(p.lemma_.lower(), ("", None))[0] == "assault"
                      and p.lemma_.lower() not in lex.two_sided for n in instrument_agent(p, names, text)]
    if patient is not None:
        if etype == "request" and patient.lower_ in lex.relative_pronouns:
            patient = None
        if patient is not None and etype in _VERBAL_TYPES and not (
                is_people(patient) or patient.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")
                or (patient.text[:1].isupper() and patient.i != patient.sent.start and not patient.ent_type_)):
            # (a capitalised word the tagger missed as a name is someone: "the Tories accuse Labour")
            # an act, plan or charge: its owner if named there ("rejected Israel's plan", "the Hamas plan"),
            # else nobody
            patient = child(patient, "poss") or next(
                (c for c in patient.children if c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")),
                None)
        if patient is not None and patient.lower_ in lex.reflexive_pronouns:
            cand.recipient = list(cand.actor)  # "shot himself": the actor is done to
        elif patient is not None:
            cand.recipient = role_names(patient, names, text)
    return cand


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
    if noun.pos_ == "PROPN" and noun.ent_type_ in lex.name_not_event_labels:
        return None  # "the Air Force Office of Special Investigations": a name
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
        objs = pobjs(noun, needs)
        if not objs or not (is_people(objs[0]) or (lemma == "exchange" and objs)):
            return None
    etype, mode = lex.nouns[lemma]
    if lemma == "strike" and any(c.dep_ in ("compound", "amod", "poss") and c.lemma_.lower() in lex.strikers
                                 for c in noun.children):
        etype, mode = "protest", "strike"  # "a general strike", "the workers' strike"
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
    poss = child(noun, "poss")
    if poss is not None and poss.ent_type_ not in ("DATE", "TIME"):  # "today's Taliban attack": when, not who
        if lemma in lex.possessor_is_recipient:
            recipient = role_names(poss, names, text)
        else:
            actor = role_names(poss, names, text)
    if not actor:
        actor = [n for p in pobjs(noun, lex.actor_preps) for n in role_names(p, names, text)
                 if is_people(p)]
    if not actor:
        for c in noun.children:
            if c.ent_type_ in ("GPE", "LOC", "FAC") and lemma not in lex.state_act_nouns:
                continue  # "a Chicago shooting", "the U.S. mass shooting": where, not who
            if c.dep_ in ("compound", "amod") and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON"):
                # "the Israeli strike on Rafah": Israel
                demonym = lex.actor_demonyms.get(c.lower_) if c.pos_ == "ADJ" or c.ent_type_ == "NORP" else None
                actor = [demonym] if demonym else role_names(c, names, text)[:1]
    rec_preps = set(lex.recipient_preps_by_type.get(etype, frozenset()))
    if lemma == "exchange":
        rec_preps = {"for", "of"}
    elif lemma in ("release", "execution", "arrest", "detention", "extradition", "expulsion"):
        rec_preps |= {"of"}
    rec_preps |= lex.noun_recipient_preps_by_type.get(etype, frozenset())
    if not recipient:
        for p in pobjs(noun, rec_preps):
            if p.ent_type_ in ("DATE", "TIME") or (p.head.lower_ == "at" and not is_people(p)):
                continue  # "a shooting at Kellys Ferry Road", "at an apartment complex": the place
            if p.head.lower_ == "of" and (is_instrument(p) or p.like_num):
                continue  # "a barrage of rockets", "the attack of 2001": not whom it was done to
            recipient = role_names(p, names, text)
            break
    if lemma in lex.two_sided and etype == "assault":
        # "died after a gunfight with police": both sides act, the one the clause is about and the other
        others = [n for p in pobjs(noun, {"with", "between"}) for n in role_names(p, names, text)]
        if others and not actor:
            gov = noun
            for _ in range(4):
                if gov.head.i == gov.i or gov.dep_ not in ("pobj", "prep", "dobj"):
                    break
                gov = gov.head
            subj = subject(gov) if gov.pos_ in ("VERB", "AUX") else None
            if subj is not None and is_people(subj) and not is_instrument(subj):
                actor = role_names(subj, names, text)
        actor = actor + [n for n in others if n not in actor]
        recipient = [n for n in recipient if n not in actor]
    # the clause a light verb or a consequence verb lends: "launched attacks on", "the attacks left nine dead"
    if noun.dep_ == "dobj" and head.lemma_.lower() in lex.light_verbs:
        clause = head
        subj = subject(head)
        if head.lemma_.lower() in lex.undergoer_verbs and (lemma in lex.possessor_is_recipient or lemma == "charge"):
            if not recipient and subj is not None and is_people(subj):
                recipient = role_names(subj, names, text)  # "he now faces serious charges": he is charged
        elif not actor and subj is not None and not is_instrument(subj):
            actor = _first_person(subj, names) or role_names(subj, names, text)
    elif noun.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in lex.consequence_verbs:
        clause = head
        if not recipient:
            obj = child(head, "dobj")
            if obj is not None:
                recipient = role_names(obj, names, text)
    elif (lemma in lex.possessor_is_recipient or lemma == "charge") and etype in ("accuse", "sanction") \
            and not recipient:
        # "pleaded not guilty to charges", "awaiting trial on charges": the one charged is the subject
        gov = noun.head
        for _ in range(6):
            if gov.pos_ in ("VERB", "AUX"):
                against = pobjs(gov, {"against"})
                if against:  # "no charges will be filed against a 13-year-old boy"
                    recipient = role_names(against[0], names, text)
                    break
                held = child(gov, "dobj")
                if held is not None and held.i != noun.i and is_people(held) and \
                        lex.verbs.get(gov.lemma_.lower(), ("", None))[0] in ("coerce", "sanction", "accuse"):
                    recipient = role_names(held, names, text)  # "arrested Brooks on robbery charges"
                    break
                subj = subject(gov)
                # a place is not charged: "a prison west of Boston awaiting trial" misparses Boston; past a
                # participle only, not up to the clause that reports it
                if subj is not None and is_people(subj) and subj.ent_type_ not in ("GPE", "LOC", "FAC"):
                    recipient = role_names(subj, names, text)
                    break
                if gov.tag_ not in ("VBG", "VBN"):
                    break
            if gov.head.i == gov.i:
                break
            gov = gov.head
    # one event for an attack and what it did in its clause: a participle "killing 15 soldiers" joins it
    for c in clause.children:
        if c.dep_ == "advcl" and c.tag_ == "VBG" and c.lemma_.lower() in lex.violence_verbs and etype == "assault":
            cand.extra.append(c)
            consumed.add(c.i)
            if not recipient:
                obj = child(c, "dobj")
                if obj is not None:
                    recipient = role_names(obj, names, text)
    if not recipient:
        # "a suicide attack targeting emergency responders": the participle tells whom
        for c in noun.children:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" and c.lemma_.lower() in lex.verbs:
                obj = child(c, "dobj")
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
    if not cand.noun and clause.dep_ in ("relcl", "acl") and event_noun(clause.head):
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


def _anchored_dates(events: list[Event], cands: list[Candidate], dater: Dater) -> None:
    """Dates counted from another event ('a gunfight with police three days after the bombing'): the day of
    the article's first event of that noun (else of its type) dated to the day, moved by the days told."""
    lex = lexicon()
    for e, c in zip(events, cands, strict=True):
        if e.date is not None:
            continue
        found = dater.anchor(c.trigger[0], c.clause, c.noun)
        if found is None:
            continue
        noun, days, written = found
        kind = lex.nouns.get(noun.lemma_.lower(), ("", None))[0]
        stem = noun.lemma_.lower()[:5]
        dated = [(o, oc) for o, oc in zip(events, cands, strict=True) if o is not e and o.date is not None
                 and len(o.date) == 10 and o.status == "happened" and o.type == kind]
        same = [o for o, oc in dated if oc.trigger[0].lemma_.lower()[:5] == stem]
        sources = [o.date for o in same or [o for o, _ in dated] if o.date is not None]
        if sources:
            e.date = shift(sources[0], days)
            e.date_text = written


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
    labels: dict[int, set[str]] = {}
    for m, s, _ in _matcher(doc.vocab)(doc):
        labels.setdefault(s, set()).add(doc.vocab.strings[m])
    # a gerund matches both: a verb where it stands as one ("fled after shooting two people"), a noun where it
    # stands as a noun ("shooting erupted", "after the shooting")
    matches = sorted((s, next(iter(ls)) if len(ls) == 1 else "NOUN" if doc[s].dep_ in _NOUN_DEPS else "VERB")
                     for s, ls in labels.items())
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
    cands = [c for c in cands if c.trigger[0].i not in consumed]
    cands.sort(key=lambda c: c.trigger[0].i)
    events: list[Event] = []
    for c in cands:
        start, end = _span(c)
        first, last = c.trigger[0], c.trigger[-1]
        t0, t1 = first.idx, last.idx + len(last)
        trigger = text[t0:t1] if t1 - t0 <= sum(len(t) + 1 for t in c.trigger) else \
            " ".join(t.text for t in c.trigger)
        # the verbs an event stands for date it too: "shot and killed by a gunman late Friday night"
        when = dater.date_of(first, c.clause, c.noun, tuple(t for t in c.trigger[1:] if t.i != c.clause.i)
                             + tuple(c.extra))
        events.append(Event(
            start=start, end=end, trigger=trigger, trigger_start=t0, type=c.type, mode=c.mode,  # type: ignore[arg-type]
            actor=c.actor, recipient=c.recipient, date=when.value, end_date=when.end, date_text=when.text,
            status=status_of(c.clause, c.negative), text=text[start:end]))  # type: ignore[arg-type]
    _anchored_dates(events, cands, dater)
    link_events(ctx, events, cands, quotes)
    events, cands = drop_bare_repeats(events, cands)
    link_quotes(events, quotes)
    return events

