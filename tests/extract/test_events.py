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


def test_him_points_to_the_person_the_text_is_about_not_the_nearest_name(pipeline):
    text = ("John Carver, 31, walked into the station on Monday while police searched for Mark Dale. "
            "Officers arrested him an hour later.")
    e = _one(_events(pipeline, text, "2024-05-10"), "arrested")
    assert (e.type, e.actor, e.recipient) == ("coerce", ["Officers"], ["John Carver"])


def test_apposition_names_stand_for_a_description(pipeline):
    e = _one(_events(pipeline, "Police arrested two men, Ali Khan and his cousin, Omar Khan, on Tuesday.",
                     "2024-05-10"), "arrested")
    assert e.recipient == ["Ali Khan", "Omar Khan"]
    assert (e.date, e.date_text) == ("2024-05-07", "on Tuesday")


def test_two_sided_fight_and_a_date_counted_from_another_event(pipeline):
    text = ("A gunman opened fire at a school on May 2, 2024, killing two teachers. "
            "He died in a shootout with police two days after the attack.")
    e = _one(_events(pipeline, text, "2024-05-10"), "shootout")
    assert (e.type, e.date, e.date_text) == ("assault", "2024-05-04", "two days after the attack")
    assert "police" in e.actor and e.recipient == []


def test_a_leads_description_takes_the_name_the_next_sentence_introduces(pipeline):
    text = ("A citizen of Peru pleaded not guilty on Monday to fraud charges. "
            "Luis Mendoza, 45, faces up to ten years in prison.")
    e = _one(_events(pipeline, text, "2024-05-10"), "pleaded not guilty")
    # the date phrase hangs on 'guilty', a word of the trigger
    assert (e.type, e.actor, e.date) == ("reject", ["Luis Mendoza"], "2024-05-06")


def test_noun_trigger_with_a_peoples_adjective_names_the_state(pipeline):
    e = _one(_events(pipeline, "The Israeli strike on Rafah killed 12 people on Thursday.", "2024-05-10"), "killed")
    assert (e.type, e.actor, e.recipient, e.date) == ("assault", ["Israel"], ["people"], "2024-05-09")


def test_prepositional_frames_are_one_event(pipeline):
    events = _events(pipeline, "Police placed the driver under arrest.", "2024-05-10")
    assert [(e.trigger, e.type, e.actor, e.recipient) for e in events] == [
        ("placed under arrest", "coerce", ["Police"], ["driver"])]


def test_a_general_strike_is_a_protest_not_an_attack(pipeline):
    events = _events(pipeline, "Unions held a general strike across the country.", "2024-05-10")
    assert [(e.trigger, e.type) for e in events] == [("strike", "protest")]


def test_undated_past_clause_takes_the_date_of_the_occasion_the_lead_reports(pipeline):
    text = ("A Texas man pleaded guilty on Wednesday to charges of robbing three banks. "
            "The judge ordered him held until sentencing. He was first arrested in 2019.")
    events = _events(pipeline, text, "2024-05-10")
    assert _one(events, "ordered").date == "2024-05-08"
    assert _one(events, "arrested").date == "2019"  # its own date, not the occasion's


def test_he_points_to_a_described_subject_and_a_fight_names_the_other_side(pipeline):
    text = ("The suspect left the bar after an argument. Minutes later the suspect drove back to the club, "
            "where he opened fire, striking three men. His brother was killed in a gun battle with police.")
    events = _events(pipeline, text, "2024-05-10")
    fire = _one(events, "opened fire")
    assert (fire.actor, fire.recipient) == (["suspect"], ["men"])
    killed = _one(events, "killed")
    assert killed.actor == ["police"]


def test_an_event_noun_takes_the_status_of_the_frame_it_is_subject_of(pipeline):
    events = _events(pipeline, "Dana Holt was convicted of fraud. Her sentencing is scheduled for October 16.",
                     "2024-05-10")
    e = _one(events, "sentencing")
    assert (e.type, e.status, e.date, e.recipient) == ("sanction", "planned", "2024-10-16", ["Dana Holt"])


