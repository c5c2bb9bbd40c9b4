"""What is not a figure, on real sentences with the real model: dates, ages, labels, names, scores, phones."""

from __future__ import annotations

import pytest
from extract_records import figure_with, figures_in


@pytest.mark.parametrize("text", [
    "A 12-year-old girl was shot on October 7, 2023.",
    "Police records indicate 15 year old Roman Kellough was armed.",
    "The initial dispatch said a 14-year old girl had been wounded.",
    "Khairullozhon Matanov, 23, faces one criminal count.",
    "The second phase of the deal starts at 10:30 on Monday.",
    "The Group of 20 met in Section 427 of the stadium in 2019.",
    "The S&P 500 and the FTSE 100 were flat; the iPhone 14 sold well.",
    "Shots were fired in the 1300 block of 22nd Street.",
    "Special Agent Adrianna Vorderbruggen[897] died.",
    "Anyone with information is asked to call 800-423-TIPS.",
    "Call the police department's main number at (270) 351-4477.",
    "Fire and rescue units responded to 834 Edmunds Street for a shooting.",
    "Officers were called to the club located at 13859 8 Mile Road.",
    "Anyone with information is asked to call the Crime Line at 1-888-LOCK-U-UP.",
    "Acts are coded: 1) Guerilla Action; 3) Mass Murder.",
    "Police say the female victims are 16-, 19-, and 22-years-old.",
    "David Cleveland and LaTonya Renee Cleveland, both 29, are expected to be arraigned Thursday.",
    "Clearly 2004 was the most difficult year in the firm's history.",
    "Close gallery_thumbnails_show|article-gallery-6390430|0 gallery_overlay_open|article-gallery-6390430|0",
    "Another man, 24, was hit in the torso and legs.",
    "Rochus beat third seed Nicolas Kiefer 6-7 (4-7) 7-6 (8-6) 7-5.",
    "Records list the case as Inc #123203516.",
    "The firm is now one of the biggest investors in Google.",
    "One day, he said, the war will end.",
    "At one point the crowd surged towards the gate.",
])
def test_non_figures(pipeline, text):
    figs = figures_in(pipeline, text)
    kept = [f.text for f in figs if f.text not in ("one",)]
    assert kept == [], f"{text!r}: {kept}"


def test_glued_sentences_keep_their_numbers(pipeline):
    # Wiki dumps run sentences together ("260.Magistrate"); the number still counts.
    text = "The attack killed three people and injured more than 260.Magistrate Judge Bowler ordered him held."
    f = figure_with(figures_in(pipeline, text), "260")
    assert (f.qualifier, f.category) == ("more_than", "injured")


@pytest.mark.parametrize("text", [
    "Two brothers, ages 17, 22, and 30, were treated at a local clinic.",
    "The couple, ages 61 and 58, lived on the farm.",
    "Two women, ages, 44 and 39, were treated for cuts.",
    "Four students were hurt; one is 16, the other was 15.",
    "Three cousins, one of them only 12, fled the house.",
    "Officers are still searching for a third gunman.",
    "About an hour and a half later the road reopened.",
    "She is one of very few deaf judges in the country.",
    "Each retiree receives one sixtieth of their final salary.",
    "The fight started outside the 214 Tavern on Elm.",
    "Call County Road 900 dispatch for details.",
    "To leave a tip, text the word HELP to 847411 or call 555-0199.",
    "Tips go to Crime Stoppers at (614) 461-TIPS (8477).",
])
def test_ages_ordinals_names_and_phone_codes(pipeline, text):
    kept = [f.text for f in figures_in(pipeline, text) if f.text.lower() not in ("one", "two", "three", "four")]
    assert kept == [], f"{text!r}: {kept}"


def test_counts_beside_ages_ordinals_and_names_stay(pipeline):
    text = ("The blast killed four and injured another 15, police said. A third of the crowd left. "
            "The 12 Euro zone countries will grow. Officials called 15,000 homes.")
    texts = [f.text for f in figures_in(pipeline, text)]
    for want in ("four", "15", "A third", "12", "15,000"):
        assert want in texts, texts


def test_age_bands_and_age_bounded_groups_are_not_figures(pipeline):
    # "18 to 29 year olds", "aged between 25 and 40", "voters over 70": ages that bound a group, not counts.
    text = ("The study found 21% of 18 to 29 year olds read a paper, against 48% of adults aged between 25 and 40 "
            "and 63% of voters over 70.")
    assert sorted(f.text for f in figures_in(pipeline, text)) == ["21%", "48%", "63%"]


def test_age_bound_words_keep_counts_with_a_noun(pipeline):
    # The bound rule only fires on a bare number: "people over 300 miles away" still measures a distance.
    text = "Rescuers reached people over 300 miles away."
    assert [f.text for f in figures_in(pipeline, text)] == ["300"]


def test_an_emergency_number_that_is_dialled_is_no_figure(pipeline):
    text = "Residents called 911 after the shooting, and a 911 dispatcher sent help. The 999 people there were safe."
    figs = figures_in(pipeline, text)
    assert [f.text for f in figs] == ["999"]
