"""What money and shares measure, and who gives them, on sentences written for these tests (issue 7)."""

from __future__ import annotations

from extract_records import figure_with, figures_in


def test_a_change_counts_what_it_is_a_change_in_and_the_amount_it_reaches(pipeline):
    text = "The supermarket chain has announced a 14% rise in half-year profits to dollars 3.1bn (pounds 1.7bn)."
    figs = figures_in(pipeline, text)
    for number in ("14%", "dollars 3.1bn", "pounds 1.7bn"):
        f = figure_with(figs, number)
        assert f.counted is not None and f.counted.split()[-1] == "profits", (number, f.counted)
        assert f.source == "supermarket chain", (number, f.source)


def test_a_forecast_counts_what_it_forecasts_and_later_amounts_continue_it(pipeline):
    text = "Forecasts for German inflation were cut to 1.9% from 2.3% this year and 1.6% from 2.0% in 2006."
    figs = figures_in(pipeline, text)
    for number in ("1.9%", "2.3%", "1.6%", "2.0%"):
        assert figure_with(figs, number).counted == "German inflation", number


def test_a_currency_is_never_what_an_amount_counts(pipeline):
    text = "The retailer's profit was 41 cents a share, while analysts had expected 38 cents."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "41").counted == "retailer 's profit"
    assert figure_with(figs, "38").counted == "retailer 's profit"


def test_an_amount_before_a_noun_counts_that_noun(pipeline):
    text = "The government will sign its dollars 2.4bn (pounds 1.3bn) road building contract next week."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "dollars 2.4bn").counted == "road building contract"
    assert figure_with(figs, "pounds 1.3bn").counted == "road building contract"


def test_a_price_that_falls_to_a_level_counts_the_thing_whose_price_moves(pipeline):
    # Pence or dollars per share are a share price (as the train files annotate them: "Cairn share price").
    text = "Shell shares fell to 402p in early trading, from a 418p close on Friday."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "402").counted == "Shell share price"
    assert figure_with(figs, "418").counted == "Shell share price"
    text = "Acme stock fell to dollars 41.2 in after-hours trade, from a dollars 44.05 end on Nasdaq."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "dollars 41.2").counted == "Acme stock price"
    assert figure_with(figs, "dollars 44.05").counted == "Acme stock price"


def test_a_company_that_closes_at_a_level_counts_its_share_price(pipeline):
    text = "The property firm ended the day down at dollars 8.08, while its rival Zeta gained 7%."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "dollars 8.08").counted == "property firm share price"
    assert figure_with(figs, "7%").counted == "Zeta share price"
    text = "The benchmark stock index closed down 7.9% at 642.80."
    assert figure_with(figures_in(pipeline, text), "7.9%").counted == "benchmark stock index"


def test_an_amount_per_unit_of_stuff_is_a_price_not_the_unit(pipeline):
    text = "Currently above dollars 40 a barrel, oil has risen for five months."
    assert figure_with(figures_in(pipeline, text), "dollars 40").counted == "oil price"
    text = "It sold at dollars 1,200 an ounce last week."
    assert figure_with(figures_in(pipeline, text), "dollars 1,200").counted == "price per ounce"


def test_a_named_share_or_total_counts_itself(pipeline):
    text = "The cement maker has a market share of 13%. Meanwhile, the benefit claimant total fell 11,000 to 813,200."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "13%").counted == "market share"
    assert figure_with(figs, "11,000").counted == "benefit claimant total"
    assert figure_with(figs, "813,200").counted == "benefit claimant total"


