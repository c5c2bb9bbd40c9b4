"""Entities on real text: NER labels made consistent within an article, and one canonical name per entity."""

from __future__ import annotations

import json

from newsledger.model import Article


def _entities(pipeline, text: str):
    return pipeline.extract(Article(text=text)).entities


def test_surnames_and_titled_names_take_the_full_name(pipeline):
    text = ("Tony Blair has launched an attack on Conservative spending plans. In his speech, Mr Blair "
            "contrasted a reformed party with the opposition. Blair said the plans would fail.")
    people = [e for e in _entities(pipeline, text) if e.label == "PERSON"]
    assert {e.text for e in people} >= {"Tony Blair", "Blair"}
    assert {e.canonical for e in people} == {"Tony Blair"}


def test_one_label_per_name_within_an_article(pipeline):
    text = ("Hamas on Friday urged US president Donald Trump to meet with Palestinian prisoners. "
            "On Thursday, Trump met in the Oval Office with eight former Israeli hostages. "
            "Trump said the talks went well, and Trump later left for Florida.")
    trumps = [e for e in _entities(pipeline, text) if e.text == "Trump"]
    assert trumps
    assert {e.label for e in trumps} == {"PERSON"}
    assert {e.canonical for e in trumps} == {"Donald Trump"}


def test_organisations_and_places_keep_their_names_without_the_article(pipeline):
    text = "The United Nations considers these figures reliable, officials in Gaza said."
    by_text = {e.text: e for e in _entities(pipeline, text)}
    assert by_text["The United Nations"].canonical == "United Nations"
    assert by_text["Gaza"].label == "GPE"


def test_entities_cover_their_text_on_gold_articles(pipeline, gold_dir):
    for line in (gold_dir / "dev.jsonl").open(encoding="utf-8"):
        text = json.loads(line)["text"]
        entities = pipeline.extract(Article(text=text)).entities
        assert entities
        for e in entities:
            assert text[e.start:e.end] == e.text
            assert e.label in {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
            assert e.canonical


def test_party_name_tagged_as_a_person_becomes_an_organisation(pipeline):
    text = ("The Labour Party gathered in Gateshead. Tony Blair said Labour had listened to its electorate. "
            "Michael Howard said Labour had been responsible for huge waste.")
    labels = {e.label for e in _entities(pipeline, text) if e.text == "Labour"}
    assert labels == {"ORG"}


def test_a_verb_glued_to_a_name_is_not_part_of_it(pipeline):
    text = ("Michael Jackson arrived at court on Monday. Describing Mr Jackson as a loving father, "
            "his mother said he was innocent.")
    jackson = [e for e in _entities(pipeline, text) if "Jackson" in e.text]
    assert all(not e.text.startswith("Describing") for e in jackson)
    assert {e.canonical for e in jackson if e.label == "PERSON"} == {"Michael Jackson"}


def test_an_acronym_takes_the_name_it_abbreviates(pipeline):
    text = ("The Environmental Protection Agency issued the rules in 2015. Several states are suing the EPA, "
            "and the United Nations has followed the case. The UN has not commented.")
    by_text = {e.text: e for e in _entities(pipeline, text)}
    assert by_text["EPA"].canonical == "Environmental Protection Agency"
    assert by_text["UN"].canonical == "United Nations"


def test_full_name_with_a_common_first_name_is_a_person_even_when_ner_says_org(pipeline):
    text = ("Doctors Want Emergency Declared\nThe head of the infectious diseases department at the University "
            "Hospital, Maria Eugenia Landaeta, said the outbreak was serious. Landaeta said more tests were needed. "
            "Students at George Washington University were sent home.")
    ents = _entities(pipeline, text)
    landaeta = [e for e in ents if "Landaeta" in e.text]
    assert landaeta and {e.label for e in landaeta} == {"PERSON"}
    assert {e.canonical for e in landaeta} == {"Maria Eugenia Landaeta"}
    assert not [e for e in ents if "University" in e.text and e.label == "PERSON"]
