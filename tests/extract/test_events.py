"""Events on real sentences: trigger, actor, target and the date from the clause."""

from __future__ import annotations

import pytest

from newsledger.model import Article, parse_iso_date


def _events(pipeline, text: str, published: str | None = "2025-03-07"):
    return pipeline.extract(Article(text=text, published=parse_iso_date(published))).events


@pytest.fixture(scope="module")
def truce_events(truce_extraction):
    text, result = truce_extraction
    return text, result.events


def test_meeting_has_canonical_actor_target_and_the_clause_date(truce_events):
    text, events = truce_events
    met = [e for e in events if e.trigger == "met"]
    assert len(met) == 1
    e = met[0]
    assert e.actor == "Donald Trump"  # "Trump", named in full earlier in the article
    assert e.target == "eight former Israeli hostages"
    assert e.date == "2025-03-06"  # "On Thursday", published Friday 2025-03-07
    assert text[e.start:e.end] == e.text
    assert e.text.startswith("Trump met") and e.text.endswith("hostages")


def test_dev_article_events_are_in_text_order_with_spans(truce_events):
    text, events = truce_events
    assert [e.start for e in events] == sorted(e.start for e in events)
    assert all(text[e.start:e.end] == e.text for e in events)
    triggers = {(e.trigger, e.actor, e.target) for e in events}
    assert ("urged", "Hamas", "Donald Trump") in triggers
    assert ("killed", "Israel’s retaliatory military offensive", "at least 48,446 people") in triggers


def test_future_meeting_is_dated_ahead(truce_events):
    _, events = truce_events
    meet = [e for e in events if e.trigger == "meet"]
    assert [(e.target, e.date) for e in meet] == [("Egyptian officials", "2025-03-08")]


def test_passive_subject_is_the_target_and_agent_the_actor(pipeline):
    events = _events(pipeline, "A photographer was killed by a stray bullet on Tuesday, police said.")
    assert [(e.trigger, e.actor, e.target, e.date) for e in events] == [
        ("killed", "stray bullet", "photographer", "2025-03-04")]


def test_hypothetical_and_negated_verbs_are_not_events(pipeline):
    text = ("The president should meet the prisoners, Hamas said. Police did not arrest anyone. "
            "Officials urged Netanyahu to release the hostages.")
    triggers = [e.trigger for e in _events(pipeline, text)]
    assert "meet" not in triggers and "arrest" not in triggers and "release" not in triggers
    assert "urged" in triggers


def test_other_senses_and_lone_verbs_are_dropped(pipeline):
    text = "The ministers held talks in Cairo. The group released a video. A neighbour asked."
    assert _events(pipeline, text) == []


def test_joined_verbs_share_subject_and_object(pipeline):
    text = "Investigators said the boy shot and killed one of his friends in February."
    got = {(e.trigger, e.actor, e.target) for e in _events(pipeline, text, "2014-05-16")}
    assert ("killed", "boy", "one of his friends") in got
    assert ("shot", "boy", "one of his friends") in got


def test_nothing_happened_when_the_role_is_negative(pipeline):
    assert _events(pipeline, "No one was injured in the blast, police said.") == []


def test_relative_clause_subject_is_its_noun_and_month_dates_the_clause(pipeline):
    text = "Police in Hamden said they arrested a man who shot four people in a bar last month."
    got = [(e.trigger, e.actor, e.target, e.date) for e in _events(pipeline, text, "2016-09-21")]
    assert ("shot", "man", "four people", "2016-08-01") in got


def test_pronoun_inside_a_direct_quote_is_not_the_last_named_person(pipeline):
    text = ('Chavez Farmer runs the club. "When we asked him to lift his shirt we could tell," '
            'Farmer said.')
    got = [(e.trigger, e.target) for e in _events(pipeline, text, "2016-09-11")]
    assert ("asked", "Chavez Farmer") not in got


def test_clause_under_until_has_not_happened(pipeline):
    text = "Duque has put the talks on hold until the rebels free all their hostages."
    assert [e for e in _events(pipeline, text) if e.trigger == "free"] == []


def test_object_pronoun_is_not_guessed(pipeline):
    text = "Zachary Rogers called police. They asked him if anyone was hurt."
    assert [e for e in _events(pipeline, text) if e.trigger == "asked"] == []


def test_people_verbs_need_people_as_target(pipeline):
    text = ("Mr Glazer and his family hold a 28.1% stake in the club. "
            "Gunmen held three hostages in the bank for six hours.")
    got = [(e.trigger, e.target) for e in _events(pipeline, text)]
    assert ("held", "three hostages") in got
    assert all(trigger != "hold" for trigger, _ in got)


def test_intransitive_subject_stays_the_actor(pipeline):
    got = [(e.trigger, e.actor, e.target) for e in _events(pipeline, "About 300 fans protested outside the ground.")]
    assert got == [("protested", "About 300 fans", None)]


def test_relative_clause_takes_the_day_of_its_noun(pipeline):
    text = "He is not charged with taking part in the April 15, 2013, attack, which killed three people and injured more than 260."
    got = {(e.trigger, e.target, e.date) for e in _events(pipeline, text, "2014-06-04")}
    assert ("killed", "three people", "2013-04-15") in got
    assert ("injured", "more than 260", "2013-04-15") in got