def test_whose_expectation_or_target_an_amount_is_names_its_source(pipeline):
    text = ("Its profit was 33 cents a share, but analysts had expected 34 cents. The miner raised targets "
            "from 60,000 tonnes a day to 80,000 tonnes. Despite profits rising 44%, Wall Street had expected more.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "34").source == "analysts"
    assert figure_with(figs, "60,000").source == "miner"
    assert figure_with(figs, "44%").source is None


def test_a_cut_in_spending_is_not_counted_as_the_party_that_cuts(pipeline):
    text = "The opposition leader said his party would cut pounds 12bn in wasteful spending."
    assert figure_with(figures_in(pipeline, text), "pounds 12bn").counted == "wasteful spending"


def test_an_opening_of_phrase_names_the_group_shares_are_of(pipeline):
    text = "Of the company's shareholders, 41.2% live in France, 20.5% in Spain and 9.9% in Belgium."
    figs = figures_in(pipeline, text)
    for number in ("41.2%", "20.5%", "9.9%"):
        assert figure_with(figs, number).counted.split()[-1] == "shareholders", number


def test_a_spelled_out_body_is_named_in_full_where_the_article_gives_both(pipeline):
    text = ("Retail sales fell in March, says the Office for National Statistics (ONS).\n\n"
            "The ONS says gross domestic product (GDP) rose by 0.4% in the first quarter.")
    f = figure_with(figures_in(pipeline, text), "0.4%")
    assert f.source == "Office for National Statistics"
    assert f.counted == "gross domestic product (GDP)"


def test_said_and_announced_with_an_object_still_attribute_the_figure(pipeline):
    text = ("Teachers oppose the reform but Ms Lane said pounds 300m savings had been found. "
            "Ms Lane also announced plans to close 14 regional offices.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "pounds 300m").source == "Lane"
    assert figure_with(figs, "14").source == "Lane"


def test_a_number_of_people_waiting_keeps_which_people_it_counts(pipeline):
    text = ("The number of patients waiting more than nine months has fallen by 6.1%, official figures show. "
            "The number waiting over six months also fell from 4,120 to 3,870, or 6.5%.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "6.1%").counted.split()[0] == "patients"
    assert figure_with(figs, "4,120").counted.startswith("patients waiting over six months")
    assert figure_with(figs, "6.5%").counted == figure_with(figs, "3,870").counted


def test_a_weight_of_stuff_counts_the_stuff_too(pipeline):
    text = "Investigators said the van carried 2,500 pounds of fertilizer when it was stopped."
    assert figure_with(figures_in(pipeline, text), "2,500").counted == "pounds of fertilizer"


def test_a_concessive_clause_is_not_reported_by_the_speech_after_it(pipeline):
    text = "Although 500 fans had gathered outside, police said the match passed off peacefully."
    assert figure_with(figures_in(pipeline, text), "500").source is None


def test_an_inverted_cue_at_the_end_names_the_source(pipeline):
    text = "At least nine people died when the ferry capsized, reported coastguard officials."
    assert figure_with(figures_in(pipeline, text), "nine").source == "coastguard officials"


def test_more_currencies_are_never_what_an_amount_counts(pipeline):
    text = "The ministry spent 59.2 trillion rupiah on fuel subsidies, while applicants paid 205 riyals apiece."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "59.2 trillion").counted != "rupiah"
    assert figure_with(figs, "59.2 trillion").category == "money"
    assert figure_with(figs, "205").category == "money"


def test_an_amount_before_a_name_owned_noun_counts_the_noun(pipeline):
    text = "The regulator found that a 50% Disney-owned subsidiary company employed the wife of a director."
    assert figure_with(figures_in(pipeline, text), "50%").counted == "Disney-owned subsidiary company"


def test_shares_sold_are_not_a_share_price(pipeline):
    text = "It sold 17.2 million shares in a bid to raise up to dollars 443m."
    assert figure_with(figures_in(pipeline, text), "dollars 443m").counted != "share price"


def test_with_analysts_saying_names_the_analysts(pipeline):
    text = "Its shares jumped 10.7% on the news, with analysts saying sales of dollars 600m a year were possible."
    assert figure_with(figures_in(pipeline, text), "dollars 600m").source == "analysts"


def test_money_a_verb_moves_is_named_by_the_verb_not_by_who_moves_it(pipeline):
    text = ("The company is earning about dollars 1.8m an hour. The government will spend pounds 2bn on new "
            "schools. The firm has bid dollars 800m for two rivals.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "dollars 1.8m").counted == "earnings"
    assert figure_with(figs, "pounds 2bn").counted == "spending on new schools"
    assert figure_with(figs, "dollars 800m").counted == "bid for rivals"


def test_a_restated_amount_is_as_exact_as_the_first(pipeline):
    text = "The company said the levy would be about 900 rupees (dollars 20.40; pounds 10.50) per tonne."
    figs = figures_in(pipeline, text)
    assert [figure_with(figs, n).qualifier for n in ("900", "dollars 20.40", "pounds 10.50")] == ["approx"] * 3
    text = "Profits rose to dollars 5bn, up from dollars 3bn."
    assert figure_with(figures_in(pipeline, text), "dollars 3bn").qualifier == "exact"


def test_a_subject_keeps_what_it_is_of_and_a_price_of_stuff_is_named_once(pipeline):
    f = figure_with(figures_in(pipeline, "Sales of antiviral drugs rose 40% in the quarter."), "40%")
    assert f.counted == "Sales of antiviral drugs"
    f = figure_with(figures_in(pipeline, "The price of gold fell to dollars 413.50 an ounce in Asia."), "dollars 413.50")
    assert f.counted == "price of gold"


def test_a_share_of_gdp_measures_what_its_clause_is_about(pipeline):
    f = figure_with(figures_in(pipeline, "The budget deficit will widen to 4.5% of GDP next year."), "4.5%")
    assert f.counted == "budget deficit as a share of GDP"
    text = "Germany has struggled to reduce its budget deficit below 3% of GDP."
    assert "deficit" in figure_with(figures_in(pipeline, text), "3%").counted.split()


def test_whom_money_is_for_is_not_what_it_measures(pipeline):
    f = figure_with(figures_in(pipeline, "The sale raised $1.7bn for the government."), "$1.7bn")
    assert f.counted == "sale"


def test_a_unit_is_counted_written_out_and_a_data_rate_counts_a_speed(pipeline):
    text = ("The laser links work across distances of up to 4km. They route data at up to 1.25gbps, "
            "far faster than a 512kbps broadband connection.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "4").counted == "kilometres"
    assert figure_with(figs, "1.25").counted == "data speed"
    assert figure_with(figs, "512").counted == "broadband connection speed"


def test_an_amount_between_an_article_and_a_word_counts_that_word(pipeline):
    text = ("A restructuring drive also led to a dollars 337m hit in the fourth quarter. "
            "It blamed an dollars 850m payout to settle a lawsuit.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "dollars 337m").counted == "hit"
    assert figure_with(figs, "dollars 850m").counted == "payout"


def test_a_number_that_is_the_subjects_value_counts_the_subject(pipeline):
    text = "The expansion slowed. The statistics office said growth in the third quarter had been zero."
    assert figure_with(figures_in(pipeline, text), "zero").counted == "growth"


def test_an_amount_in_millions_ends_its_sentence(pipeline):
    # "50m." is the amount and a full stop, not the abbreviation "m.": the next sentence's subject is not
    # what the money counts.
    text = "The scheme attracted only 900 students at a cost of pounds 50m. Chief executive John Beaumont was paid."
    assert figure_with(figures_in(pipeline, text), "pounds 50m").counted == "cost"


def test_an_object_number_without_a_noun_goes_on_counting_what_the_sentence_before_counted(pipeline):
    text = ("A year ago the firm had customers in only about 70 towns and cities. "
            "By the end of March the firm hopes to reach more than 1,000.")
    assert figure_with(figures_in(pipeline, text), "1,000").counted == "towns and cities"
