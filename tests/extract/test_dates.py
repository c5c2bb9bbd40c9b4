"""Date mentions and date_for on real sentences, with hand-checked resolutions."""

from __future__ import annotations

from datetime import date

import pytest

from newsledger.extract.dates import date_for
from newsledger.model import Article, parse_iso_date
from newsledger.pipeline import Context


def _dates(pipeline, text: str, published: str | None) -> dict[str, tuple]:
    result = pipeline.extract(Article(text=text, published=parse_iso_date(published)))
    return {d.text: (d.value, d.value_end, d.granularity) for d in result.dates}


def _ctx(pipeline, text: str, published: str | None) -> Context:
    article = Article(text=text, published=parse_iso_date(published))
    result = pipeline.extract(article)
    return Context(article=article, doc=pipeline.nlp(text), published=article.published, result=result)


@pytest.fixture(scope="module")
def truce(truce_extraction):
    """The first dev article (published Friday 2025-03-07) and its date mentions."""
    text, result = truce_extraction
    return text, result.dates


def test_dev_article_dates_resolve_against_the_publication_friday(truce):
    text, dates = truce
    got = [(d.text, d.value, d.value_end, d.granularity) for d in dates]
    assert got == [
        ("Friday", "2025-03-07", None, "day"),              # "Hamas on Friday urged": the publication day
        ("the day before", "2025-03-06", None, "day"),      # anchored on that Friday
        ("Thursday", "2025-03-06", None, "day"),
        ("January 19", "2025-01-19", None, "day"),          # year-less, past clause
        ("late November 2023", "2023-11-21", "2023-11-30", "range"),
        ("October 7, 2023", "2023-10-07", None, "day"),
        ("Friday", "2025-03-07", None, "day"),
        ("last weekend", "2025-03-01", "2025-03-02", "range"),
        ("mid-April", "2025-04-11", "2025-04-20", "range"),
        ("Friday", "2025-03-07", None, "day"),
        ("Saturday", "2025-03-08", None, "day"),            # "will meet ... on Saturday": ahead
    ]
    assert all(text[d.start:d.end] == d.text for d in dates)


def test_ages_durations_and_counts_are_not_dates(truce):
    _, dates = truce
    texts = {d.text for d in dates}
    assert not texts & {"58", "six weeks", "one-week"}


def test_relative_flag_marks_dates_resolved_against_an_anchor(truce):
    _, dates = truce
    flags = {d.text: d.relative for d in dates}
    assert flags["Thursday"] and flags["last weekend"] and flags["the day before"]
    assert not flags["October 7, 2023"] and not flags["late November 2023"]


def test_weekday_in_past_clause_leans_back_and_in_future_clause_ahead(pipeline):
    # Published on a Tuesday.
    text = ("The boy was shot on Sunday night, police said. "
            "The suspect will appear in court on Thursday.")
    got = _dates(pipeline, text, "2014-01-28")
    assert got["Sunday night"] == ("2014-01-26", None, "day")
    assert got["Thursday"] == ("2014-01-30", None, "day")


def test_scheduled_events_lie_ahead_even_in_a_past_clause(pipeline):
    text = "Berman scheduled court dates for Dec. 19 and Jan. 31 but has not set a trial date."
    got = _dates(pipeline, text, "2016-11-17")
    assert got["Dec. 19"][0] == "2016-12-19"
    assert got["Jan. 31"][0] == "2017-01-31"


def test_yearless_date_in_past_clause_takes_last_year_across_new_year(pipeline):
    got = _dates(pipeline, "The shooting happened on Dec. 28 outside a bar.", "2017-01-04")
    assert got["Dec. 28"] == ("2016-12-28", None, "day")


def test_relative_periods(pipeline):
    text = ("Two days ago the council met. Last week it voted, and last month it lost its chair. "
            "Yesterday the mayor resigned. This week the city will pick a new one. "
            "Prices rose sharply last year.")
    got = _dates(pipeline, text, "2025-03-07")  # a Friday
    assert got["Two days ago"] == ("2025-03-05", None, "day")
    assert got["Last week"] == ("2025-02-24", "2025-03-02", "week")
    assert got["last month"] == ("2025-02-01", "2025-02-28", "month")
    assert got["Yesterday"] == ("2025-03-06", None, "day")
    assert got["This week"] == ("2025-03-03", "2025-03-09", "week")
    assert got["last year"] == ("2024-01-01", "2024-12-31", "year")


def test_explicit_dates_in_several_styles(pipeline):
    text = ("The attacks of Sept. 11, 2001 changed the city. On 17 September 2019, two bombs went off. "
            "He served in the Navy between 2007 and 2011, and grew up in the 1970s.")
    got = _dates(pipeline, text, None)
    assert got["Sept. 11, 2001"] == ("2001-09-11", None, "day")
    assert got["17 September 2019"] == ("2019-09-17", None, "day")
    assert got["2007"] == ("2007-01-01", "2007-12-31", "year")
    assert got["2011"] == ("2011-01-01", "2011-12-31", "year")
    assert got["the 1970s"] == ("1970-01-01", "1979-12-31", "range")


def test_without_publication_day_relative_dates_stay_unresolved(pipeline):
    got = _dates(pipeline, "Police said on Sunday that the man was arrested in March 2016.", None)
    assert got["Sunday"] == (None, None, None)
    assert got["March 2016"] == ("2016-03-01", "2016-03-31", "month")


