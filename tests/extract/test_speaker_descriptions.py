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
