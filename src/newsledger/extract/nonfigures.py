"""What is not a figure: dates, times, years, ages, labels, addresses and numbers inside names."""

from __future__ import annotations

import re
from typing import Any

from newsledger.extract.lexicons import load_resource
from newsledger.extract.nlp import doc_ents
from newsledger.extract.numbers import NumberMatch, phrase_pattern

_R = load_resource("figures.json")
_MONTHS = frozenset(_R["months"])
_WEEKDAYS = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
_NONFIG_BEFORE = frozenset(_R["nonfigure_before"])
_NONFIG_AFTER = frozenset(_R["nonfigure_after"])
_NAME_BEFORE = frozenset(_R["name_before"])
_SPACED_UNIT = re.compile(rf"\s(?:{'|'.join(map(re.escape, _R['spaced_units']))})\b", re.IGNORECASE)
_UNIT_AFTER = re.compile(rf"(?:{'|'.join(map(re.escape, load_resource('numbers.json')['attached_units']))})(?![\w])",
                         re.IGNORECASE)
_TITLE_LABELS = frozenset(_R["title_labels"])
_OF_LABEL = re.compile(rf"\b(?:{'|'.join(_R['title_labels'])})\s+\d+\s+of\s+$", re.IGNORECASE)
_YEAR_BEFORE = frozenset(_R["year_before"])
_HALF_NOT_AFTER = frozenset(("first", "second", "third", "fourth", "other", "latter", "former", "top", "bottom",
                             "this", "that", "each", "per"))
