"""Events on real sentences, to the events contract: trigger, PLOVER type, actor and recipient by grammar,
status, the clause's own date (never the publication day by default) and links."""

from __future__ import annotations

import dataclasses

import pytest

from newsledger.model import EVENT_STATUSES, EVENT_TYPES, Article, Event, parse_iso_date


def _events(pipeline, text: str, published: str | None = "2025-03-07") -> list[Event]:
    return pipeline.extract(Article(text=text, published=parse_iso_date(published))).events


def _one(events: list[Event], trigger: str) -> Event:
    hits = [e for e in events if e.trigger == trigger]
    assert len(hits) == 1, f"{trigger!r}: {[(e.trigger, e.type) for e in events]}"
    return hits[0]


@pytest.fixture(scope="module")
def truce_events(truce_extraction):
    text, result = truce_extraction
    return text, result.events


def test_request_has_type_grammatical_roles_and_the_clause_date(truce_events):
    text, events = truce_events
    e = _one(events, "urged")
    assert (e.type, e.actor, e.recipient, e.date, e.status) == (
        "request", ["Hamas"], ["Donald Trump"], "2025-03-07", "happened")
    assert e.date_text == "on Friday"
    assert text[e.trigger_start:e.trigger_start + len(e.trigger)] == "urged"
    assert text[e.start:e.end].startswith("Hamas on Friday urged")


def test_content_of_a_request_is_demanded_and_linked(truce_events):
    _, events = truce_events
    urged = events.index(_one(events, "urged"))
    meet = [e for e in events if e.trigger == "meet" and e.content_of == urged]
    assert [(e.type, e.status, e.actor) for e in meet] == [("consult", "demanded", ["Donald Trump"])]


def test_meetings_past_and_planned_are_dated_from_their_own_clause(truce_events):
    _, events = truce_events
    met = _one(events, "met")
    assert (met.type, met.actor, met.date, met.status) == ("consult", ["Donald Trump"], "2025-03-06", "happened")
    assert met.recipient == ["Israeli hostages"]  # "eight former Israeli hostages": no number, no 'former'
    planned = [e for e in events if e.trigger == "meet" and e.status == "planned"]
    assert [(e.recipient, e.date) for e in planned] == [(["Egyptian officials"], "2025-03-08")]


def test_noun_and_phrase_triggers(truce_events):
    _, events = truce_events
    took = _one(events, "took effect")
    assert (took.type, took.date, took.actor) == ("retreat", "2025-01-19", [])
    attacks = [e for e in events if e.trigger == "attack"]
    assert attacks and all(e.type == "assault" and e.actor == ["Hamas"] for e in attacks)
    assert attacks[0].recipient == ["Israel"] and attacks[0].date == "2023-10-07"
    assert attacks[1].same_as == events.index(attacks[0])  # "Hamas's attack on Israel resulted in ..."


def test_an_offensive_that_kills_names_its_owner_and_is_not_dated_by_publication(truce_events):
    _, events = truce_events
    killed = _one(events, "killed")
    assert (killed.type, killed.actor, killed.recipient, killed.date) == ("assault", ["Israel"], ["people"], None)
    assert killed.location == "Gaza" and killed.dead is not None


def test_month_precision_and_no_publication_default(truce_events):
    _, events = truce_events
    freed = [e for e in events if e.trigger == "freed"]
    assert [e.date for e in freed] == [None, "2023-11"]  # "freed during the truce"; "In late November 2023"


def test_passive_agent_instrument_is_not_an_actor(pipeline):
    e = _one(_events(pipeline, "A photographer was killed by a stray bullet on Tuesday, police said."), "killed")
    assert (e.type, e.actor, e.recipient, e.date) == ("assault", [], ["photographer"], "2025-03-04")


def test_status_from_modality_negation_and_conditions(pipeline):
    text = ("The president should meet the prisoners, Hamas said. Police did not arrest anyone. "
            "Duque has put the talks on hold until the rebels free all their hostages. "
            "The delegation will visit Cairo on Monday.")
    events = _events(pipeline, text)
    assert _one(events, "meet").status == "hypothetical"
    assert _one(events, "arrest").status == "denied"
    assert _one(events, "free").status == "hypothetical"
    visit = _one(events, "visit")
    assert (visit.status, visit.date) == ("planned", "2025-03-10")


def test_nothing_happened_when_the_role_is_negative(pipeline):
    e = _one(_events(pipeline, "No one was injured in the blast, police said."), "injured")
    assert (e.status, e.recipient) == ("denied", [])


def test_other_senses_are_not_events_and_light_verbs_lend_their_noun(pipeline):
    text = ("The ministers held talks in Cairo. The group released a video. A neighbour asked. "
            "Mr Glazer and his family hold a 28.1% stake in the club. 58 hostages are still being held.")
    events = _events(pipeline, text)
    assert [(e.trigger, e.type, e.actor) for e in events] == [("talks", "consult", ["ministers"])]


