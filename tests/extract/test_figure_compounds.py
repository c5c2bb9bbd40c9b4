"""Numbers inside compounds, fractions and glued sentences, on sentences written for these tests (issue 7)."""

from __future__ import annotations

from extract_records import figure_with, figures_in


def test_calibres_and_degrees_of_a_crime_are_not_figures(pipeline):
    text = ("Deputies found a .38-caliber revolver and a 12-gauge shotgun in the car. "
            "She faces a second-degree murder charge and a third-degree assault count.")
    assert figures_in(pipeline, text) == []


def test_a_number_glued_to_the_full_stop_before_it_is_still_a_figure(pipeline):
    text = "The blast hit the bus station where the crowd had gathered.17 people were killed."
    f = figure_with(figures_in(pipeline, text), "17")
    assert (f.value, f.counted, f.category) == (17, "people", "killed")


def test_fractions_of_a_scale_and_shares_of_a_group(pipeline):
    text = ("The ministry shipped a quarter million vaccine doses and three-and-a-half million masks. "
            "A quarter of the nurses had quit.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "a quarter million").value == 250000
    assert figure_with(figs, "three-and-a-half million").value == 3500000
    share = figure_with(figs, "A quarter")
    assert (share.value, share.category, share.counted) == (25.0, "percent", "nurses")


def test_counts_inside_compounds_are_figures(pipeline):
    text = "A 2,000-strong crowd marched past the 30-storey tower, carrying a four-page petition."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "2,000").counted.split()[-1] == "crowd"
    assert figure_with(figs, "30").counted.split()[-1] == "tower"
    assert figure_with(figs, "four").value == 4


def test_bare_objects_of_verbs_done_to_people_count_people(pipeline):
    text = "The gunman shot five and wounded three more before police arrived. The field hospital treated 40."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "five").counted == "people"
    assert figure_with(figs, "40").counted == "people"


def test_a_change_from_one_count_to_another_gives_two_figures(pipeline):
    text = "The number of confirmed cases rose from 12 to 31 over the weekend."
    figs = figures_in(pipeline, text)
    assert [(f.value, f.value_max) for f in figs] == [(12, None), (31, None)]


def test_the_one_day_of_a_sentence_dates_all_its_figures(pipeline):
    text = ("On 3 March 2021, a car bomb killed at least 14 people in the market.\n\n"
            "Two people were killed and nine hurt on Sunday when a second device went off.")
    figs = figures_in(pipeline, text, "2021-03-10")
    assert figure_with(figs, "14").as_of == "2021-03-03"
    assert figure_with(figs, "Two").as_of == figure_with(figs, "nine").as_of == "2021-03-07"
