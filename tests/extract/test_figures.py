"""Figures on real sentences with the real model: values, qualifiers, counted, sources, part-of, non-figures."""

from __future__ import annotations

import json

import pytest
from extract_records import figure_with, figures_in

from newsledger.evaluate import gold_articles, read_gold, score
from newsledger.model import CATEGORIES, QUALIFIERS, Article, Extraction


def test_qualifier_counted_and_source_from_reported_speech(pipeline):
    text = ("Senior Hamas leader Basem Naim wrote an open letter on Friday. "
            "More than 9,500 Palestinian prisoners were currently being held in Israeli prisons, he said.")
    f = figure_with(figures_in(pipeline, text, "2025-03-07"), "9,500")
    assert (f.value, f.qualifier, f.counted) == (9500, "more_than", "Palestinian prisoners")
    assert f.source == "Basem Naim"
    assert f.category == "detained"
    assert f.as_of == "2025-03-07"
    assert text[f.start:f.end] == "9,500"


def test_according_to_gives_the_source_and_at_least_the_qualifier(pipeline):
    text = ("Israel's retaliatory military offensive has killed at least 48,446 people in Gaza, the majority "
            "of them civilians, according to the Hamas-run territory's health ministry.")
    f = figure_with(figures_in(pipeline, text), "48,446")
    # The place phrase after the counted noun is kept (issue 7): "people in Gaza".
    assert (f.qualifier, f.counted, f.category) == ("at_least", "people in Gaza", "killed")
    assert "health ministry" in f.source


def test_bare_numbers_stand_for_the_noun_before_them_and_their_predicate(pipeline):
    text = ("Of the 251 people abducted during Hamas's attack on Israel, 58 are still being held in Gaza, "
            "34 of whom have been declared dead by the Israeli military.")
    figs = figures_in(pipeline, text)
    held, dead = figure_with(figs, "58"), figure_with(figs, "34")
    assert held.counted == "people still being held in Gaza" and held.category == "held"
    assert "dead" in dead.counted.split() and dead.category == "killed"
    assert dead.source == "Israeli military"
    assert dead.part_of == figs.index(held)


def test_including_makes_a_part_of_the_figure_before(pipeline):
    text = ("The first phase led to the release of 33 hostages, including eight who were deceased, "
            "in exchange for about 1,800 Palestinian detainees.")
    figs = figures_in(pipeline, text)
    total, dead, detainees = (figure_with(figs, t) for t in ("33", "eight", "1,800"))
    assert dead.part_of == figs.index(total) and total.part_of is None
    assert "deceased" in dead.counted
    assert (detainees.qualifier, detainees.counted) == ("approx", "Palestinian detainees")


def test_others_and_elided_nouns_take_the_noun_of_the_figure_before(pipeline):
    text = ("A car bomb in Sadr City killed at least 12 people and wounded 22 others, security and medical "
            "officials said. Another attack left three people dead and six wounded.")
    figs = figures_in(pipeline, text)
    wounded, six = figure_with(figs, "22"), figure_with(figs, "six")
    assert wounded.counted == "people" and wounded.category == "injured"
    assert wounded.source == "security and medical officials"
    assert "people" in six.counted.split() and six.category == "injured"
    assert figure_with(figs, "12").qualifier == "at_least"


@pytest.mark.parametrize(("text", "number", "qualifier"), [
    ("Officials said nearly 100 people were hurt.", "100", "less_than"),
    ("Some 200 families were displaced.", "200", "approx"),
    ("Up to 400 people will be hired.", "400", "at_most"),
    ("No fewer than 30 rounds were fired.", "30", "at_least"),
    ("The unemployment rate went up to 5.5% in October.", "5.5%", "exact"),
    ("Between 20 and 30 people were arrested.", "20 and 30", "range"),
    ("Hundreds of people fled the town.", "Hundreds", "at_least"),
    ("There were like 40 cars in the lot, a witness said.", "40", "approx"),
    ("It looked like 3 men had broken in.", "3", "exact"),
])
def test_qualifiers(pipeline, text, number, qualifier):
    assert figure_with(figures_in(pipeline, text), number).qualifier == qualifier