def test_an_attack_and_what_it_did_in_its_clause_is_one_event(pipeline):
    text = ("He is not charged with taking part in the April 15, 2013, attack, which killed three people and "
            "injured more than 260. Insurgents also launched attacks on a military base near the town of "
            "Dhuluiyah, killing at least 15 Iraqi soldiers.")
    events = _events(pipeline, text, "2014-06-04")
    assert [(e.trigger, e.type) for e in events] == [("charged", "accuse"), ("killed", "assault"),
                                                     ("attacks", "assault")]
    charged, killed, attacks = events
    assert charged.status == "denied"
    assert (killed.recipient, killed.date) == (["people"], "2013-04-15")
    assert (attacks.actor, attacks.recipient) == (["Insurgents"], ["military base"])


def test_instruments_are_not_recipients(pipeline):
    text = ("At least 30 rounds from three guns were fired from a car into the home. "
            "The homeowner fired six shots in return.")
    got = [(e.trigger, e.actor, e.recipient) for e in _events(pipeline, text)]
    assert got == [("fired", [], ["home"]), ("fired", ["homeowner"], [])]


def test_a_threat_takes_the_warner_as_actor_of_its_content(pipeline):
    text = "The rebels warned they would attack the capital. The minister warned that prices could rise."
    events = _events(pipeline, text)
    assert [(e.trigger, e.type, e.status) for e in events] == [
        ("warned", "threaten", "happened"), ("attack", "assault", "hypothetical")]
    assert events[1].actor == ["rebels"] and events[1].content_of == 0
    assert events[0].recipient == ["capital"]


def test_reported_pronoun_is_the_reporter_and_a_relative_clause_is_dated_by_its_words(pipeline):
    text = "Police in Hamden said they arrested a man who shot four people in a bar last month."
    events = _events(pipeline, text, "2016-09-21")
    assert (_one(events, "arrested").actor, _one(events, "arrested").recipient) == (["Police"], ["man"])
    shot = _one(events, "shot")
    assert (shot.actor, shot.recipient, shot.date) == (["man"], ["people"], "2016-08")


def test_events_follow_the_contract_in_json(truce_extraction):
    _, result = truce_extraction
    row = result.to_dict()["events"][0]
    contract = ["start", "end", "trigger", "trigger_start", "type", "mode", "actor", "recipient", "date",
                "end_date", "date_text", "location", "dead", "injured", "size", "source", "status", "same_as",
                "content_of"]
    assert list(row)[:len(contract)] == contract
    for e in result.events:
        assert e.type in EVENT_TYPES and e.status in EVENT_STATUSES
        assert isinstance(e.actor, list) and isinstance(e.recipient, list)
        assert dataclasses.asdict(e)["text"] == result.article.text[e.start:e.end]
        for link in (e.same_as, e.content_of):
            assert link is None or 0 <= link < len(result.events)
        for fig in (e.dead, e.injured, e.size):
            assert fig is None or 0 <= fig < len(result.figures)


def test_request_for_a_clause_and_hostage_taking(pipeline):
    text = ("Hamas called on Friday for US President Donald Trump to sit down with Palestinian prisoners. "
            "Militants seized 251 people in the attack of October 7, 2023. "
            "Hamas is pressing for talks on a second phase.")
    events = _events(pipeline, text)
    called, sit = _one(events, "called"), _one(events, "sit down")
    assert (called.type, called.recipient, called.date) == ("request", ["Donald Trump"], "2025-03-07")
    assert (sit.type, sit.status, sit.content_of, sit.date) == ("consult", "demanded", events.index(called), None)
    seized = _one(events, "seized")
    assert (seized.type, seized.mode, seized.recipient, seized.date) == ("assault", "abduct", ["people"], "2023-10-07")
    talks = _one(events, "talks")
    assert (talks.status, talks.content_of) == ("demanded", events.index(_one(events, "pressing")))


def test_charged_crimes_and_phone_calls_are_not_events(pipeline):
    text = ("Warren and Jones were booked on eight counts of attempted murder, aggravated assault and "
            "conspiracy. One of them called 911 for help.")
    assert [(e.trigger, e.type) for e in _events(pipeline, text, "2014-03-25")] == []


def test_an_act_demanded_or_rejected_is_not_a_recipient_but_its_owner_is(pipeline):
    text = ("Hamas demanded the release of 33 hostages. Israel rejected the Hamas plan. "
            "The governor called on the Attorney General's office to investigate Sarmiento.")
    events = _events(pipeline, text)
    demanded, release = _one(events, "demanded"), _one(events, "release")
    assert demanded.recipient == [] and (release.status, release.recipient) == ("demanded", ["hostages"])
    assert _one(events, "rejected").recipient == ["Hamas"]
    assert _one(events, "called").recipient and _one(events, "investigate").status == "demanded"
