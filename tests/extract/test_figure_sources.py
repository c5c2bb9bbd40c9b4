"""Where figures come from, on real sentences with the real model: said, according to, quotes, pronouns."""

from __future__ import annotations

from extract_records import figure_with, figures_in


def test_he_said_is_the_person_who_was_the_subject_before_not_the_latest_name(pipeline):
    text = ("Senior Hamas leader Basem Naim wrote in an open letter addressed to Donald Trump. "
            "More than 9,500 Palestinian prisoners were currently being held in Israeli prisons, he said.")
    assert figure_with(figures_in(pipeline, text), "9,500").source == "Basem Naim"


def test_figures_inside_a_quote_take_its_speaker(pipeline):
    text = ('Tory shadow chancellor Oliver Letwin spoke on Sunday. "Which taxes will they put up to fill the '
            'pounds 8bn shortfall in their plans?" Mr Letwin said.')
    f = figure_with(figures_in(pipeline, text), "pounds 8bn")
    assert f.source == "Oliver Letwin" and f.counted == "shortfall"


def test_security_officials_closing_a_long_sentence_are_its_source(pipeline):
    text = ("Checkpoint shootings and bomb blasts in Diyala province killed 11 people and left 40 others wounded, "
            "security officials and doctor Ahmed Ibrahim from the main hospital in Baquba said.")
    f = figure_with(figures_in(pipeline, text), "11")
    assert "security officials" in f.source and "Ahmed Ibrahim" in f.source


def test_bare_description_takes_the_earlier_named_mention(pipeline):
    text = ("Orange County sheriff's deputies said a girl was shot. The homeowner fired six shots in return, "
            "according to deputies.")
    assert figure_with(figures_in(pipeline, text), "six").source == "Orange County sheriff's deputies"


def test_the_article_own_statements_have_no_source(pipeline):
    text = "A wave of attacks across Iraq on Monday killed 107 people in the country's deadliest day in years."
    assert figure_with(figures_in(pipeline, text), "107").source is None


def test_a_survey_frame_covers_the_following_sentences_of_its_paragraph(pipeline):
    # "In the poll by X, ..." opens a frame: the unattributed shares after it come from the poll.
    text = ("In the poll conducted by YouGov for the union, 22% of nurses said they planned to quit. "
            "Among those over 50, 41% said they would retire early.\n\n"
            "Hospitals employ 300,000 nurses.")
    figs = figures_in(pipeline, text)
    assert "poll" in figure_with(figs, "22%").source
    assert "poll" in figure_with(figs, "41%").source
    assert figure_with(figs, "300,000").source is None  # a new paragraph leaves the frame


def test_a_frame_stops_at_a_sentence_with_its_own_reporter(pipeline):
    text = ("According to the council, the bridge will close in May. "
            "The Gazette reports that the road was busy, and there were 4,000 cars on it.")
    assert figure_with(figures_in(pipeline, text), "4,000").source == "Gazette"


def test_the_company_is_the_organisation_the_article_is_about_even_where_the_parser_calls_it_a_person(pipeline):
    text = ("Shares in Cairn Energy fell sharply after it said Indian taxes would hit its profits. Cairn said the tax "
            "would be about 900 rupees a tonne. Analysts said Cairn would be able to develop the reserves. The tax "
            "should be shouldered by the licensee - India's state-run Oil & Natural Gas Corp (ONGC) - and not the "
            "contractor. \"I think people were slightly over-ambitious for how quickly Cairn would be able to develop "
            "these reserves,\" said analyst Jason Kenney at ING. The disappointments overshadowed increased production "
            "targets for Cairn's existing oilfields. The company raised targets for its fields in India from 60,000 "
            "barrels a day.")
    assert "Cairn" in figure_with(figures_in(pipeline, text), "60,000").source