def test_a_rate_of_a_percentage_is_what_it_measures(pipeline):
    text = "UNECE is forecasting average economic growth of 2.2% across the European Union in 2005."
    f = figure_with(figures_in(pipeline, text), "2.2%")
    assert f.counted.endswith("economic growth") and f.category == "percent"


def test_a_share_of_something_counts_that_thing(pipeline):
    text = "In 2012, 43 percent of the money to Mr. Obama came from small donors."
    f = figure_with(figures_in(pipeline, text), "43 percent")
    assert (f.value, f.counted, f.category) == (43, "money", "percent")


def test_percent_and_money_say_what_they_measure(pipeline):
    text = ("While the separate unemployment rate went up to 5.5% from 5.4% in September, more people were "
            "seeking work. Tory leader Michael Howard has said his party would cut pounds 35bn in wasteful "
            "spending.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "5.5%").counted.endswith("unemployment rate")
    assert figure_with(figs, "5.4%").category == "percent"
    money = figure_with(figs, "pounds 35bn")
    assert (money.value, money.category, money.counted) == (35_000_000_000, "money", "wasteful spending")
    assert money.source == "Michael Howard"


def test_every_figure_is_well_formed_on_the_corpus(pipeline, corpus_dir):
    lines = (corpus_dir / "bbc-2004.jsonl").read_text(encoding="utf-8").splitlines()[:25]
    articles = [Article(text=d["text"], id=d["id"]) for d in map(json.loads, lines)]
    total = 0
    for result in pipeline.extract_many(articles):
        assert isinstance(result, Extraction)
        text = result.article.text
        for i, f in enumerate(result.figures):
            total += 1
            assert text[f.start:f.end] == f.text
            assert f.qualifier in QUALIFIERS and f.category in CATEGORIES
            assert (f.value_max is not None) == (f.qualifier == "range")
            assert f.counted is None or len(f.counted.split()) <= 12
            assert f.part_of is None or 0 <= f.part_of < i
    assert total > 100


@pytest.mark.parametrize(("name", "floors"), [
    ("dev.jsonl", {"figures_f1": 0.95, "figure_tuple_f1": 0.85}),
    ("newsquant.jsonl", {"figures_f1": 0.95}),
])
def test_figure_scores_on_gold_stay_above_floors(pipeline, gold_dir, name, floors):
    golds = read_gold(gold_dir / name)
    preds = {r.article.id: r.to_dict() for r in pipeline.extract_many(gold_articles(golds))
             if isinstance(r, Extraction)}
    metrics = score(golds, preds).metrics
    low = {k: round(metrics[k], 3) for k, v in floors.items() if metrics[k] < v}
    assert not low, f"{name}: {low}"


def test_works_before_the_other_extractors_have_found_anything(pipeline):
    # Entities, dates and quotes may all be empty (or not yet written); figures still come out whole.
    from newsledger.extract import figures
    from newsledger.model import Extraction
    from newsledger.pipeline import Context

    text = "Officials said at least 214 people were wounded in 27 attacks, and 5 billion euros was lost."
    article = Article(text=text)
    ctx = Context(article=article, doc=pipeline.nlp(text), published=None, result=Extraction(article=article))
    got = {f.text: f for f in figures.extract(ctx)}
    assert set(got) == {"214", "27", "5 billion"}
    assert (got["214"].qualifier, got["214"].source, got["214"].category) == ("at_least", "Officials", "injured")
    assert got["5 billion"].category == "money" and got["5 billion"].as_of is None


@pytest.mark.parametrize(("text", "number", "category"), [
    ("Five teenagers were shot outside the arcade on Friday night.", "Five", "injured"),
    ("Three men were shot and killed in the parking lot.", "Three", "killed"),
    ("Two women were shot dead at the bus stop.", "Two", "killed"),
    ("One man died and at least 12 wounded in the blast.", "12", "injured"),
    ("The bomb killed one guard and three others were hurt.", "three", "injured"),
    ("Nine people were taken to hospital after the crash.", "Nine", "injured"),
    ("The two victims were in critical condition on Sunday.", "two", "injured"),
    ("Four victims were wounded in the attack, police said.", "Four", "injured"),
    ("Two men were shot during the robbery and a clerk was killed.", "Two", "injured"),
    ("Two explosions killed at least four people in the market.", "Two", "other"),
    ("The sheriff said none of the three people shot have serious injuries.", "three", "injured"),
    ("They made three arrests after seven robberies in which two guards were killed.", "seven", "other"),
    ("Nearly half of the voters backed the plan.", "half", "percent"),
    ("Two thirds of those surveyed said they would move.", "Two thirds", "percent"),
])
def test_category_comes_from_the_figures_own_clause(pipeline, text, number, category):
    assert figure_with(figures_in(pipeline, text), number).category == category


@pytest.mark.parametrize(("text", "number", "counted"), [
    ("Officials think somewhere from 300 to 900 ISIS fighters remain in the hills.", "300 to 900", "fighters"),
    ("The government's count of the number of villagers displaced - between 40 and 90 - was disputed.",
     "40 and 90", "villagers"),
    ("There are 12,400 patients on the list. The number waiting over a year fell from 1,210 to 1,045.",
     "1,210", "patients"),
    ("There are 12,400 patients on the list, down from 12,950 last month.", "12,950", "patients"),
    ("There are 12,400 patients on a waiting list, down from 12,950 last month.", "12,950", "list"),
    ("Two bombs were detonated near the line, killing three and injuring 260 others.", "260", "people"),
    ("Two bombs were detonated near the line, killing three and injuring 260 others.", "three", "people"),
    ("The bank's nine-strong rate-setting committee voted to hold rates.", "nine", "members"),
    ("The console will retail for $99 in the UK.", "$99", "price"),
    ("Ten games are on sale, with prices ranging from $19 to $29.", "$19 to $29", "prices"),
    ("Monthly waiting list figures showed the total number of people waiting more than 18 months as an inpatient "
     "in Kent has fallen by 9.8%. Statistics to the end of June showed a decline since May from 785 to 708.",
     "708", "months"),
    ("The retailer now forecasts 2006 sales of $9bn to $9.5bn and earnings excluding items of $2.10 to $2.20 per "
     "share.", "$2.10 to $2.20", "earnings"),
    ("He buys a carton of whole milk for $3.49, then returns to the car.", "$3.49", "milk"),
    ("Overall, the report forecast total growth of 3.6% in 2004 for the 30 member countries of the bloc, "
     "slipping to 2.9% next year before recovering to 3.1% in 2006.", "3.1%", "growth"),
    ("A gunman killed Jo Smith and three others were hurt in the attack.", "three", "people"),
    ("The blast left 2 dead and 5 injured on the square.", "2", "dead"),
    ("Two thirds of those waiting for surgery are over 60.", "Two thirds", "people"),
    ("He faces one criminal count of fraud.", "one", "count"),
])
def test_counted_when_the_noun_is_not_right_after_the_number(pipeline, text, number, counted):
    got = figure_with(figures_in(pipeline, text), number).counted
    assert got is not None and counted in got.split(), got


@pytest.mark.parametrize(("text", "number", "category"), [
    ("The plant ran for a year and a half before it closed.", "a half", "other"),
    ("The deficit will stay close to half a trillion dollars.", "half", "other"),
])
def test_pieces_of_amounts_are_not_shares(pipeline, text, number, category):
    figs = [f for f in figures_in(pipeline, text) if f.text == number]
    assert all(f.category == category for f in figs), figs


def test_sources_from_possessors_agents_and_described_organisations(pipeline):
    text = ("The army's tally of the number of houses destroyed - between 30 and 45 - differed from the "
            "number counted by the Red Cross, which at 120 to 150 was far higher.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "30 and 45").source == "army"
    assert "Red Cross" in (figure_with(figs, "120 to 150").source or "")
    assert figure_with(figs, "120 to 150").counted == "houses"
    text = ("Prices rose in March, Nationwide Building Society has said. The UK's second biggest lender "
            "said prices rose 12.5% over the year.")
    assert "Nationwide" in (figure_with(figures_in(pipeline, text), "12.5%").source or "")


def test_elliptical_percent_and_nouns_taken_for_verbs(pipeline):
    figs = figures_in(pipeline, "The index rose 9.5% over the year, but by only 1.2% in the final quarter.")
    assert figure_with(figs, "1.2%").counted == figure_with(figs, "9.5%").counted == "index"
    figs = figures_in(pipeline, "Analysts say three interest rate rises since March are hurting demand.")
    assert "rises" in (figure_with(figs, "three").counted or "").split()


def test_an_embedded_post_is_sourced_to_its_signer(pipeline):
    text = ("Council member Ana Ruiz said the block had been quiet.\n\n"
            "Tonight's fire on 5th Street left 2 dead and 3 hurt, heartbreaking. "
            "— Ana M. Ruiz (@AnaRuizNYC) March 3, 2016\n\nPolice said 4 people were arrested.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "2").source == figure_with(figs, "3").source == "Ana Ruiz"
    assert figure_with(figs, "4").source != "Ana Ruiz"


def test_money_counts_the_noun_before_of_and_the_subject_of_a_change(pipeline):
    # "takings of about pounds 12m", "ticket prices are to climb by pounds 8": what the money measures.
    text = ("The club reported takings of about pounds 12m last season. "
            "Season ticket prices are expected to climb by pounds 80 in August.")
    figs = pipeline.extract(Article(text=text)).figures
    got = {f.text: f.counted for f in figs}
    assert got["pounds 12m"] == "takings"
    assert "prices" in (got["pounds 80"] or "")


def test_money_after_a_vague_of_noun_keeps_no_vague_count(pipeline):
    text = "Donors gave in the region of pounds 40m to the appeal."
    f = next(f for f in pipeline.extract(Article(text=text)).figures if f.text == "pounds 40m")
    assert f.counted != "region"


def test_an_opening_among_names_the_group_a_share_is_of(pipeline):
    # "Among young voters, 40% backed ..." counts voters, not the plan; a mid-sentence "among" does not.
    text = "Among young voters, 40% backed the plan. Unemployment among graduates rose to 8%."
    got = {f.text: f.counted for f in pipeline.extract(Article(text=text)).figures}
    assert got["40%"] == "young voters"
    assert got["8%"] == "Unemployment"


def test_a_noun_straight_before_up_or_down_is_what_the_share_measures(pipeline):
    text = "The brewer had a quiet quarter, with exports up 4% and margins down 2%."
    got = {f.text: f.counted for f in pipeline.extract(Article(text=text)).figures}
    assert (got["4%"], got["2%"]) == ("exports", "margins")


def test_bare_numbers_killed_or_hurt_stand_for_people(pipeline):
    text = ("The first attack hit a rally which killed over 26 and wounded over 42. In a second incident 22 were "
            "killed and another 38 were injured in the explosion. The four injured in the shooting are all men.")
    figs = figures_in(pipeline, text)
    for number in ("26", "42", "22", "38", "four"):
        assert "people" in figure_with(figs, number).counted.split(), (number, figure_with(figs, number).counted)
    assert figure_with(figs, "38").counted == "people injured in the explosion"


def test_a_count_of_deaths_is_not_what_the_injured_next_to_it_are(pipeline):
    text = "We are sad to report 3 fatalities tonight, 1 injured and transported to hospital."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "3").counted == "fatalities"
    assert figure_with(figs, "1").counted.split()[0] == "people"


def test_a_post_signed_by_a_body_with_a_lower_case_word_in_its_name_is_its_source(pipeline):
    text = ("Police responded to the shooting on Friday night.\n\nWe are sad to report 3 fatalities tonight "
            "#Shooting \u2014 City of Mukilteo (@CityofMukilteo) July 30, 2016")
    assert figure_with(figures_in(pipeline, text), "3").source == "City of Mukilteo"


def test_the_doer_of_a_killing_is_not_what_its_bare_numbers_count(pipeline):
    text = "Twin bombs exploded near the finish line, killing three and injuring some 260 others."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "three").counted == "people"
    assert figure_with(figs, "260").counted == "people"


def test_the_five_refers_back_to_the_five_counted_before(pipeline):
    text = "Five men got into the chamber on Monday. Police said the five tried to confront MPs."
    assert figure_with(figures_in(pipeline, text), "five").counted == "men"


def test_a_counted_noun_keeps_the_nouns_joined_to_it_and_where_they_are(pipeline):
    text = ("About 15 to 20 teens and young adults were inside a home when a suspect walked in. "
            "There are 305,775 people on a waiting list of some kind.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "15 to 20").counted == "teens and young adults"
    assert figure_with(figs, "305,775").counted == "people on waiting list"


def test_a_piece_of_a_unit_counts_the_unit(pipeline):
    text = "The blast, half a mile from the embassy, left 1 dead."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "half").counted == "mile"
    assert figure_with(figs, "1").counted == "people dead"


def test_an_unattributed_forecast_takes_the_forecaster_just_before(pipeline):
    text = ("Growth in the US would reach 3.3% next year, the OECD said.\n\n"
            "Forecasts for Japanese growth were also scaled back to 4.0% from 4.4% this year.")
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "4.0%").source == "OECD"
    text = "Sales rose 5% last year. Forecasts for growth were cut to 2.0%."
    assert figure_with(figures_in(pipeline, text), "2.0%").source is None