def test_an_attack_on_someones_life_is_aimed_at_them(pipeline):
    events = _events(pipeline, "President Nicolas Maduro survived the blast. Officials called it an attack on his life.",
                     "2024-05-10")
    assert _one(events, "attack").recipient == ["Nicolas Maduro"]


@pytest.mark.parametrize(("text", "trigger", "actor", "date"), [
    # the agent of both conjoined passives, and a time phrase the parser hangs on the agent
    ("The man was shot and killed by an unknown gunman late Friday night.", "shot", ["unknown gunman"], "2016-09-23"),
    ("Smith was convicted by a jury in 2014 of killing his wife.", "convicted", ["jury"], "2014"),
    # a weapon as subject names the one its participle's by-phrase names
    ("The bomb, planted by Islamic State militants, exploded near a market on Wednesday.", "exploded",
     ["Islamic State militants"], "2016-09-21"),
    # 'it' of a speaking body
    ("The army said it killed two militants in an airstrike last Tuesday.", "killed", ["army"], "2016-09-20"),
])
def test_actor_by_grammar_in_passives_weapons_and_bodies(pipeline, text, trigger, actor, date):
    e = _one(_events(pipeline, text, "2016-09-24"), trigger)
    assert (e.actor, e.date) == (actor, date)


def test_a_body_in_the_lead_is_not_the_person_the_next_sentence_names(pipeline):
    text = ("A court has convicted a friend of the bombing suspect for impeding the investigation. "
            "Azamat Tazhayakov, a foreign student from Kazakhstan, was found guilty of conspiracy.")
    assert _one(_events(pipeline, text, "2014-07-21"), "convicted").actor == ["court"]


def test_a_clause_a_stated_time_after_another_does_not_take_its_date(pipeline):
    events = _events(pipeline, "Jones was charged with murder on Thursday, a week after he allegedly stabbed his "
                               "neighbor.", "2016-09-24")
    assert _one(events, "charged").date == "2016-09-22"
    assert _one(events, "stabbed").date is None


def test_a_gerund_after_a_time_preposition_is_a_verb_with_the_subject_of_its_clause(pipeline):
    events = _events(pipeline, "Police say the brothers carried the bombs to the street before detonating them. "
                               "The gunman fled after shooting two people.", "2016-09-24")
    assert _one(events, "detonating").actor == ["brothers"]
    shooting = _one(events, "shooting")
    assert (shooting.type, shooting.actor, shooting.recipient) == ("assault", ["gunman"], ["people"])


def test_a_gerund_naming_a_crime_charged_is_no_event(pipeline):
    events = _events(pipeline, "He was charged with 1 count of shooting into an occupied dwelling.", "2016-09-24")
    assert [e.trigger for e in events] == ["charged"]


def test_dates_of_a_purpose_clause_and_of_a_date_written_before_the_noun(pipeline):
    events = _events(pipeline, "On January 20th at 2:21AM, officers responded to 90 Degrees located at 8509 Rixlew Ln "
                               "to investigate a reported shooting.", "2016-01-20")
    assert _one(events, "investigate").date == "2016-01-20"
    text = ("Prosecutors said three days after April 15, 2013, bombing, Tazhayakov removed a backpack from the room. "
            "Twin bombs exploded near the finish line, killing three people. "
            "Days later, Tamerlan was killed in a gun battle with police.")
    events = _events(pipeline, text, "2014-07-21")
    assert _one(events, "bombing").date == "2013-04-15"
    assert _one(events, "exploded").date == "2013-04-15"  # the occasion an earlier mention dated
    assert _one(events, "killed").date is None  # "days later": another time


def test_an_age_standing_alone_names_a_person(pipeline):
    events = _events(pipeline, "Police said a 17-year-old boy shot a 16-year-old. The 13-year-old was detained.",
                     "2016-09-24")
    assert _one(events, "shot").recipient == ["16-year-old"]
    assert _one(events, "detained").recipient == ["13-year-old"]


