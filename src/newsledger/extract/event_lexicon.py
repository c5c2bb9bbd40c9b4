"""The events lexicon (extract/resources/events.json) as typed, frozen look-up tables, read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsledger.extract.lexicons import load_resource

TypeMode = tuple[str, str | None]


@dataclass(frozen=True)
class EventLexicon:
    verbs: dict[str, TypeMode]
    phrases: dict[str, TypeMode]
    nouns: dict[str, TypeMode]
    noun_needs_people: dict[str, frozenset[str]]
    plural_senses: frozenset[str]
    light_verbs: frozenset[str]
    charge_frames: frozenset[str]
    perception_verbs: frozenset[str]
    violence_verbs: frozenset[str]
    consequence_verbs: frozenset[str]
    instrument_nouns: frozenset[str]
    people_object: frozenset[str]
    people_phrases: frozenset[str]
    people_if_object: frozenset[str]
    agree_objects: frozenset[str]
    release_from_not: frozenset[str]
    abduct_people: frozenset[str]
    physical_targets: frozenset[str]
    intransitive: frozenset[str]
    state_words: frozenset[str]
    declining: frozenset[str]
    reporting_verbs: frozenset[str]
    thing_objects_ok: dict[str, frozenset[str]]
    fire_objects: frozenset[str]
    fire_preps: frozenset[str]
    request_needs: frozenset[str]
    request_preps: dict[str, frozenset[str]]
    self_pronouns: frozenset[str]
    reflexive_pronouns: frozenset[str]
    titled_heads: frozenset[str]
    ongoing_processes: frozenset[str]
    content_status: dict[str, str]
    content_holders: frozenset[str]
    object_control: frozenset[str]
    future_aux: frozenset[str]
    modal_aux: frozenset[str]
    hypothetical_marks: frozenset[str]
    negations: frozenset[str]
    negative_roles: frozenset[str]
    recipient_preps_by_type: dict[str, frozenset[str]]
    two_sided: frozenset[str]
    place_preps: frozenset[str]
    actor_preps: frozenset[str]
    person_pronouns: frozenset[str]
    first_person: frozenset[str]
    possessor_is_recipient: frozenset[str]
    merging_preps: frozenset[str]
    group_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    people_nouns: frozenset[str]
    not_people: frozenset[str]
    body_nouns: frozenset[str]
    placing_verbs: frozenset[str]
    name_dropped_deps: frozenset[str]
    name_dropped_words: frozenset[str]
    day_parts: frozenset[str]
    day_units: dict[str, int]
    strikers: frozenset[str]
    actor_demonyms: dict[str, str]
    state_act_nouns: frozenset[str]
    subject_status: dict[str, str]
    own_life_nouns: frozenset[str]
    noun_recipient_preps_by_type: dict[str, frozenset[str]]
    undergoer_verbs: frozenset[str]
    indefinite_people: frozenset[str]
    open_places: frozenset[str]
    release_joined_not: frozenset[str]
    name_not_event_labels: frozenset[str]


def _pairs(raw: dict[str, list[str | None]]) -> dict[str, TypeMode]:
    return {k: (str(v[0]), v[1]) for k, v in raw.items()}


def _sets(raw: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def lexicon() -> EventLexicon:
    r = load_resource("events.json")
    return EventLexicon(
        verbs=_pairs(r["verbs"]), phrases=_pairs(r["phrases"]), nouns=_pairs(r["nouns"]),
        noun_needs_people=_sets(r["noun_needs_people"]), plural_senses=frozenset(r["plural_senses"]),
        light_verbs=frozenset(r["light_verbs"]), charge_frames=frozenset(r["charge_frames"]),
        perception_verbs=frozenset(r["perception_verbs"]), violence_verbs=frozenset(r["violence_verbs"]),
        consequence_verbs=frozenset(r["consequence_verbs"]), instrument_nouns=frozenset(r["instrument_nouns"]),
        people_object=frozenset(r["people_object"]), people_phrases=frozenset(r["people_phrases"]), people_if_object=frozenset(r["people_if_object"]),
        agree_objects=frozenset(r["agree_objects"]), release_from_not=frozenset(r["release_from_not"]), abduct_people=frozenset(r["abduct_people"]),
        physical_targets=frozenset(r["physical_targets"]), intransitive=frozenset(r["intransitive"]),
        state_words=frozenset(r["state_words"]), declining=frozenset(r["declining"]),
        reporting_verbs=frozenset(r["reporting_verbs"]), thing_objects_ok=_sets(r["thing_objects_ok"]),
        fire_objects=frozenset(r["fire_objects"]), fire_preps=frozenset(r["fire_preps"]),
        request_needs=frozenset(r["request_needs"]), request_preps=_sets(r["request_preps"]),
        self_pronouns=frozenset(r["self_pronouns"]), reflexive_pronouns=frozenset(r["reflexive_pronouns"]), titled_heads=frozenset(r["titled_heads"]),
        ongoing_processes=frozenset(r["ongoing_processes"]), content_status=dict(r["content_status"]),
        content_holders=frozenset(r["content_holders"]), object_control=frozenset(r["object_control"]),
        future_aux=frozenset(r["future_auxiliaries"]), modal_aux=frozenset(r["modal_auxiliaries"]),
        hypothetical_marks=frozenset(r["hypothetical_marks"]), negations=frozenset(r["negations"]),
        negative_roles=frozenset(r["negative_roles"]),
        recipient_preps_by_type=_sets(r["recipient_preps_by_type"]), two_sided=frozenset(r["two_sided"]),
        place_preps=frozenset(r["place_preps"]), actor_preps=frozenset(r["actor_preps"]),
        person_pronouns=frozenset(r["person_pronouns"]), first_person=frozenset(r["first_person"]),
        possessor_is_recipient=frozenset(r["possessor_is_recipient"]), merging_preps=frozenset(r["merging_preps"]), group_pronouns=frozenset(r["group_pronouns"]),
        relative_pronouns=frozenset(r["relative_pronouns"]), people_nouns=frozenset(r["people_nouns"]), not_people=frozenset(r["not_people"]),
        body_nouns=frozenset(r["body_nouns"]), placing_verbs=frozenset(r["placing_verbs"]),
        name_dropped_deps=frozenset(r["name_dropped_deps"]), name_dropped_words=frozenset(r["name_dropped_words"]),
        day_parts=frozenset(r["anchor_day_parts"]), day_units={k: int(v) for k, v in r["anchor_units"].items()},
        strikers=frozenset(r["strikers"]), actor_demonyms=dict(r["actor_demonyms"]),
        state_act_nouns=frozenset(r["state_act_nouns"]), subject_status=dict(r["subject_status"]),
        own_life_nouns=frozenset(r["own_life_nouns"]),
        noun_recipient_preps_by_type=_sets(r["noun_recipient_preps_by_type"]),
        undergoer_verbs=frozenset(r["undergoer_verbs"]), indefinite_people=frozenset(r["indefinite_people"]),
        open_places=frozenset(r["open_places"]), release_joined_not=frozenset(r["release_joined_not"]),
        name_not_event_labels=frozenset(r["name_not_event_labels"]),
    )
