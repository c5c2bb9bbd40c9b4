"""Speakers given by description, by a later name or by a document, on texts written for these tests (issue 7)."""

from __future__ import annotations

from extract_records import quote_with, quotes_in


def test_a_described_speaker_is_the_person_given_that_title_earlier(pipeline):
    text = ('Arsenal signed striker Tomas Berg in January.\n\n'
            '"I feel at home already," the 27-year-old striker said after the match.')
    assert quote_with(quotes_in(pipeline, text), "feel at home").speaker == "Tomas Berg"


def test_an_indefinite_description_is_the_person_named_with_that_title_later(pipeline):
    text = ('"The council followed every rule," a spokesman for the council said on Monday. '
            'The spokesman, Peter Hale, added that an inquiry would be welcomed.')
    assert quote_with(quotes_in(pipeline, text), "followed every rule").speaker == "Peter Hale"


def test_a_document_speaks_for_its_author(pipeline):
    text = ("Norvik Energy published its annual results on Tuesday. "
            "The company's report said that output had fallen in the North Sea.")
    assert quote_with(quotes_in(pipeline, text), "output had fallen").speaker == "Norvik Energy"


def test_a_report_is_not_given_to_an_organisation_named_only_in_passing(pipeline):
    text = ('Mary Cole, an economist at the Harbour Bank, said prices would rise.\n\n'
            'The report said that rents had doubled in the city.')
    assert quote_with(quotes_in(pipeline, text), "rents had doubled").speaker != "Harbour Bank"


def test_transcript_labels_name_the_speaker_of_their_line(pipeline):
    text = ('The interview went as follows:\n\n'
            '"HARRIS: Senator, will you vote for the budget this week?\n\n'
            'MORENO: I will read every page of it before I decide anything at all.\n\n'
            'The vote is due on Thursday.')
    quotes = quotes_in(pipeline, text)
    first = quote_with(quotes, "vote for the budget")
    assert first.speaker == "HARRIS" and not first.content.startswith("HARRIS")
    assert quote_with(quotes, "read every page").speaker == "MORENO"


def test_a_definite_description_of_a_person_resolves_to_the_person_the_story_follows(pipeline):
    text = ('Kelly Mason has pulled out of the indoor championships with a hamstring injury. '
            '"I am very disappointed that I have been forced to withdraw," said the double Olympic champion.')
    q = quote_with(quotes_in(pipeline, text), "very disappointed")
    assert q.speaker == "Kelly Mason"


def test_a_description_of_an_organisation_resolves_to_the_organisation_in_focus(pipeline):
    text = ('The OECD cut its growth forecasts on Tuesday. The Paris-based think tank said the global '
            'economy could still regain momentum.')
    q = quote_with(quotes_in(pipeline, text), "regain momentum")
    assert q.speaker == "OECD"


def test_a_document_speaks_for_whoever_the_article_said_published_it(pipeline):
    text = ('Acme Corp published a white paper on Monday. The white paper argues that tariffs hurt growth.')
    q = quote_with(quotes_in(pipeline, text), "tariffs hurt growth")
    assert q.speaker == "Acme Corp"


def test_a_titled_name_ner_missed_still_reports_with_a_weak_cue(pipeline):
    text = ('Lord Browne said profits were up. Lord Browne pointed out that BP was reaping the benefits '
            'of its investment.')
    q = quote_with(quotes_in(pipeline, text), "reaping the benefits")
    assert q.speaker == "Lord Browne"
