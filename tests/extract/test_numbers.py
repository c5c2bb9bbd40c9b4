"""The number scanner on real phrasing: digits, words, scales, money, percentages, ranges and non-numbers."""

from __future__ import annotations

import pytest

from newsledger.extract.numbers import scan, words_value


def _one(text: str):
    found = scan(text)
    assert len(found) == 1, f"{text!r}: {found}"
    return found[0]


@pytest.mark.parametrize(("text", "span", "value", "kind"), [
    ("More than 9,500 Palestinian prisoners", "9,500", 9500, "plain"),
    ("the population reached 1.2 million", "1.2 million", 1_200_000, "plain"),
    ("a takeover worth $4.5bn", "$4.5bn", 4_500_000_000, "money"),
    ("a ticket costs £5.05", "£5.05", 5.05, "money"),
    ("unemployment rose to 12% last year", "12%", 12, "percent"),
    ("the party would cut pounds 35bn in spending", "pounds 35bn", 35_000_000_000, "money"),
    ("profits jumped to dollars 1.13bn", "dollars 1.13bn", 1_130_000_000, "money"),
    ("the rate was 5 per cent", "5 per cent", 5, "percent"),
    ("a deal worth US $58.24 a share", "US $58.24", 58.24, "money"),
    ("sales of 25k units", "25k", 25_000, "plain"),
    ("the index fell -1.3% on Monday", "-1.3%", -1.3, "percent"),
    ("Apple is buying it for $1tn", "$1tn", 1_000_000_000_000, "money"),
])
def test_digits_scales_money_and_percent(text, span, value, kind):
    nm = _one(text)
    assert (nm.text, nm.value, nm.kind) == (span, value, kind)
    assert text[nm.start:nm.end] == span


@pytest.mark.parametrize(("text", "span", "value"), [
    ("Trump met eight former hostages", "eight", 8),
    ("twenty-one men were arrested", "twenty-one", 21),
    ("a dozen cars were burned", "a dozen", 12),
    ("more than two dozen fighters were killed", "two dozen", 24),
    ("during his seven and a half years in office", "seven and a half", 7.5),
    ("one hundred and twenty-five thousand people marched", "one hundred and twenty-five thousand", 125_000),
    ("A third of those screened were ill", "A third", 0.3333333333),
    ("revenue grew more than sixfold", "sixfold", 6),
])
def test_numbers_in_words(text, span, value):
    nm = _one(text)
    assert nm.text == span and nm.value == pytest.approx(value) and nm.words


def test_acled_plural_scale_words_are_floors():
    found = scan("Hundreds of people fled and tens of thousands were displaced")
    assert [(n.text, n.value, n.kind) for n in found] == [("Hundreds", 100, "vague"),
                                                          ("tens of thousands", 10_000, "vague")]


@pytest.mark.parametrize(("text", "span", "low", "high"), [
    ("between 20 and 30 people were hurt", "20 and 30", 20, 30),
    ("20-30 people were hurt", "20-30", 20, 30),
    ("prices range from $800,000 to $1.3 million", "$800,000 to $1.3 million", 800_000, 1_300_000),
    ("four to five thousand troops", "four to five thousand", 4000, 5000),
    ("claims ranging from $200 to $4 million", "$200 to $4 million", 200, 4_000_000),
])
def test_ranges(text, span, low, high):
    nm = _one(text)
    assert (nm.text, nm.value, nm.value_max) == (span, low, high)


@pytest.mark.parametrize(("text", "values"), [
    ("the unemployment rate went up to 5.5% from 5.4% in September", [5.5, 5.4]),
    ("unemployment fell 0.2% to 5.1%", [0.2, 5.1]),
    ("killed 11 people and left 40 others wounded", [11, 40]),
    ("tumbled by the daily limit of 10 per cent to 18.97 yuan", [10, 18.97]),
])
def test_changes_and_pairs_are_two_figures_not_a_range(text, values):
    found = scan(text)
    assert [n.value for n in found] == values and all(n.value_max is None for n in found)


@pytest.mark.parametrize("text", [
    "call Crimeline at 800-423-TIPS",
    "on 2015-12-21 in Bagram",
    "an F-16 crashed",
    "the G20 summit",
    "open 24/7 all year",
    "the 3-1 win",
])
def test_things_that_only_look_like_numbers(text):
    assert scan(text) == []


def test_attached_units_keep_only_the_digits():
    found = scan("It has 256GB of storage and tops 50mph.")
    assert [(n.text, n.value) for n in found] == [("256", 256), ("50", 50)]


def test_fractions():
    found = scan("One US fluid ounce is 1/16 of a US pint; one out of three Germans agree")
    assert [n.value for n in found] == pytest.approx([1, 1 / 16, 1 / 3])


def test_words_value():
    assert words_value("ninety-nine") == 99
    assert words_value("two million three hundred thousand") == 2_300_000
    assert words_value("purple") is None


def test_numbers_inside_phone_numbers_are_skipped_and_the_rest_kept():
    # Nested spans: "(8477)" belongs to "(916) 874-TIPS (8477)"; cued local numbers and text codes too.
    text = ("Anyone with information can call (916) 874-TIPS (8477) or 800-423-8477, or text TIPS to 274637. "
            "Police said 12 people were hurt and 3 died; call 321-1006.")
    assert [n.text for n in scan(text)] == ["12", "3"]


def test_large_scaled_amounts_are_whole_numbers():
    # 8.2 x 10^12 in floating point is 8199999999999.999: the float's error grows with the value.
    assert [n.value for n in scan("taking the total to dollars 8.2 trillion")] == [8_200_000_000_000]
    assert [n.value for n in scan("about 1234567.5 tonnes")] == [1234567.5]
