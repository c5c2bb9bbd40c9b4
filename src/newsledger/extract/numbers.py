"""Finding number expressions in text (digits, words, scales, money, percentages, ranges) and their values."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from newsledger.extract.lexicons import load_resource

Kind = Literal["plain", "money", "percent", "vague"]


@dataclass(frozen=True)
class NumberMatch:
    """One number expression: its character span, value(s) and what kind of amount it is."""

    start: int
    end: int
    text: str
    value: float | int
    value_max: float | int | None = None
    kind: Kind = "plain"
    words: bool = False  # written in words ("eight", "a dozen"), which need more context to trust


def phrase_pattern(phrases: dict[str, str] | list[str], before: bool) -> re.Pattern[str]:
    """A pattern for any of the phrases just before (`before`) or just after a position."""
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    if before:
        return re.compile(rf"(?<![\w])({alts})\s*$", re.IGNORECASE)
    return re.compile(rf"^\s*({alts})(?![\w])", re.IGNORECASE)


_R = load_resource("numbers.json")
UNITS: dict[str, int] = _R["units"]
TENS: dict[str, int] = _R["tens"]
SCALES: dict[str, int] = _R["scales"]
SUFFIXES: dict[str, int] = _R["scale_suffixes"]
VAGUE: dict[str, int] = _R["vague"]
FIXED: dict[str, float] = _R["fixed"]


def _alt(words: list[str] | Any) -> str:
    # Longest first so that "US$" wins over "$" and "tens of thousands" over "thousands".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CUR = rf"(?:(?:{_alt(_R['currency_prefixes'])})\s?|(?:{_alt(_R['currency_words'])})\s(?=\d))"
_DIG = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+"
# Attached scale suffixes ("4.5bn", "25k", "1.2m"); never followed by a letter, so "5mph" stays out.
_SUF = rf"(?:{_alt(SUFFIXES)})(?![\w])"
_SCALE = rf"(?:{_alt(SCALES)})"
_PCT = r"(?:\s?%|\s?per\s?cent\b|\s?percent\b)"
_TERM = rf"(?:(?:{_alt(TENS)})(?:[- ](?:{_alt(UNITS)}))?|(?:{_alt(UNITS)}))"
# "one hundred and twenty-five thousand": an "and" only ever follows a scale word.
_WORDNUM = rf"{_TERM}(?:(?:\s+{_SCALE})+(?:\s+(?:and\s+)?{_TERM})?)*"
# A digit amount must not touch a letter or another digit group ("G20", "800-423-TIPS", "2015-12-21").
# "was located.22 people were killed": a full stop glued to the next sentence's number still ends a word.
_LEFT = r"(?:(?<=\bsub-)|(?<=(?-i:[a-z]{2})\.)(?=\d+\s)|(?<![\w$£€./:-]))"
_MINUS = r"(?:(?<![\w.,-])-|minus[- ]?)"
_AMOUNT = (
    rf"¶(?P<cur§>{_CUR})?(?P<neg§>{_MINUS})?(?P<dig§>{_DIG})"
    rf"(?:(?P<suf§>{_SUF})|\s(?P<sc§>{_SCALE}(?:\s{_SCALE})?)\b)?(?P<pct§>{_PCT})?"
)
_WORD_AMOUNT = (rf"\b(?P<w§>{_WORDNUM})(?P<half§>[\s-]+and[\s-]+a[\s-]+half\b)?(?:[\s-](?P<wsc§>{_SCALE})\b)?"
                rf"(?P<wpct§>{_PCT})?")


def _amount(n: int) -> str:
    # The second end of a range follows its separator ("20-30"), so only the first is held to _LEFT.
    amount = _AMOUNT.replace("¶", "" if n == 2 else _LEFT)
    return "(?:" + amount.replace("§", str(n)) + "|" + _WORD_AMOUNT.replace("§", str(n)) + ")"


# "256GB", "50mph", "164p": an attached unit ends the number like a space would.
_UNIT = rf"(?:{_alt(_R['attached_units'])})(?![\w])"
_RIGHT = rf"(?:(?={_UNIT})|(?![\w]|[-/:]\d|\.\d|,\d))"
# "20-30", "25 – 40" but not "Stoxx 50 -1.3%" (a minus sign only touches its own number).
_RANGE_SEP = r"(?:-|–|—)|\s(?:-|–|—)\s|\s(?:to|and)\s|-to-"
# "1/16", "3⁄4": a simple fraction (not "24/7", "9/11" or a date; see _fraction).
_FRAC = r"(?P<fa>\d{1,2})[/⁄](?P<fb>\d{1,3})(?![/⁄]?\d)"
# "one out of three": a proportion.
_OUT_OF = rf"(?P<oa>{_TERM}|\d+)\s+out\s+of\s+(?P<ob>{_TERM}|\d+)\b"
PATTERN = re.compile(
    rf"\b(?P<outof>{_OUT_OF})"
    rf"|{_LEFT}(?P<frac>{_FRAC})"
    rf"|\b(?P<fixed>{_alt(FIXED)})\b"
    rf"|(?P<range>{_amount(1)}(?P<sep>{_RANGE_SEP}){_amount(2)}){_RIGHT}"
    rf"|(?P<single>{_amount(0)}){_RIGHT}"
    rf"|\b(?P<vague>{_alt(VAGUE)})\b",
    re.IGNORECASE,
)
SINGLE = re.compile(rf"(?P<single>{_amount(0)}){_RIGHT}", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
# "from 5.4% to 5.5%", "fell 0.2% to 5.1%": a change between two figures, not a range.
_CHANGE = re.compile(rf"\b(?:{_alt(_R['change_words'])})\s+$", re.IGNORECASE)
_CHANGE_FROM = re.compile(rf"\b(?:{_alt(_R['change_words'])})\s+(?:\S+\s+){{0,3}}from\s+$", re.IGNORECASE)
_SCORE_BEFORE = re.compile(r"\d-\d+\)?\s\(?$")
_SCORE_AFTER = re.compile(r"\)?\s\(?\d+-\d")
_AMOUNT_AFTER = re.compile(rf"\s?(?:{_alt(_R['amount_words'])})\b", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+$", re.IGNORECASE)


def words_value(text: str) -> int | None:
    """The value of a number written in words ("twenty-one", "one hundred and five thousand")."""
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word == "and" or not word:
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            scale = SCALES[word]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
    return total + current


def _tidy(value: float) -> float | int:
    """An int where the value is whole, so 1.2 million prints as 1200000."""
    if not math.isfinite(value):
        return value  # dropped by scan: no count is infinite
    # "8.2 trillion" multiplies out to 8199999999999.999: a float's error grows with the value.
    if abs(value - round(value)) < max(1e-6, abs(value) * 1e-12) and abs(value) < 1e18:
        return int(round(value))
    return round(value, 10)


def _part(m: re.Match[str], n: int) -> tuple[float, bool, bool, float, bool] | None:
    """(value, is_money, is_percent, scale, in_words) of amount group n, scale not yet applied."""
    dig = m.group(f"dig{n}")
    if dig is not None:
        value = float(dig.replace(",", ""))
        if m.group(f"neg{n}"):
            value = -value
        scale = 1.0
        if m.group(f"suf{n}"):
            scale = SUFFIXES[m.group(f"suf{n}").lower()]
        elif m.group(f"sc{n}"):
            for word in m.group(f"sc{n}").lower().split():
                scale *= SCALES[word]
        return value, bool(m.group(f"cur{n}")), bool(m.group(f"pct{n}")), scale, False
    words = m.group(f"w{n}")
    if words is None:
        return None
    wv = words_value(words)
    if wv is None:
        return None
    scale = float(SCALES[m.group(f"wsc{n}").lower()]) if m.group(f"wsc{n}") else 1.0
    half = 0.5 if m.group(f"half{n}") else 0.0  # "seven and a half years", "two and a half million"
    return float(wv) + half, False, bool(m.group(f"wpct{n}")), scale, True


def _kind(money: bool, percent: bool) -> Kind:
    return "money" if money else "percent" if percent else "plain"


def _single(m: re.Match[str], n: int, start: int, end: int, text: str) -> NumberMatch | None:
    part = _part(m, n)
    if part is None:
        return None
    value, money, pct, scale, words = part
    return NumberMatch(start, end, text[start:end], _tidy(value * scale), None, _kind(money, pct), words)


def _range(m: re.Match[str], text: str) -> list[NumberMatch]:
    """A range ("20-30", "between 20 and 30", "$1m to $2m"), or its two ends when it is not one."""
    a, b = _part(m, 1), _part(m, 2)
    start, end = m.span("range")
    sep = m.group("sep").strip().lower()
    before = text[max(0, start - 50):start]
    if a is None or b is None:
        return []
    av, amoney, apct, ascale, awords = a
    bv, bmoney, bpct, bscale, bwords = b
    is_range = True
    if sep == "and" and not _BETWEEN.search(before):
        is_range = False
    if sep == "to" and (_CHANGE_FROM.search(before) if _FROM.search(before) else _CHANGE.search(before)):
        is_range = False  # "rose from 5% to 7%", "fell 0.2% to 5.1%"; but "prices range from $1m to $2m"
    if apct and not bpct and _AMOUNT_AFTER.match(text, end):
        is_range = False  # "fell 10 per cent to 18.97 yuan": a change and a new level
    if _year_like(m, 1) and not _year_like(m, 2):
        is_range = False  # "in 2018 to 3.9 million headsets"
    if (awords or bwords) and sep in ("-", "–", "—"):
        is_range = False  # "twenty-one" is one number
    # "four to five thousand", "$10 to $15 billion": the second end's scale carries over when it fits.
    btext = m.group("w2") or ""
    trailing = bscale if bscale > 1 else SCALES.get(btext.lower().rsplit(" ", 1)[-1], 1)
    if ascale == 1 and trailing > 1 and av <= bv * bscale / trailing:
        ascale = trailing
    if av * ascale >= bv * bscale or (amoney and bpct) or (apct and bmoney):
        is_range = False
    if sep in ("-", "–", "—") and (_SCORE_BEFORE.search(text, max(0, start - 10), start)
                                   or _SCORE_AFTER.match(text, end)):
        return []  # tennis sets "6-7 (4-7) 7-6": scores, not ranges
    if not is_range:
        whole = SINGLE.match(text, start)
        if whole is not None and whole.end() > m.start("sep"):
            # "one hundred and five", "twenty-one": the "and"/hyphen joins one number, not two.
            one = _single(whole, 0, start, whole.end(), text)
            return [one] if one is not None else []
        if sep in ("-", "–", "—", "-to-"):
            return []  # "3-1" scores, "800-423" phone numbers, "26-year-old": not two figures
        first = _single(m, 1, start, m.start("sep"), text)
        second = _single(m, 2, m.end("sep"), end, text)
        return [x for x in (first, second) if x is not None]
    kind = _kind(amoney or bmoney, apct or bpct)
    return [NumberMatch(start, end, text[start:end], _tidy(av * ascale), _tidy(bv * bscale), kind,
                        awords and bwords)]


_DENOMINATORS = frozenset((2, 3, 4, 5, 8, 10, 16, 32, 64, 100, 128))


def _proportion(m: re.Match[str], text: str) -> NumberMatch | None:
    """'1/16' or 'one out of three' as its value; None for things that only look like one ('24/7')."""
    if m.group("frac") is not None:
        a, b = int(m.group("fa")), int(m.group("fb"))
        if not (0 < a < b and b in _DENOMINATORS):
            return None
        s, e = m.span("frac")
        return NumberMatch(s, e, text[s:e], _tidy(a / b), None, "plain", False)
    vals = [int(p) if p.isdigit() else words_value(p) for p in (m.group("oa"), m.group("ob"))]
    top, bottom = vals
    if not top or not bottom or top >= bottom:
        return None
    a, b = top, bottom
    s, e = m.span("outof")
    return NumberMatch(s, e, text[s:e], _tidy(a / b), None, "plain", True)


def _year_like(m: re.Match[str], n: int) -> bool:
    dig = m.group(f"dig{n}")
    return bool(dig and len(dig) == 4 and dig.isdigit() and 1500 <= int(dig) <= 2199 and not m.group(f"cur{n}")
                and not m.group(f"suf{n}") and not m.group(f"sc{n}") and not m.group(f"pct{n}"))


# Telephone numbers: "(270) 351-4477", "800-423-8477", "(916) 874-TIPS (8477)", "(317) 262.TIPS".
# A toll-free number spelled in letters: "1-888-LOCK-U-UP", "1-800-CRIME-TV".
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])(?:\d{3}|[A-Z]{3})[.-](?:\d{4}|[A-Z]{4})\b"
                   r"(?:\s?\(\d{4}\))?|\b1-8\d\d-[A-Z][A-Z-]{3,}")
_FIG = load_resource("figures.json")
# A local number or a text code near a cue: "call 321-1006", "text TIPS to 274637".
_CUED_PHONE = re.compile(rf"\b(?:{_alt(_FIG['phone_cues'])})\b[^.\n]{{0,50}}?(?<![\d,.])(\d{{3}}-\d{{4}}|\d{{5,6}})(?![\d,]|\.\d)",
                         re.IGNORECASE)


def scan(text: str) -> list[NumberMatch]:
    """Every number expression in the text, in order, with its value; context decides later which count."""
    out: list[NumberMatch] = []
    phones = sorted([m.span() for m in PHONE.finditer(text)] + [m.span(1) for m in _CUED_PHONE.finditer(text)])
    # Phone spans may overlap: the furthest end of the spans starting at or before each start.
    phone_starts = [s for s, _ in phones]
    reach = list(itertools.accumulate((e for _, e in phones), max))
    for m in PATTERN.finditer(text):
        i = bisect.bisect_right(phone_starts, m.start())
        if i and m.start() < reach[i - 1]:
            continue
        if m.group("outof") is not None or m.group("frac") is not None:
            nm = _proportion(m, text)
            if nm is not None:
                out.append(nm)
        elif m.group("range") is not None:
            out.extend(_range(m, text))
        elif m.group("single") is not None:
            s, e = m.span("single")
            nm = _single(m, 0, s, e, text)
            if nm is not None:
                out.append(nm)
        elif m.group("vague") is not None:
            s, e = m.span("vague")
            out.append(NumberMatch(s, e, text[s:e], VAGUE[m.group("vague").lower()], None, "vague", True))
        else:
            s, e = m.span("fixed")
            out.append(NumberMatch(s, e, text[s:e], _tidy(FIXED[m.group("fixed").lower()]), None, "plain", True))
    # A run of hundreds of digits reads as infinity: not a figure anyone reported.
    return [n for n in out if math.isfinite(n.value) and (n.value_max is None or math.isfinite(n.value_max))]