def test_people_firing_with_no_target_named_is_an_assault(pipeline):
    e = _one(_events(pipeline, "At least two shooters fired in the back of the party venue.", "2016-11-13"), "fired")
    assert (e.type, e.actor) == ("assault", ["shooters"])
    assert not [e for e in _events(pipeline, "The company fired 20 workers.", "2016-11-13") if e.trigger == "fired"]


def test_a_first_mention_takes_the_day_a_later_mention_of_the_incident_gives(pipeline):
    text = ("A teenage boy has died from an apparently accidental shooting in the Northland. Police sources tell "
            "FOX 4 the shooting happened on Monday night inside a home.")
    events = [e for e in _events(pipeline, text, "2016-03-15") if e.trigger == "shooting"]
    assert [e.date for e in events] == ["2016-03-14", "2016-03-14"]


@pytest.mark.parametrize(("text", "trigger", "date"), [
    ("The shooting happened about 2 a.m. Sunday.", "shooting", "2016-09-18"),
    ("The man was shot at 10 p.m. Thursday.", "shot", "2016-09-22"),
])
def test_a_day_hung_on_the_time_of_day_dates_the_clause(pipeline, text, trigger, date):
    assert _one(_events(pipeline, text, "2016-09-24"), trigger).date == date


def test_an_arraignment_is_a_charge(pipeline):
    e = _one(_events(pipeline, "He will be arraigned next Tuesday.", "2016-09-24"), "arraigned")
    assert (e.type, e.status, e.date) == ("accuse", "planned", "2016-09-27")


def test_he_after_an_age_described_subject_points_to_it(pipeline):
    text = "A 12-year-old was in critical condition Tuesday after he and three others were shot on a basketball court."
    assert _one(_events(pipeline, text, "2014-01-28"), "shot").recipient == ["12-year-old", "others"]


@pytest.mark.parametrize(("text", "trigger", "actor"), [
    ("Russian warplanes bombed the town on Thursday.", "bombed", ["Russia"]),
    ("The man was struck by police gunfire.", "struck", ["police"]),
    ("Saudi-led coalition airstrikes killed 20 civilians in Yemen.", "killed", ["coalition"]),
])
def test_weapons_name_the_state_or_body_that_wields_them(pipeline, text, trigger, actor):
    assert _one(_events(pipeline, text, "2016-09-24"), trigger).actor == actor


def test_subject_through_able_to_and_her_to_the_described_subject(pipeline):
    e = _one(_events(pipeline, "Officers were able to locate and arrest the driver.", "2016-09-24"), "arrest")
    assert (e.actor, e.recipient) == (["Officers"], ["driver"])
    e = _one(_events(pipeline, "The woman told police her boyfriend had shot her.", "2016-09-24"), "shot")
    assert (e.actor, e.recipient) == (["boyfriend"], ["woman"])


def test_planting_a_bomb_is_an_assault_whose_place_is_no_target(pipeline):
    e = _one(_events(pipeline, "The gang planted a time bomb on West 27th Street.", "2016-09-24"), "planted")
    assert (e.type, e.actor, e.recipient) == ("assault", ["gang"], [])
    assert not _events(pipeline, "He planted trees in the garden.", "2016-09-24")
    assert not _events(pipeline, "The figures also demonstrate that this is often not the case.", "2016-09-24")


def test_a_bomb_planted_by_someone_going_off_is_one_event_by_them(pipeline):
    events = _events(pipeline, "Authorities say another pipe bomb planted by Rahimi went off along the course of a "
                               "road race.", "2016-11-17")
    assert [(e.trigger, e.actor) for e in events] == [("went off", ["Rahimi"])]


def test_they_and_them_point_to_people_described_in_the_plural(pipeline):
    events = _events(pipeline, "Police say two men robbed a store in Chicago on Friday. They shot the clerk and fled.",
                     "2016-09-24")
    assert _one(events, "shot").actor == ["men"]
    events = _events(pipeline, "The militants kidnapped two aid workers in 2012 and released them a year later.")
    assert _one(events, "released").recipient == ["aid workers"]
    events = _events(pipeline, "The victims were taken to a hospital. Police said the gunmen shot them from a car.")
    assert _one(events, "shot").recipient == ["victims"]  # not the police who tell it
    events = _events(pipeline, "Police say the brothers carried the bombs to the street before detonating them.")
    assert _one(events, "detonating").recipient == []  # things