def test_names_and_plain_numbers_are_not_dates(pipeline):
    text = "USA Today reported that 2000 people marched and may return; the march drew 1,200 more."
    assert _dates(pipeline, text, "2020-06-01") == {}


def test_date_for_uses_the_date_governing_the_clause(pipeline):
    text = ("Hamas on Friday urged Trump to meet prisoners. "
            "On Thursday, Trump met in the Oval Office with eight former Israeli hostages. "
            "More than 9,500 Palestinian prisoners are being held, he said. "
            "In late November 2023, 105 hostages had already been freed.")
    ctx = _ctx(pipeline, text, "2025-03-07")
    at = text.index
    assert date_for(ctx, at("eight"), at("eight") + 5) == "2025-03-06"
    assert date_for(ctx, at("9,500"), at("9,500") + 5) == "2025-03-07"  # no date: publication day
    assert date_for(ctx, at("105"), at("105") + 3) == "2023-11-21"      # period dating its clause: start


def test_date_for_skips_dates_that_only_bound_the_clause(pipeline):
    text = "At least 30 people have been killed since Friday, officials said."
    ctx = _ctx(pipeline, text, "2025-03-10")
    assert date_for(ctx, text.index("30"), text.index("30") + 2) == "2025-03-10"


def test_date_for_without_any_date_is_none(pipeline):
    text = "More than 30 people were hurt in the blast."
    ctx = _ctx(pipeline, text, None)
    assert date_for(ctx, text.index("30"), text.index("30") + 2) is None


def test_date_for_period_holding_publication_day_gives_publication_day(pipeline):
    text = "This year, 40 people have been shot in the city."
    ctx = _ctx(pipeline, text, "2016-07-06")
    assert ctx.published == date(2016, 7, 6)
    assert date_for(ctx, text.index("40"), text.index("40") + 2) == "2016-07-06"


def test_weekday_with_yearless_date_picks_the_year_it_falls_on(pipeline):
    text = "He will face a felony charge in the shooting death of Tyler Buchanan last Thursday, January 5."
    got = _dates(pipeline, text, "2017-01-06")
    assert got["Thursday, January 5"] == ("2017-01-05", None, "day")


def test_since_and_possessive_weekday_look_back(pipeline):
    text = ("A family of four has been missing since May. "
            "The pilots are expected to fully recover from Saturday's crash.")
    got = _dates(pipeline, text, "2015-06-30")  # a Tuesday
    assert got["May"] == ("2015-05-01", "2015-05-31", "month")
    assert got["Saturday"] == ("2015-06-27", None, "day")


def test_quarters_and_month_lists(pipeline):
    text = ("Rates rose in June, August and September. Growth slowed in the fourth quarter, "
            "after the third quarter of 2003.")
    got = _dates(pipeline, text, "2005-02-10")
    assert got["August"] == ("2004-08-01", "2004-08-31", "month")
    assert got["September"] == ("2004-09-01", "2004-09-30", "month")
    assert got["the fourth quarter"] == ("2004-10-01", "2004-12-31", "range")
    assert got["the third quarter of 2003"] == ("2003-07-01", "2003-09-30", "range")


def test_date_for_ignores_a_date_deep_in_a_noun_phrase(pipeline):
    text = ("Three men each face one count of murder in connection with a shooting on July 25, 2014. "
            "Of the 251 people abducted during the attack on October 7, 2023, 58 are still held.")
    ctx = _ctx(pipeline, text, "2015-10-01")
    assert date_for(ctx, text.index("one"), text.index("one") + 3) == "2015-10-01"
    assert date_for(ctx, text.index("251"), text.index("251") + 3) == "2015-10-01"  # held now
    abducted = text.index("abducted")
    assert date_for(ctx, abducted, abducted + 8) == "2023-10-07"  # "during the attack on October 7"


def test_wanted_participle_looks_ahead(pipeline):
    got = _dates(pipeline, "Israel wants it extended until mid-April, officials said.", "2025-03-07")
    assert got["mid-April"] == ("2025-04-11", "2025-04-20", "range")


def test_named_days_are_not_weekdays_near_publication(pipeline):
    text = "The march marked the anniversary of Bloody Sunday. Shops opened early on Black Friday."
    assert _dates(pipeline, text, "2016-11-24") == {}


def test_holidays_after_a_cue_word(pipeline):
    text = ("Six people were killed in shootings across Chicago over Labor Day weekend, police said. "
            "He was shot on Thanksgiving. Shops at the Christmas market stayed open. "
            "He planned the attack on Halloween of 2013.")
    got = _dates(pipeline, text, "2015-12-01")
    assert got["Labor Day weekend"] == ("2015-09-05", "2015-09-07", "range")
    assert got["Thanksgiving"] == ("2015-11-26", None, "day")
    assert got["Halloween of 2013"] == ("2013-10-31", None, "day")
    assert not any("Christmas" in k for k in got)


def test_over_the_weekend_and_abbreviation_glued_to_the_day(pipeline):
    text = "Three people were shot over the weekend in Chicago. Tamerlan bought two pistols on Jan.30, 2013."
    got = _dates(pipeline, text, "2016-10-31")  # a Monday
    assert got["the weekend"] == ("2016-10-29", "2016-10-30", "range")
    assert got["Jan.30, 2013"] == ("2013-01-30", None, "day")