def test_a_study_that_found_something_is_the_source_and_it_said_later_is_the_study(pipeline):
    text = ("A study by Oxford University, published on Monday, found that 3,000 jobs were lost. "
            "It said a further 2,000 were at risk.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "3,000").source == "study by Oxford University"
    assert figure_with(figs, "2,000").source == "study by Oxford University"


def test_it_said_after_a_sentence_of_figures_is_the_voice_of_that_sentence(pipeline):
    text = "The ONS figures showed that unemployment fell by 20,000. The rate is now 4.7%, it said."
    assert figure_with(figures_in(pipeline, text), "4.7%").source == "ONS figures"


def test_finding_a_thing_is_a_deed_not_a_source(pipeline):
    text = "Police found two bodies in the house on Sunday."
    assert figure_with(figures_in(pipeline, text), "two").source is None


def test_a_dateline_is_no_part_of_the_source(pipeline):
    text = "MILWAUKEE (AP) - Police say a 17-year-old was killed and three other teenagers were injured on Friday."
    assert figure_with(figures_in(pipeline, text), "three").source == "Police"


def test_it_reporting_a_figure_is_the_organisation_that_was_the_subject_before(pipeline):
    text = ("There was an outcry when the Sentencing Guidelines Council published its proposals in March. "
            "It had suggested judges should reduce sentences by a third for those who confessed early.")
    assert figure_with(figures_in(pipeline, text), "a third").source == "Sentencing Guidelines Council"


def test_a_bare_quantifier_subject_names_no_source(pipeline):
    text = ("The archive holds testimonies dating back to 1670, all recorded among the 325,000 items which "
            "fill the 12 floors of the tower.")
    assert figure_with(figures_in(pipeline, text), "325,000").source is None


def test_the_believer_is_the_source_of_the_clause_believed(pipeline):
    text = "The club manager, Jim Lay, heard the shots. Lay believes at least two other people were with the gunman."
    assert figure_with(figures_in(pipeline, text), "two").source == "Jim Lay"


def test_an_age_in_apposition_is_no_poll_share(pipeline):
    text = ("The boy's mother, Kiana Mohansing, 20, told officials that she had seen him hit the boy for hours "
            "and shoot him with a BB gun three times.")
    assert figure_with(figures_in(pipeline, text), "three").source == "Kiana Mohansing"


def test_they_reporting_a_figure_is_the_plural_subject_of_the_sentence_before(pipeline):
    text = ("Critics claim the record is at best patchy. A year ago, ministers launched their plan. "
            "They will say that in the past year more than 2,600 orders were issued by the courts.")
    assert figure_with(figures_in(pipeline, text), "2,600").source == "ministers"


def test_the_speaker_reporting_a_deed_announced_by_it_is_the_source(pipeline):
    text = "Critics of the government say it has announced more than 20 initiatives to tackle nuisance behaviour."
    assert figure_with(figures_in(pipeline, text), "20").source == "Critics of the government"


def test_according_to_a_firm_does_not_carry_into_the_next_sentences(pipeline):
    text = ("According to the research firm Pew Internet, a blog is created every 5.8 seconds. Another trend "
            "has been weblogs about the daily lives of workers. In many nations, blogs have been embraced by "
            "millions of people.")
    figures = figures_in(pipeline, text)
    assert "Pew Internet" in figure_with(figures, "5.8").source
    assert figure_with(figures, "millions").source is None


def test_it_is_the_body_that_is_the_subject_of_its_own_sentence_or_the_one_before(pipeline):
    text = ('Archy Kirkwood, the committee chairman, said: "If the agency cannot be rescued, it must be replaced." '
            "The committee reached its conclusions after it found that nearly 250,000 cases have yet to be "
            "processed. It warned that it could be five years before the agency was fit for purpose.")
    figures = figures_in(pipeline, text)
    assert figure_with(figures, "250,000").source == "committee"
    assert figure_with(figures, "five").source == "committee"


def test_shares_of_the_respondents_come_from_the_survey_before(pipeline):
    text = ("The ICM survey interviewed 110 pupils for the watchdog. Nearly half those pupils polled said it "
            "was not important to know what the parties stand for. And 4% of those questioned thought the "
            "Conservatives were in power.")
    assert figure_with(figures_in(pipeline, text), "4%").source == "ICM survey"


def test_a_person_quoted_before_is_not_the_survey_of_the_respondents(pipeline):
    text = ('"The main issue is that not everyone has the pins they need," said Mr Clump. Nearly two thirds of '
            "the 1,000 people interviewed said they had used chip and pin.")
    assert figure_with(figures_in(pipeline, text), "1,000").source is None


def test_an_organisation_posting_results_is_their_source(pipeline):
    figures = figures_in(pipeline, "Shell posted a $2.1bn loss for the quarter, against a $900m profit a year before.")
    assert figure_with(figures, "$2.1bn").source == "Shell" and figure_with(figures, "$900m").source == "Shell"
    figures = figures_in(pipeline, "Tesco beat analysts' forecasts, posting a 12% rise in profits to pounds 1.2bn.")
    assert figure_with(figures, "12%").source == "Tesco" and figure_with(figures, "pounds 1.2bn").source == "Tesco"


def test_it_blaming_a_charge_is_the_organisation_before(pipeline):
    text = ("Volvo cut 500 jobs last year, and its losses grew. "
            "It blamed a $300m charge for the closure of a plant in Sweden.")
    figures = figures_in(pipeline, text)
    assert figure_with(figures, "$300m").source == "Volvo" and figure_with(figures, "500").source is None


def test_the_agent_of_one_verb_is_not_the_source_of_a_verb_joined_to_it(pipeline):
    text = "The game was released by Nintendo last month and has been bought by two million players."
    assert figure_with(figures_in(pipeline, text), "two million").source is None


def test_a_description_of_the_company_beats_the_quote_finders_speaker(pipeline):
    text = ("Profits at Unilever fell in 2004, the group said. Chief executive Paul Polman said trading had been "
            "tough, and that costs would be cut. The consumer goods seller said it was cutting its dividend "
            "to 12 cents a share from 20 cents.")
    figures = figures_in(pipeline, text)
    assert figure_with(figures, "20").source == "Unilever"