def test_a_reflexive_object_makes_the_actor_the_recipient(pipeline):
    e = _one(_events(pipeline, "A man shot himself in the chest on Friday.", "2016-09-24"), "shot")
    assert (e.actor, e.recipient) == (["man"], ["man"])
    e = _one(_events(pipeline, "The suspect fled the scene. He was apprehended after a short foot pursuit.",
                     "2016-09-24"), "apprehended")
    assert (e.type, e.recipient) == ("coerce", ["suspect"])


def test_a_by_agent_hung_on_the_body_part_is_the_actor(pipeline):
    e = _one(_events(pipeline, "A driver was shot in the back by a drunken passenger early Sunday.", "2016-09-24"),
             "shot")
    assert (e.actor, e.recipient, e.date) == (["drunken passenger"], ["driver"], "2016-09-18")
    e = _one(_events(pipeline, "A driver was shot in the back on Sunday.", "2016-09-24"), "shot")
    assert e.actor == []


def test_an_investigation_is_not_part_of_the_incidents_occasion(pipeline):
    events = _events(pipeline, "The older boy was shot Tuesday night. The 13-year-old was detained as police "
                               "investigated what led up to the shooting.", "2016-09-24")
    assert _one(events, "shot").date == "2016-09-20"
    assert _one(events, "detained").date is None
    assert _one(events, "investigated").date is None
    # an act of the incident's own telling still takes its day
    events = _events(pipeline, "A girl was shot early Tuesday. The homeowner fired six shots in return.", "2016-09-24")
    assert _one(events, "fired").date == "2016-09-20"


def test_a_name_after_a_titled_description_and_two_joined_bodies_are_the_actors(pipeline):
    e = _one(_events(pipeline, "The head of the infectious diseases department at the Hospital Universitario de "
                               "Caracas, Maria Eugenia Landaeta, called on the government today to declare the "
                               "outbreak an emergency.", "2014-09-15"), "called")
    assert e.actor == ["Maria Eugenia Landaeta"]
    e = _one(_events(pipeline, "Gloucester County Sheriff's Office and Virginia State Police are investigating a "
                               "deadly shooting.", "2016-01-17"), "investigating")
    assert e.actor == ["Gloucester County Sheriff's Office", "Virginia State Police"]
    e = _one(_events(pipeline, "The spokesman for the Interior Ministry, Ahmed Salem, said police arrested two men.",
                     "2016-01-17"), "arrested")
    assert e.actor == ["police"]


def test_a_past_day_after_the_object_of_an_ongoing_act_dates_the_object(pipeline):
    events = _events(pipeline, "State Police are investigating a deadly shooting in Gloucester Saturday night.",
                     "2016-09-24")
    assert (_one(events, "investigating").date, _one(events, "shooting").date) == (None, "2016-09-24")
    events = _events(pipeline, "Police investigated the shooting on Friday.", "2016-09-24")
    assert _one(events, "investigated").date == "2016-09-23"


def test_the_of_object_of_an_attack_noun_is_its_recipient(pipeline):
    events = _events(pipeline, "He planned the 2005 bombing of the city's main railway station.", "2016-01-17")
    assert _one(events, "bombing").recipient == ["main railway station"]
    events = _events(pipeline, "Police charged a man over the shooting of a delivery driver.", "2016-01-17")
    assert _one(events, "shooting").recipient == ["delivery driver"]
    # a barrage of rockets names what was fired, not whom
    events = _events(pipeline, "Residents fled a barrage of rockets after the attack of 2014.", "2016-01-17")
    assert _one(events, "attack").recipient == []