def test_others_take_the_noun_of_the_sentence_before(pipeline):
    text = "On Saturday, police arrested 5 men. Two others were charged on Monday."
    assert figure_with(figures_in(pipeline, text), "Two").counted == "men"


def test_a_share_that_acts_is_a_share_of_the_group_before_not_of_its_object(pipeline):
    text = "According to the survey, 40% of firms cut jobs. It also found that 12% raised pay."
    assert figure_with(figures_in(pipeline, text), "12%").counted == "firms"


def test_one_person_is_no_word_for_the_others_but_one_thing_is(pipeline):
    text = "A shooting killed 1 woman and injured 11 others Saturday. The fire destroyed 1 home and damaged 3 others."
    figs = figures_in(pipeline, text)
    assert figure_with(figs, "11").counted == "people"
    assert figure_with(figs, "3").counted == "home"


@pytest.mark.parametrize(("text", "number", "counted"), [
    # An amount restated in brackets, with its currency word between, measures what the first one does.
    ("The carmaker posted a record loss of 68m euros (dollars 89m; pounds 47m) in the year to June.",
     "pounds 47m", "record loss"),
    # ... and a restatement that found its noun lends it to the amounts before it.
    ("Last month it said it was looking for a further 540bn yen (dollars 5.2bn; pounds 2.77bn) in fresh "
     "financial backing.",
     "540bn", "fresh financial backing"),
    # The end of a change measures what its start does.
    ("The retailer said losses had risen from pounds 1m to pounds 1.2m, while sales had fallen from "
     "pounds 138m to pounds 118m.", "pounds 118m", "sales"),
    ("Net income fell to 537m euros during 2004, from 798m euro a year ago.", "798m", "Net income"),
    # The noun right before "of", whatever noun the parser hung the "of" on.
    ("With a good distribution of such grants and economic growth of just 2%, poverty could fall.", "2%",
     "economic growth"),
    ("Exports have suffered, as unemployment of more than five million and impending cuts to welfare weigh "
     "on consumers.", "five million", "unemployment"),
    ("Poverty could fall as low as 15.3% by 2019, he said.", "15.3%", "Poverty"),
    # A period is not what grew.
    ("The statistics office said growth for the whole of 2004 was 1.6%.", "1.6%", "growth"),
    # A change verb moves what comes before it, or its clause's subject for a participle.
    ("Output rose 0.3% - in line with forecasts - in November.", "0.3%", "Output"),
    ("Mining output drove the increase, surging 2.1%, while factory output rose 0.3%.", "2.1%", "Mining output"),
    ("Jobs growth averaged 178,000 during the same period.", "178,000", "Jobs growth"),
    ("The central bank raised rates by 0.27 percentage points to 5.8%.", "0.27", "rates"),
    # A bare increase continues the amount before it; a hike is a change like a rise.
    ("The ministers want the budget to be capped at 1% of member states' combined national incomes - the "
     "commission has urged an increase to 1.26%.", "1.26%", "budget as a share of national income"),
    ("He said the proposal would mean a 35% hike in the budget.", "35%", "budget"),
    ("The carmaker sold more than 2.4 million vehicles in 2004, an increase of 4% on the previous year.", "4%",
     "vehicles"),
    # The earlier amount of "down from", whatever the clause between says.
    ("The firm earned dollars 630m (pounds 481.5m) in the October-to-December period, down from dollars 1bn "
     "a year earlier.", "dollars 1bn", "earnings"),
    # What a participle sets the amount of; what a change noun object is in; a verb's subject's "of".
    ("The airline placed an order for 70 planes, in a deal valued at dollars 4bn (pounds 2.1bn).", "pounds 2.1bn",
     "deal"),
    ("The carmaker enjoyed a healthy 43% rise in net profits to 2.4bn euros (dollars 3.1bn) as sales rose.",
     "2.4bn", "net profits"),
    ("The value of the country's exports is expected to reach more than dollars 60bn this year.", "dollars 60bn",
     "exports"),
    ("Reports said the party repaid pounds 500,000 to its former treasurer.", "pounds 500,000", "repayment"),
    # A scaled number an amount changes from is money; an opening "of" names the group a share is of.
    ("Its pre-tax earnings in the fourth quarter were 77m euros (pounds 53m; dollars 100m), up from 38m in the "
     "same period of 2003.", "38m", "pre-tax earnings"),
    ("But of the 145 companies reporting, 76% did not examine their supply chains, says the survey.", "76%",
     "companies"),
    ("UK interest rates are set to remain on hold at 4.75% following the latest meeting of the Bank.", "4.75%",
     "interest rates"),
    # A change verb the tagger took for an adjective.
    ("The tourism industry is booming and revenues from visitors should more than double to dollars 21bn "
     "(pounds 10.8bn) in three years.", "dollars 21bn", "revenues"),
    # What "worth" describes; a share "of it" is of the amount before it.
    ("The change will see the end of such denominations as the 20m note, worth dollars 15.", "dollars 15", "note"),
    ("It said it was looking for a further 540bn yen in fresh financial backing, half of it from other "
     "companies in the group.", "half", "fresh financial backing"),
])
def test_counted_for_money_shares_and_rates(pipeline, text, number, counted):
    f = figure_with(figures_in(pipeline, text), number)
    assert f.counted is not None and counted in f.counted, f.counted


def test_a_bare_number_in_a_hospital_condition_counts_people(pipeline):
    text = "One victim was killed in the shooting, while one was critical and another in a serious condition."
    figs = [f for f in figures_in(pipeline, text) if f.start > 40]
    assert figs and figs[0].counted.split()[0] == "people", figs
