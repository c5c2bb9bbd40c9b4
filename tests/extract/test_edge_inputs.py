"""Found by fuzzing: inputs at the edges of the calendar and of number parsing, and inputs whose cost
would grow faster than their length, give records or one clear error, never a crash or minutes of work."""

from __future__ import annotations

import time
from datetime import date

import pytest

from newsledger.errors import InputError
from newsledger.model import Article

RELATIVE = ("Yesterday 3 people were killed. Last week 5 died. Next month, in two days, a week ago, tomorrow, "
            "next year, last year, 10 years ago, in 3 weeks, last Monday, next Friday, on Sunday, three days later.")


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1, 1, 3), date(9999, 12, 31), date(9999, 12, 25)])
def test_relative_dates_at_the_edges_of_the_calendar_stay_unresolved(pipeline, day):
    result = pipeline.extract(Article(text=RELATIVE, published=day))
    assert result.dates and result.figures
    assert any(d.value is None for d in result.dates if d.relative)  # beyond the calendar: unresolved
    for d in result.dates:
        assert d.value is None or date.fromisoformat(d.value)


@pytest.mark.parametrize("text", [
    "1" * 1_900 + " people were killed.",
    "Police said " + "9" * 1_000 + ".5 people were hurt.",
    "About 1" + "0" * 400 + " dollars were lost and 1.7976931348623157e309 people moved.",
])
def test_numbers_too_long_to_be_finite_are_not_figures(pipeline, text):
    from newsledger.extract.numbers import scan

    assert all(abs(n.value) < float("inf") for n in scan(text))
    result = pipeline.extract(Article(text=text))
    assert all(abs(f.value) < float("inf") for f in result.figures)


def test_a_run_of_a_hundred_thousand_digits_is_refused_not_crashed_on(pipeline):
    with pytest.raises(InputError, match="without a space"):
        pipeline.extract(Article(text="1" * 100_000 + " people were killed."))


def test_an_impossible_publication_day_is_an_input_error():
    from newsledger import extract

    with pytest.raises(InputError, match="YYYY-MM-DD"):
        extract("Police said 3 people were hurt.", published="2025-02-30")


@pytest.mark.parametrize("text, words", [
    ('"' * 50_000, "without a space"),
    ("&‹😀" * 40_000, "without a space"),
    ("&‹😀 " * 30_000, "mostly symbols"),
    (" ".join(str(i) for i in range(12_000)), "mostly symbols"),
    ("Officials said the storm damaged homes on Friday. " * 30 + '"' * 5_000, "without a space"),
])
def test_text_that_would_take_minutes_to_parse_is_refused_at_once(pipeline, text, words):
    started = time.process_time()
    with pytest.raises(InputError, match=words):
        pipeline.extract(Article(text=text, id="junk"))
    assert time.process_time() - started < 5  # refused before parsing, not after minutes of it


def test_a_list_sentence_longer_than_the_cap_takes_its_sources_from_the_quote_finder_only(pipeline):
    """Past MAX_SENTENCE_TOKENS the parse is not searched per figure (benchmarks/bad_input.py measures the
    time); the figures are still found, with the source the quote finder gave the sentence."""
    from newsledger.extract.figure_sources import MAX_SENTENCE_TOKENS

    items = ", ".join(f"{i} people" for i in range(1, MAX_SENTENCE_TOKENS))
    result = pipeline.extract(Article(text=f"The injured were {items}, according to the hospital."))
    assert len(result.figures) >= MAX_SENTENCE_TOKENS - 1
    assert {f.source for f in result.figures} <= {q.speaker for q in result.quotes} | {None}