def test_recipients_of_an_apology_a_negated_arrest_a_plea_and_a_charge_faced(pipeline):
    assert _one(_events(pipeline, "The minister apologized to the families on Monday."), "apologized").recipient \
        == ["families"]
    e = _one(_events(pipeline, "By Sunday no suspects had been detained in the case."), "detained")
    assert (e.recipient, e.status) == (["suspects"], "denied")
    assert _one(_events(pipeline, "No one was hurt in the blast."), "hurt").recipient == []
    e = _one(_events(pipeline, "The mayor said she is asking for the public to stay calm."), "asking")
    assert e.recipient == ["public"]
    e = _one(_events(pipeline, "Anyone with video of the fight is asked to call detectives."), "asked")
    assert e.recipient == ["Anyone with video"]
    events = _events(pipeline, "Maria Lopez was arrested on Friday. She now faces robbery charges.", "2016-01-17")
    assert (_one(events, "charges").actor, _one(events, "charges").recipient) == ([], ["Maria Lopez"])


def test_shots_fired_on_open_ground_have_no_place_as_recipient(pipeline):
    e = _one(_events(pipeline, "Two men got out of a car and fired gunshots on the sidewalk.", "2016-01-17"), "fired")
    assert e.recipient == []
    e = _one(_events(pipeline, "A gunman fired shots at the house.", "2016-01-17"), "fired")
    assert e.recipient == ["house"]


def test_a_described_person_takes_the_name_the_article_identifies_them_by(pipeline):
    text = ("The county prosecutor has charged a 40-year-old man in the stabbing of a clerk. The suspect, identified "
            "as Dale Morrow, was charged with assault. The suspect ran from the store and stabbed the clerk again. "
            "He was arrested after a short chase.")
    events = _events(pipeline, text, "2016-01-17")
    assert [e.recipient for e in events if e.trigger == "charged"] == [["Dale Morrow"], ["Dale Morrow"]]
    assert _one(events, "stabbed").actor == ["Dale Morrow"]
    assert _one(events, "arrested").recipient == ["Dale Morrow"]
    # a victim named later is the one 'the victim' stands for; two people so named: neither
    events = _events(pipeline, "A woman was shot Friday. The victim was identified as Mary Jones. Police arrested "
                               "a man in the shooting of the victim.", "2016-01-17")
    assert _one(events, "shooting").recipient == ["Mary Jones"]
    events = _events(pipeline, "The victim was identified as Mary Jones. The victim was later identified as Ann "
                               "Lee. Police arrested a man in the shooting of the victim.", "2016-01-17")
    assert _one(events, "shooting").recipient == ["victim"]


def test_who_an_attack_noun_names_acts_for_the_violence_verb_it_is_in(pipeline):
    e = _one(_events(pipeline, "Nine soldiers were killed in a Hamas attack on Sunday.", "2016-01-17"), "killed")
    assert (e.actor, e.recipient) == (["Hamas"], ["soldiers"])
    e = _one(_events(pipeline, "We pray for those wounded in today's Taliban attack near the base.", "2016-01-17"),
             "wounded")
    assert e.actor == ["Taliban"]
    assert _one(_events(pipeline, "Yesterday's attack on the embassy shocked the city.", "2016-01-17"),
                "attack").actor == []


def test_a_bomber_blowing_himself_up_is_not_the_recipient_of_what_the_blast_did(pipeline):
    e = _one(_events(pipeline, "A suicide bomber blew himself up in the market, killing four police officers.",
                     "2016-01-17"), "blew up")
    assert (e.actor, e.recipient) == (["suicide bomber"], ["police officers"])
    e = _one(_events(pipeline, "The farmer shot himself by accident.", "2016-01-17"), "shot")
    assert e.recipient == ["farmer"]


def test_a_discharge_from_care_and_an_event_word_in_a_name_are_not_events(pipeline):
    events = _events(pipeline, "Two of the victims were treated and released. The army released two hostages on "
                               "Monday.", "2016-01-17")
    assert [(e.trigger, e.recipient) for e in events if e.type == "retreat"] == [("released", ["hostages"])]
    events = _events(pipeline, "Agent Maria Cole of the Air Force Office of Special Investigations spoke.",
                     "2016-01-17")
    assert [e.trigger for e in events] == []


