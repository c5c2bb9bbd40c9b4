"""The day a figure holds for (as_of), on real sentences with the real model: its clause's date, the
publication day, or without one the day the story stands at."""

from __future__ import annotations

from extract_records import figure_with, figures_in


def test_without_a_publication_day_the_story_day_carries_to_the_next_sentences(pipeline):
    text = ("On 17 September 2019, two suicide bombings killed over 48 people in Charikar and Kabul. "
            "The first attack occurred at a rally which killed over 26 and wounded over 42.")
    figures = figures_in(pipeline, text)
    assert figure_with(figures, "48").as_of == "2019-09-17"
    assert figure_with(figures, "26").as_of == "2019-09-17"
    assert figure_with(figures, "42").as_of == "2019-09-17"


def test_with_a_publication_day_undated_sentences_hold_for_it(pipeline):
    text = ("On 17 September 2019, two suicide bombings killed over 48 people in Charikar and Kabul. "
            "The first attack occurred at a rally which killed over 26 and wounded over 42.")
    assert figure_with(figures_in(pipeline, text, "2019-09-18"), "26").as_of == "2019-09-18"


def test_a_date_inside_a_sentence_does_not_move_the_story_day(pipeline):
    text = ("On 27 August 1975 a bomb exploded at a public house in Caterham. The attackers had earlier "
            "thrown a bomb into a house on 22 December 1974. The bomb injured 23 civilians and 10 soldiers.")
    assert figure_with(figures_in(pipeline, text), "23").as_of == "1975-08-27"


def test_a_photo_caption_date_is_no_story_day(pipeline):
    text = ("Turnout was low across the country. Aug. 7, 2017 Supporters march in Caracas. "
            "About 100 people have died in three months of protests.")
    assert figure_with(figures_in(pipeline, text), "100").as_of is None


def test_a_timeline_that_lost_its_line_breaks_still_dates_its_entries(pipeline):
    text = ("Public Defender OfficeApril 15, 2013At about 2:50 p.m., two bombs are detonated near the finish "
            "line, killing three and injuring some 260 others.March 20, 2013Tamerlan rents two handguns.")
    figures = figures_in(pipeline, text)
    assert figure_with(figures, "260").as_of == "2013-04-15"
    handguns = next(f for f in figures if f.start == text.index("two handguns"))
    assert handguns.as_of == "2013-03-20"


def test_a_year_is_no_day_a_figure_holds_for(pipeline):
    text = "The OECD said US growth would reach 4.4% in 2004, but fall to 3.3% next year."
    assert figure_with(figures_in(pipeline, text), "4.4%").as_of is None
    assert figure_with(figures_in(pipeline, text, "2004-11-30"), "4.4%").as_of == "2004-11-30"


def test_a_part_of_a_month_gives_its_first_day(pipeline):
    text = "In late November 2023, 105 hostages were freed."
    assert figure_with(figures_in(pipeline, text, "2025-03-07"), "105").as_of == "2023-11-21"
