"""Measures know their scope: a running total, one incident, a period (dated to the period), a rate, a record."""

from __future__ import annotations

from datetime import date

import pytest

from newsledger.ledger.measures import (
    PAGE_KEY,
    UNNAMED_KEY,
    measure_for,
    measure_scope,
    period_bounds,
    period_of,
)
from newsledger.model import Article, Figure

MONDAY = date(2016, 8, 8)


@pytest.fixture(scope="module")
def measure(pipeline):
    """The measure of a figure in a text, with the text's entities found by the real pipeline."""

    def run(text: str, number: str, counted: str | None, category: str, published: date = MONDAY):
        ex = pipeline.extract(Article(text=text, published=published, id="t"))
        start = text.index(number)
        fig = Figure(start, start + len(number), number, 1, counted=counted, category=category)  # type: ignore[arg-type]
        return measure_for(fig, ex.entities, text, published=published)

    return run


def test_a_weekend_tally_is_dated_to_its_weekend_and_never_extends_the_running_total(measure):
    weekend = measure("At least five people were killed and 17 wounded in weekend shootings across Chicago, "
                      "police said.", "five", "people", "killed")
    total = measure("A total of 4,300 people have been killed in Chicago since 2010, police said.", "4,300",
                    "people", "killed")
    assert weekend.scope == "period" and weekend.period_kind == "weekend"
    assert weekend.period == "2016-08-06/2016-08-07"  # Saturday and Sunday before the Monday it was published
    assert measure_scope(weekend.key) == "period" and not weekend.cumulative
    assert weekend.label == "killed · people · Chicago · per weekend"
    assert total.scope == "total" and total.cumulative and total.key == "killed||people|chicago"
    assert weekend.key == "killed||people|chicago|weekend"


def test_a_year_count_is_dated_to_the_year_it_names(measure):
    named = measure("In 2016, 762 people were killed in Chicago, the most in two decades.", "762", "people",
                    "killed", published=date(2017, 1, 2))
    assert (named.scope, named.period_kind, named.period) == ("period", "year", "2016")
    so_far = measure("So far this year, 412 people have been shot and wounded in Chicago, police said.", "412",
                     "people", "injured")
    assert (so_far.period_kind, so_far.period) == ("year", "2016")
    last = measure("Last year 2,988 people were shot in Chicago.", "2,988", "people", "injured")
    assert last.period == "2015"


def test_a_record_or_comparison_is_no_value_of_a_series(measure):
    rec = measure("The city has only once exceeded 500 victims in a single year since 2004.", "500", "victims",
                  "killed")
    assert rec.scope == "record" and rec.key.endswith("|record")
    assert "only once" in rec.explanation


def test_a_rate_is_not_a_count(measure):
    rate = measure("Chicago's homicide rate rose to 27.9 per 100,000 residents in Chicago.", "27.9", "homicide rate",
                   "killed")
    assert rate.scope == "rate" and rate.key.endswith("|rate")


def test_hurt_or_killed_together_is_its_own_measure(measure):
    text = "Sixteen people were hurt or killed in the shooting in Orlando; one man was killed and 15 were wounded."
    both = measure(text, "Sixteen", "people", "killed")
    killed = measure(text, "one", "man", "killed")
    wounded = measure(text, "15", None, "injured")
    assert both.category == "casualties"
    assert len({both.key, killed.key, wounded.key}) == 3


def test_page_furniture_and_names_are_no_measures(measure):
    caption = measure("Image 3 of 9 Police investigate the scene where two men were shot in Houston.", "two",
                      "men", "injured")
    assert caption.key == PAGE_KEY and "page" in caption.label
    name = measure("Police said Rodriguez, 28, was taken to a hospital in Memphis.", "28", "Rodriguez", "other")
    assert name.key == UNNAMED_KEY


def test_one_incident_is_its_own_scope(measure):
    m = measure("A gunman opened fire at a bar in Colorado Springs, killing three people.", "three", "people",
                "killed")
    assert m.scope == "incident" and m.label.endswith("one incident")


@pytest.mark.parametrize(("kind", "day", "offset", "expected", "bounds"), [
    ("day", date(2016, 8, 8), 0, "2016-08-08", ("2016-08-08", "2016-08-08")),
    ("weekend", date(2016, 8, 7), 0, "2016-08-06/2016-08-07", ("2016-08-06", "2016-08-07")),
    ("weekend", date(2016, 8, 10), 0, "2016-08-06/2016-08-07", ("2016-08-06", "2016-08-07")),
    ("week", date(2016, 8, 8), -1, "2016-W31", ("2016-08-01", "2016-08-07")),
    ("month", date(2016, 1, 15), -1, "2015-12", ("2015-12-01", "2015-12-31")),
    ("year", date(2016, 8, 8), 0, "2016", ("2016-01-01", "2016-12-31")),
])
def test_periods_are_written_and_read_back(kind, day, offset, expected, bounds):
    assert period_of(kind, day, offset) == expected
    assert tuple(d.isoformat() for d in period_bounds(expected)) == bounds


def test_an_age_after_a_name_is_no_count(measure):
    age = measure("Justin King, 24, and Tobiasz Cudnik, 32, were taken to the hospital.", "32", "people", "injured")
    assert age.key == UNNAMED_KEY and "age" in age.explanation
    count = measure("Hamas holds 59 hostages in Gaza, 35 of whom are believed to be dead.", "35", "hostages",
                    "killed")
    assert count.key != UNNAMED_KEY