def test_a_dateline_place_is_not_the_one_shot_and_an_age_alone_is_a_person(pipeline):
    e = _one(_events(pipeline, "DAYTON, Ohio - A 15-year-old boy was shot in the leg Saturday.", "2016-04-23"),
             "shot")
    assert e.recipient == ["15-year-old boy"]
    e = _one(_events(pipeline, "DAYTON — A 16-year-old accidentally shot himself on Friday.", "2016-04-23"), "shot")
    assert (e.actor, e.recipient) == (["16-year-old"], ["16-year-old"])


def test_what_a_shooting_noun_happened_at_is_its_place_unless_people(pipeline):
    e = _one(_events(pipeline, "Police are investigating a shooting at an apartment complex.", "2016-04-23"),
             "shooting")
    assert e.recipient == []
    e = _one(_events(pipeline, "Officials condemned the attack on the convoy.", "2016-04-23"), "attack")
    assert e.recipient == ["convoy"]


def test_a_description_set_beside_a_name_stands_for_the_name(pipeline):
    e = _one(_events(pipeline, "Friends of Omar Hadid, the Canadian who carried out the bombing in the city, spoke.",
                     "2017-06-05"), "bombing")
    assert e.actor == ["Omar Hadid"]
    e = _one(_events(pipeline, "Mary Lee, a nurse who was shot on Monday, spoke to reporters.", "2017-06-05"), "shot")
    assert e.recipient == ["Mary Lee"]


def test_who_they_say_did_it_and_whose_help_is_asked(pipeline):
    e = _one(_events(pipeline, "Detectives have identified two men who they say opened fire on a crowd.",
                     "2015-06-27"), "opened fire")
    assert e.actor == ["men"]
    e = _one(_events(pipeline, "Police were asking for the public's help in finding the driver.", "2015-06-27"),
             "asking")
    assert e.recipient == ["public"]
    events = _events(pipeline, "The boy was taken to a hospital and was released after treatment.", "2015-06-27")
    assert [e.trigger for e in events if e.type == "retreat"] == []


def test_a_capitalised_name_the_tagger_missed_is_accused_and_a_reception_is_not_a_meeting(pipeline):
    e = _one(_events(pipeline, "The Tories accuse Labour of wasting money.", "2005-02-01"), "accuse")
    assert e.recipient == ["Labour"]
    events = _events(pipeline, "The plans have met with disapproval from campaigners.", "2005-02-01")
    assert [e.trigger for e in events] == []


def test_military_personnel_and_crews_are_people_who_can_be_wounded(pipeline):
    e = _one(_events(pipeline, "Two Russian military personnel were wounded, the agency reported.", "2019-08-20"),
             "wounded")
    assert e.recipient == ["Russian military personnel"]


def test_mps_are_people_and_a_threatened_act_is_not_its_recipient(pipeline):
    e = _one(_events(pipeline, "The prime minister was criticised by MPs over the war.", "2005-02-01"), "criticised")
    assert (e.actor, e.recipient) == (["MPs"], ["prime minister"])
    e = _one(_events(pipeline, "The union has threatened strike action over pensions.", "2005-02-01"), "threatened")
    assert (e.actor, e.recipient) == (["union"], [])
    e = _one(_events(pipeline, "The rebels threatened the villagers with death.", "2005-02-01"), "threatened")
    assert e.recipient == ["villagers"]


def test_her_after_a_possessed_subject_is_the_possessor_and_a_village_can_be_raided(pipeline):
    e = _one(_events(pipeline, "The woman's boyfriend stabbed her several times, police said.", "2015-03-07"),
             "stabbed")
    assert (e.actor, e.recipient) == (["boyfriend"], ["woman"])
    e = _one(_events(pipeline, "Soldiers raided the village at dawn.", "2015-03-07"), "raided")
    assert (e.type, e.recipient) == ("coerce", ["village"])