_CALIBRE = re.compile(rf"-(?:{'|'.join(map(re.escape, _R['calibre_words']))})\b", re.IGNORECASE)
_ATTRIBUTE = re.compile(rf"-(?:{'|'.join(map(re.escape, _R['attribute_compounds']))})s?\b", re.IGNORECASE)
_FRACTION = re.compile(r"(?i)(?:a|one|two|three)?[\s-]*(?:half|third|thirds|quarter|quarters|fourth)$|\w+fold$")
# "834 Edmunds Street", "13859 8 Mile Road": a house number before a street's name (which may hold a number).
_ADDRESS = re.compile(rf"(?:\s+(?:[A-Z][\w.'-]*|\d+(?:st|nd|rd|th)?)){{1,3}}\s+(?i:{'|'.join(_R['street_words'])})\b")
_LIST_BEFORE = re.compile(r"(?:^|[;:.\n])\s*$")
_GALLERY = re.compile(r"\s?/\s?\d")
_GALLERY_BEFORE = re.compile(r"\d\s?/\s?$")
_SUSPENDED_AGE = re.compile(r"-[,\s].{0,30}?years?-old", re.IGNORECASE)
_PERSON_NOUNS = frozenset(_R["person_nouns"])
_CLOCK_BEFORE = re.compile(r"\d:\s?$")
_CLOCK_AFTER = re.compile(r"\s?(?:a\.?m\b|p\.?m\b)", re.IGNORECASE)
# Names, places and works: a number inside one is part of a name ("Group of 20", "Apollo 11").
_NAME_LABELS = frozenset(("PERSON", "ORG", "FAC", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT", "GPE", "LOC"))
_COUNT_LABELS = frozenset(("CARDINAL", "MONEY", "PERCENT", "QUANTITY"))
_IDIOMS = re.compile(rf"\b(?:{'|'.join(map(re.escape, _R['idioms']))})\b", re.IGNORECASE)
_AGE_AFTER = phrase_pattern(_R["age_after"], False)
_AGE_BEFORE = phrase_pattern(_R["age_before"], True)
# "people under 55", "voters aged over 65": a group bounded by an age.
_AGE_BOUND = re.compile(
    rf"\b(?:{'|'.join(map(re.escape, _R['age_bound_groups']))})\s+"
    rf"(?:{'|'.join(map(re.escape, _R['age_bound_words']))})\s+$", re.IGNORECASE)
# "ages 24, 25, and 41": every number of a list that starts with "ages" is an age.
_AGE_LIST = re.compile(r"\bage[sd],?\s+(?:\d{1,3},?\s+(?:and\s+)?)*$", re.IGNORECASE)
_ADV = rf"(?:(?:{'|'.join(map(re.escape, _R['age_adverbs']))}),?\s+)"
# "one is 18", "the other was 19": a person's age; "one of them only 14", "two of them, 15 and 16".
_AGE_SAID = re.compile(
    rf"(?:\b(?:{'|'.join(map(re.escape, _R['age_subjects']))})\s+(?:{'|'.join(map(re.escape, _R['age_verbs']))})\s+{_ADV}?"
    rf"|\b(?:one|two|three|both|each) of (?:them|whom|those),?\s+{_ADV}?)$", re.IGNORECASE)
_AGE_END = re.compile(r"\s*(?:[,.;:)\u2014\u2013]|-\s|and\b|$)")
_ORDINAL_FRACTIONS = frozenset(_R["ordinal_fractions"])
_FRACTION_NOUN_OK = frozenset(_R["fraction_noun_ok"])
_TIME_AND = re.compile(rf"\b(?:{'|'.join(_R['time_units'])})s?\s+and\s+$", re.IGNORECASE)
_DENOMINATOR_AFTER = re.compile(rf"[\s-]+(?:{'|'.join(_R['fraction_denominators'])})s?\b", re.IGNORECASE)
_ONE_OF_DESCRIPTION = frozenset(_R["one_of_description"])
_EMERGENCY = frozenset(_R["emergency_numbers"])
_EMERGENCY_BEFORE = re.compile(rf"\b(?:{'|'.join(map(re.escape, _R['emergency_before']))})\s+$", re.IGNORECASE)
_EMERGENCY_AFTER = re.compile(rf"[\s-]+(?:{'|'.join(map(re.escape, _R['emergency_after']))})\b", re.IGNORECASE)


# a word of page code straight after a number: "0 gallery_overlay_open"
_MARKUP_WORD = re.compile(r" ?[A-Za-z]+_[A-Za-z_]+")


def _entity_over(span: Any) -> Any:
    """The first named entity that shares a token with the span, else None."""
    return next((e for e in doc_ents(span.doc) if e.start < span.end and span.start < e.end), None)


def _is_year(nm: NumberMatch) -> bool:
    """A bare four-digit number that may be a year; context decides (see not_a_figure)."""
    values = [nm.value] if nm.value_max is None else [nm.value, nm.value_max]
    return (nm.kind == "plain" and not nm.words and "," not in nm.text and "." not in nm.text
            and all(isinstance(v, int) and 1500 <= v <= 2199 for v in values))


def not_a_figure(nm: NumberMatch, span: Any, text: str) -> bool:
    """True for dates, times, years, ages, labels and numbers inside names."""
    doc = span.doc
    first, last = span[0], span[-1]
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if last.idx + len(last.text) > nm.end + 1:
        nxt = None  # "260.Magistrate": glued to the next sentence, whose words say nothing of this number
    after = text[nm.end:nm.end + 14]
    if _AGE_AFTER.search(after) or _AGE_BEFORE.search(text, max(0, nm.start - 14), nm.start):
        return True
    if nm.kind == "plain" and _AGE_BOUND.search(text, max(0, nm.start - 30), nm.start) \
            and not (nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "NUM")):
        return True  # "39% of people under 55"; but "people over 100 miles", "those under 5,000 people"
    if _is_age_in_list(nm, text):
        return True
    if nm.text.lower() in _ORDINAL_FRACTIONS and nxt is not None and nxt.pos_ in ("NOUN", "ADJ", "PROPN") \
            and nxt.lower_ not in _FRACTION_NOUN_OK:
        return True  # "a third suspect", "a half hour": an ordinal or a piece of a measure
    if nm.text.lower() in _ORDINAL_FRACTIONS and _TIME_AND.search(text, max(0, nm.start - 20), nm.start):
        return True  # "an hour and a half": a piece of a duration
    if nm.words and _DENOMINATOR_AFTER.match(text, nm.end):
        return True  # "one eightieth of their salary": the numerator of a fraction
    if text[max(0, nm.start - 1):nm.start] == "[" and text[nm.end:nm.end + 1] == "]":
        return True  # reference marks: "[897]"
    if text[max(0, nm.start - 1):nm.start] == "#" or _GALLERY.match(text, nm.end) \
            or _GALLERY_BEFORE.search(text, max(0, nm.start - 6), nm.start):
        return True  # "Inc #123203516", gallery counters "1 / 1"
    if "|" in (text[max(0, nm.start - 1):nm.start], text[nm.end:nm.end + 1]) or _MARKUP_WORD.match(text, nm.end):
        return True  # page markup scraped with the text: "...|article-gallery-6390430|0 gallery_overlay_open"
    if _SUSPENDED_AGE.match(text, nm.end):
        return True  # "the victims are 16-, 19-, and 22-years-old"
    if nm.text.lower() == "half" and text[max(0, nm.start - 1):nm.start] == "-":
        return True  # "scrum-half"
    if _CLOCK_BEFORE.search(text, max(0, nm.start - 3), nm.start) or _CLOCK_AFTER.match(text, nm.end):
        return True  # clock times and lap times: "4: 39 left", "10:30"
    if _ADDRESS.match(text, nm.end) or (text[nm.end:nm.end + 1] == ")" and nm.kind == "plain" and nm.value < 50
                                        and _LIST_BEFORE.search(text, 0, nm.start)):
        return True  # "834 Edmunds Street", list markers "; 3) Mass Murder"
    if _CALIBRE.match(text, nm.end):
        return True  # ".45-caliber handgun", "12-gauge shotgun", "9mm pistol": a calibre
    if nm.text in _EMERGENCY and (_EMERGENCY_BEFORE.search(text, max(0, nm.start - 12), nm.start)
                                  or _EMERGENCY_AFTER.match(text, nm.end)):
        return True  # "called 911", "a 911 call", "the 999 operator": a phone number
    if nm.text.lower() in _ORDINAL_FRACTIONS and text[nm.end:nm.end + 1] == "-":
        return True  # "a third-degree felony", "a quarter-final": an ordinal inside a compound
    if nm.words and _ATTRIBUTE.match(text, nm.end):
        return True  # "six-speed", "three-bed", "five-year plan": an attribute, not a count
    if nm.kind in ("money", "percent"):
        return False
    if prev is not None and (prev.lower_ in _NONFIG_BEFORE or prev.is_title and prev.lower_ in _TITLE_LABELS):
        return True
    if _OF_LABEL.search(text, max(0, nm.start - 30), nm.start):
        return True  # "Image 7 of 10": the total of a label is a label too
    if nxt is not None and nxt.lower_ in _NONFIG_AFTER:
        return True
    if nxt is not None and nxt.lower_ in _MONTHS or prev is not None and prev.lower_.rstrip(".") in _MONTHS:
        return True
    labels = {t.ent_type_ for t in span}
    if labels & {"DATE", "TIME"}:
        if _is_year(nm):
            return True
        ent = _entity_over(span)
        words = {t.lower_.rstrip(".") for t in ent} if ent is not None else set()
        if words & (_MONTHS | _WEEKDAYS) or any(t.like_num and len(t.text) == 4 for t in (ent or ()) if t.i != first.i):
            return True
    if _is_year(nm) and not _counts_noun(span, plural=True) and not _measure_follows(text, nm.end) \
            and (prev is None or prev.lower_ in _YEAR_BEFORE or prev.is_punct or nxt is None or nxt.is_punct
                 or prev.pos_ in ("ADV", "CCONJ") and nxt.lemma_ == "be"):  # "Clearly 2004 was the most difficult"
        return True
    if _is_label(nm, span, prev, nxt, text):
        return True
    if labels & _NAME_LABELS and not labels & _COUNT_LABELS:
        # "Group of 20": a name around the number. The tagger also calls bare numbers names at times
        # ("minus-5 yards" PERSON), so the name must have words of its own.
        ent = _entity_over(span)
        if ent is not None and any(t.pos_ == "PROPN" and not (span.start <= t.i < span.end) for t in ent):
            return True
    if nm.words and nm.kind == "plain" and not _FRACTION.match(nm.text) \
            and not labels & (_COUNT_LABELS | {"DATE", "TIME"}):
        # Written-out numbers are often pronouns or idioms ("no one", "one of them"): trust the tagger,
        # or a number directly counting a plural noun.
        if not (first.dep_ == "nummod" and first.head.tag_ in ("NNS", "NNPS")):
            return True
    if nm.text.lower() == "half" and (prev is not None and prev.lower_ in _HALF_NOT_AFTER or nxt is not None
                                      and nxt.text == "-"):
        return True  # "the second half", "half-staff"
    if nm.text.lower() == "one" and last.i + 3 < len(doc) and doc[last.i + 1].lower_ == "of" \
            and any(t.tag_ in ("JJS", "RBS") or t.lower_ in _ONE_OF_DESCRIPTION for t in doc[last.i + 2:last.i + 5]):
        return True  # "one of the biggest investors", "one of very few MPs": a description, not a count
    if nm.words and any(m.start() <= nm.start and nm.end <= m.end()
                        for m in _IDIOMS.finditer(text, max(0, nm.start - 12), nm.end + 20)):
        return True  # "One day, ...", "at one point"
    if _is_age_apposition(nm, span):
        return True
    return False


def _is_age_in_list(nm: NumberMatch, text: str) -> bool:
    """'ages 24, 25, and 41', 'one is 18, the other is 19', 'one of them only 14': ages, not counts."""
    if nm.words or nm.kind != "plain" or not isinstance(nm.value, int) or not 0 < nm.value < 120:
        return False
    before = max(0, nm.start - 40)
    if _AGE_LIST.search(text, before, nm.start):
        return True
    return bool(_AGE_SAID.search(text, before, nm.start) and _AGE_END.match(text, nm.end))


def _counts_noun(span: Any, plural: bool = False) -> bool:
    """The number modifies a common noun after it ("9 billion shekels", "2000 hires")."""
    root = span.root
    head = root.head if root.dep_ in ("nummod", "compound", "quantmod", "amod", "nmod") else None
    return (head is not None and head.pos_ == "NOUN" and head.i >= span.end
            and (not plural or head.tag_ in ("NNS", "NNPS")))


def _measure_follows(text: str, end: int) -> bool:
    """A unit follows the number ("1520 sq m", "300 Hz"): a measure, not a year or a name."""
    return bool(_SPACED_UNIT.match(text, end) or _UNIT_AFTER.match(text, end))


def _is_label(nm: NumberMatch, span: Any, prev: Any, nxt: Any, text: str) -> bool:
    """'S&P 500', 'iPhone 11', 'Boeing 787 Dreamliner', '575 Wilbraham Road', 'Prescott (4)': part of a name."""
    if nm.words or nm.value_max is not None and "-" not in nm.text:
        return False
    first = span[0]
    if prev is not None and prev.lower_ == "the" and nxt is not None and nxt.is_title and not nxt.is_sent_start \
            and nxt.tag_ in ("NN", "NNP") and nm.value != 1 and nxt.lower_ not in _MONTHS \
            and not _counts_noun(span, plural=True):
        return True  # "the 137 Bar and Grill", "the 40 Club": a singular name after a number
    if _measure_follows(text, nm.end):
        return False  # "300 Hz", "0.5 WAR": a measure
    if prev is not None and prev.lower_ in _NAME_BEFORE:
        return True
    counts_noun = _counts_noun(span)
    if prev is not None and prev.lower_ == "of" and first.i >= 2 and span.doc[first.i - 2].pos_ == "PROPN" \
            and span.doc[first.i - 2].is_title and not _counts_noun(span):
        return True  # "Group of 20"
    if prev is not None and prev.text == "(" and first.i >= 2 and span.doc[first.i - 2].pos_ == "PROPN" \
            and nxt is not None and nxt.text == ")":
        return True
    if prev is not None and prev.pos_ == "PROPN" and not prev.is_sent_start and prev.lower_ not in _MONTHS \
            and prev.ent_type_ not in ("GPE", "NORP", "DATE") and not counts_noun:
        return True
    if nxt is not None and nxt.tag_ == "NNP" and nxt.ent_type_ not in ("NORP", "GPE", "DATE") \
            and not counts_noun and (prev is None or prev.lower_ not in ("the", "of", "for", "with")
                                     or nxt.is_title):
        return True
    return False


def _is_age_apposition(nm: NumberMatch, span: Any) -> bool:
    """'Khairullozhon Matanov, 23, faces ...': a bare number between commas right after a person."""
    if nm.words or nm.kind != "plain" or not isinstance(nm.value, int) or not 0 < nm.value < 120:
        return False
    doc = span.doc
    i, j = span.start, span.end
    if i < 2 or j >= len(doc):
        return False
    if doc[i - 1].lower_ in ("now", "aged", "both") and i >= 3:
        i -= 1  # "Dzhokhar Tsarnaev, now 20, is in prison", "David and LaTonya Cleveland, both 29, are ..."
    who = doc[i - 2]
    if doc[i - 1].text != "," or not (who.ent_type_ == "PERSON" or who.pos_ == "PROPN" or who.is_title
                                       or who.lower_ in _PERSON_NOUNS):
        return False
    # "Rapheal Acosta, 23." ends a list of people; after other names a full stop ends a sentence.
    return doc[j].text in (",", ")", ";") or doc[j].text == "." and doc[i - 2].ent_type_ == "PERSON"
