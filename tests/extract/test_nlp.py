"""The model is adapted to scraped news: glued full stops split, line breaks end sentences."""

from __future__ import annotations

from newsledger.extract.nlp import load_model


def test_a_full_stop_glued_to_the_next_sentence_splits_it():
    doc = load_model()("They killed 23 soldiers and injured another 15.Twenty insurgents were killed.")
    assert [s.text for s in doc.sents] == [
        "They killed 23 soldiers and injured another 15.", "Twenty insurgents were killed."]


def test_decimals_and_abbreviations_stay_whole():
    doc = load_model()("The U.S. economy grew 4.5 per cent. Mr. Smith said so.")
    assert [t.text for t in doc][:5] == ["The", "U.S.", "economy", "grew", "4.5"]
    assert len(list(doc.sents)) == 2


def test_a_headline_line_is_its_own_sentence():
    doc = load_model()("Hamas asks Trump to hear freed prisoners\n\nHamas called on Friday for a meeting.")
    first = next(iter(doc.sents))
    assert first.text.strip() == "Hamas asks Trump to hear freed prisoners"
