"""Figures extractor: numbers that count or measure something, with qualifier, counted, source and date."""

from __future__ import annotations

import re
from typing import Any

from newsledger.extract import counted_ranker, dates
from newsledger.extract.figure_sources import SourceFinder
from newsledger.extract.lexicons import load_resource
from newsledger.extract.nonfigures import not_a_figure
from newsledger.extract.numbers import NumberMatch, phrase_pattern, scan
from newsledger.model import Figure

REQUIRES: tuple[str, ...] = ("entities", "dates", "quotes")
ASSIGNS = "figures"

_R = load_resource("figures.json")
_TIME_UNITS = frozenset(_R["time_units"])
_UNIT_NOUNS = frozenset(_R["unit_nouns"])
_OTHER_NOUNS = frozenset(_R["other_nouns"])
_RELATIVES = frozenset(_R["relative_pronouns"])
_VOID_AFTER: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in _R["qualifier_void_after"].items()}
_STATE_NOUNS = frozenset(_R["state_nouns"])
_COUNT_OF = frozenset(_R["count_of_nouns"])
_MONEY_OF_SKIP = frozenset(_R["money_of_skip"])
_MONEY_OF_VAGUE = frozenset(_R["money_of_vague"]) | _COUNT_OF
_DIGIT = re.compile(r"\d")
_CURRENCY_NOUNS = frozenset(w.lower() for w in load_resource("numbers.json")["amount_words"]
                            + load_resource("numbers.json")["currency_words"]) - {"points", "pts", "p"}
_POINTS_AFTER = re.compile(r"\s(?:of\s(?:a\s)?)?(?:percentage|basis)\s+points?\b", re.IGNORECASE)
_CATEGORY_OF: dict[str, str] = {w: cat for cat, ws in _R["categories"].items() for w in ws}
_CHANGE_NOUNS = frozenset(_R["change_nouns"])
_ESTIMATE_NOUNS = frozenset(_R["estimate_nouns"])
_LEVEL_VERBS = frozenset(_R["level_verbs"]) | frozenset(_R["change_verbs"])
_TRANSITIVE_CHANGE = frozenset(_R["transitive_change_verbs"])
_MEASURE_UNITS = frozenset(_R["measure_unit_nouns"])
_UNIT_NAMES: dict[str, str] = _R["unit_names"]
_RATE_UNITS = frozenset(_R["rate_units"])
_SPEED_WORDS = frozenset(_R["speed_words"])
_UNIT_WORD_AFTER = re.compile(r" ?([A-Za-z]+(?:/[a-z]+)?)\b")
_PEOPLE_OBJECT_VERBS = frozenset(_R["people_object_verbs"])
# "1.3bn", "250m", "12.5%": an amount, not a word of what is counted ("G8", "Club2School" are).
_AMOUNT_WORD = re.compile(r"^\d[\d.,]*(?:bn|m|k|p|%)?$", re.IGNORECASE)
_NOT_ANCHORING = frozenset(load_resource("dates.json")["not_anchoring_preps"])
_STRONG = re.compile(r"-strong\b", re.IGNORECASE)
# "a nine-strong committee": a body whose size is given counts its members.
_MEMBER_BODIES = frozenset(_R["member_body_nouns"])
# "305,775 people on a waiting list, down from 311,764 last month": the earlier count of the same thing.
_UP_FROM = re.compile(r"[,;(-]\s*(?:down|up)\s+from\s+$", re.IGNORECASE)
# "rose 4p to 548p": pence written onto the number, which the number scan leaves a plain number.
_PENCE = re.compile(r"p\b")
# "half a mile", "three quarters of an hour": the unit a fraction is a piece of.
_PIECE_OF = re.compile(r"\s+(?:of\s+)?an?\s+([a-z]+)\b")
# "a deficit of 4.5% of GDP": a share of the whole economy measures what the clause is about, not GDP.
# Up to three words may stand before it: "of the country's annual gross domestic product", "of member states'
# combined national incomes".
_OF_ECONOMY = re.compile(r"\s+of\s+(?:[\w-]+(?:'s|')?\s+){0,3}?(" + "|".join(_R["economy_bases"]) + r")s?\b",
                         re.IGNORECASE)
# "$40 a barrel", "900 rupees per tonne": the unit an amount is a price of.
_PER_UNIT = re.compile(r"\s+(?:a|an|per)\s+([a-z]+)\b")
_REPORT_VERBS = frozenset(_R["source_verbs"]) | frozenset(_R["speech_verbs"]) | {"expect"}
# Between an amount and its restatement: "$102.6bn (pounds 53.51bn)", "900 rupees (dollars 20.40; pounds 10.50)".
# "from pounds 138m to pounds 118m", "from 97p (dollars 1.87) to 44p": the two ends of a change.
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:about\s+|around\s+|an?\s+|the\s+)?$", re.IGNORECASE)
_SCALED = re.compile(r"(?:\d(?:bn|m)|\b(?:million|billion|trillion))$", re.IGNORECASE)
_TO_AFTER = re.compile(r"\s*(?:[a-z]+\s*)?\)?\s*to\s+(?:about\s+|around\s+)?$", re.IGNORECASE)
_RESTATED = re.compile(r"\s*(?:(?:\(|[;,/]|\bor\b)\s*)+(?:about|around|some|roughly|approximately|nearly|almost)?\s*$")
_CHANGE_VERBS = frozenset(_R["change_verbs"])
_EXCEPT_PREPS = frozenset(("excluding", "including", "before", "after", "less", "minus"))
_RECOVER_VERBS = frozenset(("recover", "rebound", "return", "ease", "slow", "accelerate", "peak", "bottom"))
_NOUN_CHANGE = frozenset(_R["noun_change_words"])
_SPEECH_VERBS = frozenset(_R["speech_verbs"])
# "half a million", "a quarter of a point", "three quarters" (of a year): a piece of an amount, not a share.
_SCALE_PIECE = re.compile(r"\s+(?:of\s+)?an?\b|(?<=quarters)(?!\s+of\b)", re.IGNORECASE)
_PEOPLE_PRONOUNS = frozenset(_R["people_pronouns"])
_CONDITIONS = frozenset(_R["condition_words"])
_TIME_DETS = frozenset(_R["time_determiners"])
_PERSON_NOUNS = frozenset(_R["person_nouns"])
_FIGURE_NOUNS = frozenset(_R["figure_nouns"])
# How far back (characters) an unattributed forecast looks for the forecaster of the figures before it.
FORECAST_WINDOW = 600
# How many figures back a "number"/"decline" without an "of" looks for what the article was counting.
REFERENT_FIGURES = 8
_KILLED = frozenset(w for w, cat in _CATEGORY_OF.items() if cat == "killed")
_INJURED_CLAUSE = frozenset(_R["injured_clause_words"])
_COMPANY_NOUNS = frozenset(_R["org_description_nouns"])
# "3 fatalities, 1 injured": a count of deaths is no noun for the people counted next to it.
_HARM_EVENTS = frozenset(("death", "fatality", "casualty", "life", "body", "toll", "murder", "killing", "shooting"))
_MARKET_NAMES = frozenset(_R["name_before"]) | frozenset(_R["market_words"])
_SHARE_WORDS = frozenset(_R["share_words"])
_LEVEL_NOUNS = frozenset(_R["level_nouns"])
_PRICE_WORDS = frozenset(_R["price_words"])
# "killed over 26", "wounded about 40": a qualifier the parser reads as a preposition over the number.
# "people on a waiting list", "men in the chamber": phrases after a counted noun that say which of them.
_TAIL_PREPS = frozenset(("on", "in", "at", "inside", "aboard", "under", "from"))
_TAIL_SKIP = frozenset(_R["tail_skip_nouns"])
_MONEY_VERB_NOUNS: dict[str, str] = _R["money_verb_nouns"]
_PRICE_VERBS = frozenset(_R["price_verbs"])
_VALUE_VERBS = frozenset(("value", "price", "estimate", "put", "worth", "cost", "set"))
# "The sale raised $1.7bn for the government": whom money is for is not what it measures.
_BENEFICIARIES = frozenset(_R["beneficiary_nouns"]) | _PERSON_NOUNS | _COMPANY_NOUNS
_QUANTITY_PREPS = frozenset(("over", "about", "around", "nearly", "almost", "some", "under", "than", "to"))

_QUAL_BEFORE = phrase_pattern(_R["qualifiers_before"], True)
_QUAL_AFTER = phrase_pattern(_R["qualifiers_after"], False)
_QUAL_MAP = {k.lower(): v for k, v in {**_R["qualifiers_before"], **_R["qualifiers_after"]}.items()}
_PART_BEFORE = phrase_pattern(_R["part_of_before"], True)


def _qualifier(text: str, nm: NumberMatch, sent_start: int) -> str:
    if nm.value_max is not None:
        return "range"
    m = _QUAL_BEFORE.search(text, max(sent_start, nm.start - 30), nm.start)
    if m is not None:
        phrase = m.group(1).lower()
        # "the rate went up to 5.5%" is a level reached, not a ceiling.
        prev = text[max(sent_start, m.start(1) - 20):m.start(1)].split()
        if not (prev and prev[-1].lower() in _VOID_AFTER.get(phrase, ())):
            return _QUAL_MAP[phrase]
    m = _QUAL_AFTER.search(text[nm.end:nm.end + 12])
    if m is not None:
        return _QUAL_MAP[m.group(1).lower()]
    # ACLED codes "dozens" as 12 and "hundreds" as 100: a floor, so the figure is at least that.
    return "at_least" if nm.kind == "vague" else "exact"


class _Figures:
    """The figures of one article, built from the number scan and the parse."""

    def __init__(self, ctx: Any, record: list[list[counted_ranker.Candidate]] | None = None) -> None:
        self.ctx = ctx
        self.record = record  # where given, each figure's counted candidates (scripts/train_counted_ranker.py)
        self.doc = ctx.doc
        self.text: str = ctx.article.text
        self.sources = SourceFinder(ctx)
        self.figures: list[Figure] = []
        self.heads: list[Any] = []  # the counted noun token of each figure, or None
        self.refs: list[Any] = []  # the same, or the head of a counted phrase found otherwise
        self.skipped_doer = False  # set by _antecedent when it passed over the doer of a harm

    def run(self) -> list[Figure]:
        for nm in scan(self.text):
            span = self.doc.char_span(nm.start, nm.end, alignment_mode="expand")
            if span is None or len(span) == 0 or not_a_figure(nm, span, self.text):
                continue
            self._add(nm, span)
        self._clause_dates()
        return self.figures

    def _clause_dates(self) -> None:
        """'On 17 September 2019, two bombings killed 48 people', 'three were killed and 12 injured on
        Saturday': where a sentence holds one day and nothing else dates its figures, that day is when
        they hold (the parse often hangs the date off one clause only)."""
        pub = self.ctx.article.published
        fallback = pub.isoformat() if pub is not None else None
        mentions = list(getattr(getattr(self.ctx, "result", None), "dates", None) or [])
        if not mentions or not self.figures:
            return
        by_sent: dict[int, Any] = {}
        story: list[tuple[int, str | None]] | None = None  # where the story moves to a day, read once
        for fig in self.figures:
            if fig.as_of != fallback:
                continue
            span = self.doc.char_span(fig.start, fig.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            sent = span[0].sent
            if sent.start_char not in by_sent:
                here = [d for d in mentions if sent.start_char <= d.start and d.end <= sent.end_char]
                days = [d for d in here if d.granularity == "day" and d.value]
                before = self.text[max(sent.start_char, days[0].start - 12):days[0].start].lower().split() \
                    if len(days) == 1 else []
                bound = bool(before) and before[-1] in _NOT_ANCHORING
                by_sent[sent.start_char] = days[0].value if len(here) == 1 and len(days) == 1 and not bound else None
            day = by_sent[sent.start_char]
            if day is not None and (pub is None or day <= pub.isoformat()):
                fig.as_of = day
            elif pub is None and fig.category != "duration":  # "two days later" holds for no day
                if story is None:
                    story = dates.story_days(self.ctx)
                fig.as_of = dates.story_day(story, fig.start)

    def _add(self, nm: NumberMatch, span: Any) -> None:
        sent = span[0].sent
        num = _number_token(span)
        noun = self._counted_noun(num, span, nm)
        counted = self._counted(num, noun, span, nm)
        referent, ref_category = None, None
        last = counted.split()[-1].lower() if counted else None
        # "one criminal count": a count noun the number itself counts is what it counts, unless it only
        # says "figure" ("the 169,000 figure").
        direct = noun is not None and noun.i >= span.end and last not in _FIGURE_NOUNS
        bare = counted is not None and len(counted.split()) == 1  # "jobs gains" says what it counts
        if not direct and _valued_subject(num) is None and (nm.kind == "plain" and (bare and (last in _COUNT_OF or last in _CHANGE_NOUNS)
                                                   or counted is None)
                           or nm.kind == "percent" and bare and last in _FIGURE_NOUNS):
            # "the number waiting fell from 7,613", "a decline from 785 to 708", "the number of civilians
            # killed - between 64 and 116": what the number of is, or what the article was counting.
            ref = self._referent(span, need_count_word=counted is None)
            if ref is not None:
                counted, referent, ref_category = ref
        if nm.kind in ("money", "percent") or noun is not None and noun.lower_ in _CURRENCY_NOUNS:
            if counted and counted.split()[-1].lower() in _CURRENCY_NOUNS:
                counted = None  # a currency is no thing counted
            counted = self._amount_continued(nm, sent, counted)
        economy = _OF_ECONOMY.match(self.text, nm.end) if nm.kind == "percent" else None
        if economy is not None and counted and economy.group(1).lower() not in counted.lower():
            counted = _cap_words(f"{counted} as a share of {economy.group(1)}")  # "budget deficit ... of GDP"
        elif economy is not None and not counted:
            counted = economy.group(1)  # nothing else named: the share of the economy, as before
        category = self._category(nm, num, noun, counted)
        if direct and counted and nm.kind == "plain" and category not in ("money", "percent", "duration") \
                and counted.split()[-1] == noun.text:
            counted = _cap_words(counted + _noun_tail(noun))  # after the category: "people on death row"
        if category == "money" and counted and counted.split()[-1].lower() in _SHARE_WORDS and any(
                t.text == counted.split()[-1] and t.dep_ in ("nsubj", "nsubjpass") for t in sent):
            # "The shares closed at 1115 pence", "EBay stock fell to $92.9": an amount per share is a price.
            words = counted.split()
            counted = " ".join(words[:-1] + [words[-1].rstrip("sS"), "price"])
        per = _PER_UNIT.match(self.text, nm.end) if category == "money" else None
        if per is not None and per.group(1).lower() in _MEASURE_UNITS:
            # "oil ... above $40 a barrel": an amount per unit of stuff is its price.
            if counted is None:
                counted = "price per " + per.group(1)
            elif not any(w.lower() in _PRICE_WORDS for w in counted.split()):  # not "price of gold price"
                counted = _cap_words(counted + " price")
        if category not in ("money", "percent") and nm.kind == "plain" and _SCALED.search(nm.text) \
                and (noun is None or noun.lower_ in _CURRENCY_NOUNS):
            # "77m euros (pounds 53m), up from 38m": a scaled number that an amount changes from is money too
            group = self._restatement_group(sent.start_char)
            between = self.text[group[-1].end:nm.start] if group else ""
            if group and (_UP_FROM.search(between) or _TO_AFTER.match(between)):
                category, counted = "money", None
        counted = self._from_to(nm, sent, counted, category)
        counted = self._unit_named(nm, counted)
        group = self._restatement_group(sent.start_char) if counted and category == "money" else []
        if group and self._restates(group[-1], nm.start):
            for fig in group:
                if fig.counted is None:
                    fig.counted = counted  # "540bn yen (dollars 5.2bn; pounds 2.77bn) in fresh financial backing"
        if self.record is not None:
            self.record.append(counted_ranker.candidates(num, span, category, counted, _noun_phrase))
        if category == "other" and ref_category is not None:
            category = ref_category  # "the number recorded by X, at 380 to 801": still the civilians killed
        part_of = self._part_of(nm, num, sent)
        value = nm.value
        if category == "percent" and nm.kind == "plain" and isinstance(value, float) and 0 < value < 1 \
                and not _POINTS_AFTER.match(self.text, nm.end):
            value = round(value * 100, 1)  # "a quarter of the workforce", "two thirds of those waiting": a share
        self.figures.append(Figure(
            start=nm.start, end=nm.end, text=nm.text, value=value, value_max=nm.value_max,
            qualifier=self._restated_qualifier(nm, sent) or _qualifier(self.text, nm, sent.start_char),  # type: ignore[arg-type]
            counted=counted, category=category,  # type: ignore[arg-type]
            source=self._source(nm, span),
            as_of=dates.date_for(self.ctx, nm.start, nm.end), part_of=part_of,
        ))
        self.heads.append(noun)
        ref = referent if referent is not None else noun
        if ref is None and counted:
            # "9.8% of people": keep the counted noun's token so "the number ..." later can refer to it.
            # The first noun of the phrase is its head ("people waiting more than 18 months as an inpatient").
            ref = next((t for w in counted.split() for t in sent if t.text == w and t.pos_ == "NOUN"), None)
        self.refs.append(ref)

    def _unit_named(self, nm: NumberMatch, counted: str | None) -> str | None:
        """'distances up to 4km' counts kilometres (the unit written out); 'route data at speeds up to 1.25gbps'
        counts the data speed, 'a 512kbps broadband connection' the connection's speed."""
        unit = _UNIT_WORD_AFTER.match(self.text, nm.end)
        low = unit.group(1).lower() if unit is not None else ""
        if counted and low in _UNIT_NAMES:
            return " ".join(_UNIT_NAMES[low] if w.lower() == low else w for w in counted.split())
        if low in _RATE_UNITS and counted and not any(w.lower() in _SPEED_WORDS for w in counted.split()):
            return _cap_words(counted + " speed")
        return counted

    def _restated_qualifier(self, nm: NumberMatch, sent: Any) -> str | None:
        """'about 900 rupees (dollars 20.40; pounds 10.50)': a restated amount is as exact as the first."""
        prev = self.figures[-1] if self.figures else None
        if prev is None or prev.start < sent.start_char or prev.qualifier in ("exact", "range") or nm.kind != "money":
            return None
        between = self.text[prev.end:nm.start]
        unit = between.split()[0].lower() if between.split() else ""
        if unit in _CURRENCY_NOUNS:
            between = between[between.lower().index(unit) + len(unit):]  # "900 rupees (dollars 20.40"
        # Only a conversion in brackets ("(dollars 20.40; ..."), not an alternative ("about 8 or $9").
        return prev.qualifier if _RESTATED.match(between) and ("(" in between or ";" in between) else None

    def _source(self, nm: NumberMatch, span: Any) -> str | None:
        """The figure's own source; for an unattributed forecast ('Forecasts for Japanese growth were also
        scaled back to 4.0%'), the forecaster of the figures just before it."""
        source = self.sources.source_for(nm.start, nm.end, span)
        if source is not None or not any(t.lemma_.lower() in _ESTIMATE_NOUNS and t.dep_ in ("nsubj", "nsubjpass")
                                         and not any(c.dep_ == "poss" for c in t.children) for t in span.sent):
            return source
        for fig in reversed(self.figures):
            if nm.start - fig.end > FORECAST_WINDOW:
                break
            if fig.source is not None:
                return fig.source
        return None

    # -- what is counted -------------------------------------------------------------------------------

    def _amount_continued(self, nm: NumberMatch, sent: Any, counted: str | None) -> str | None:
        """An amount that restates or continues the one before it in its sentence measures the same thing:
        '$102.6bn (pounds 53.51bn)', 'would reach 4.4% in 2004, but fall to 3.3%', 'to 4.0% from 4.4%'."""
        prev = next((f for f in reversed(self.figures) if f.start >= sent.start_char), None)
        if prev is None:
            return counted
        if prev.counted and self._restates(prev, nm.start):
            return prev.counted
        last = counted.split()[-1].lower() if counted else None
        # "growth" alone is a measure of its own ("growth slipping to 1.8%"); "an increase" is not
        bare_change = last in _CHANGE_NOUNS and last != "growth" and len(counted.split()) == 1 if counted else False
        if last is None or last in _CURRENCY_NOUNS | _ESTIMATE_NOUNS | _LEVEL_NOUNS or bare_change:
            # "rose 0.3% ... from a revised 0.6% increase": an increase with nothing named is of the amount before
            # "sold more than 2.4 million vehicles, an increase of 4%": a change continues any count before it
            amount = next((f for f in reversed(self.figures) if f.start >= sent.start_char
                           and (f.category in ("money", "percent") or bare_change) and f.counted), None)
            if amount is not None:
                return amount.counted
        return counted

    def _restates(self, prev: Figure, start: int) -> bool:
        """The amount at `start` restates `prev`: '68m euros (dollars 89m; pounds 47m)', '$5bn (pounds 2.6bn)'."""
        between = self.text[prev.end:start]
        words = between.split()
        if words and words[0].lower() in _CURRENCY_NOUNS:
            between = between[between.lower().index(words[0].lower()) + len(words[0]):]
        return _RESTATED.match(between) is not None

    def _restatement_group(self, sent_start: int) -> list[Figure]:
        """The last amount of this sentence with the amounts it restates, first one first."""
        group: list[Figure] = []
        for fig in reversed(self.figures):
            if fig.start < sent_start or fig.category != "money" or group and not self._restates(fig, group[-1].start):
                break
            group.append(fig)
        return group[::-1]

    def _from_to(self, nm: NumberMatch, sent: Any, counted: str | None, category: str) -> str | None:
        """'sales had fallen from pounds 138m to pounds 118m', 'from 97p (dollars 1.87) to 44p': the amount a
        change goes to measures what the amount it comes from measures; so does the earlier amount of
        'earned dollars 630m (pounds 481.5m) in the period, down from dollars 1bn'."""
        amount = category in ("money", "percent")
        group = self._restatement_group(sent.start_char) if category == "money" else \
            [f for f in self.figures[-1:] if f.start >= sent.start_char]
        if amount and group and group[0].category == category and group[0].counted \
                and _UP_FROM.search(self.text[group[-1].end:nm.start]):
            return group[0].counted
        if not group or not _TO_AFTER.match(self.text[group[-1].end:nm.start]) \
                or not _FROM_BEFORE.search(self.text, max(sent.start_char, group[0].start - 12), group[0].start):
            return counted
        first = group[0]
        same_kind = first.category == category if amount else first.category not in ("money", "percent")
        if not same_kind or first.counted is None or not amount and counted is not None:
            return counted
        return first.counted

    def _referent(self, span: Any, need_count_word: bool) -> tuple[str, Any, str | None] | None:
        """What a 'number'/'total'/'decline' counts: its 'of' object in this sentence, else the counted
        noun of a recent figure. With `need_count_word`, only where such a word comes before the number."""
        sent = span[0].sent
        count_word = None
        for tok in reversed(span.doc[max(sent.start, span.start - 12):span.start]):
            if tok.lower_ in _COUNT_OF or tok.lower_ in _CHANGE_NOUNS and not need_count_word:
                count_word = tok
                break
        if count_word is None and need_count_word:
            return None
        if count_word is not None:
            of = next((c for c in count_word.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
            if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and pobj.lower_ not in _COUNT_OF:
                return _with_participle(pobj), pobj, None
            if need_count_word and of is None and count_word.lower_ in _FIGURE_NOUNS and any(
                    c.dep_ == "compound" and c.pos_ == "NOUN" for c in count_word.children):
                # "the benefit claimant total fell 11,000 to 813,200": the total names what it counts.
                return _noun_phrase(count_word), count_word, None
            if count_word.lower_ not in _FIGURE_NOUNS and count_word.lower_ not in _CHANGE_NOUNS \
                    or any(c.dep_ in ("compound", "amod", "poss") for c in count_word.children):
                return None  # "the death toll of 11", "the PMI number": not a count of the earlier thing
        for fig, head in list(zip(self.figures, self.refs, strict=True))[::-1][:REFERENT_FIGURES]:
            if head is None or head.pos_ not in ("NOUN", "PROPN"):
                continue
            word = head.text
            low = word.lower()
            kept = fig.category if fig.category not in ("percent", "other") else None
            if not word.isalpha() or low in _OTHER_NOUNS | _UNIT_NOUNS | _COUNT_OF | _CHANGE_NOUNS | _STATE_NOUNS \
                    or low.rstrip("s") in _TIME_UNITS or fig.category in ("money", "duration"):
                continue
            # "The number waiting over 12 months fell from 7,613": the earlier people, waiting over 12 months.
            acl = next((c for c in count_word.rights if c.dep_ == "acl" and c.tag_ in ("VBG", "VBN")
                        and c.lemma_.lower() not in _REPORT_VERBS), None) if count_word is not None else None
            if acl is not None:
                return _cap_words(word + " " + _clause_words(acl)), head, kept
            if count_word is not None and count_word.lower_ in _CHANGE_NOUNS and fig.counted \
                    and fig.counted.split()[0] == word and fig.category in ("percent", "other"):
                # "... people waiting more than 18 months ... has fallen by 9.8%. Statistics showed a decline
                # from 785 to 708": the decline is in the count that share was of, named as fully.
                return fig.counted, head, kept
            return word, head, kept
        return None

    def _counted_noun(self, num: Any, span: Any, nm: NumberMatch) -> Any:
        """The noun the number counts ("9,500 Palestinian prisoners" -> prisoners), else None."""
        if _STRONG.match(self.text, nm.end):
            # "a 1,000-strong crowd": the crowd's members, named by the noun "strong" modifies
            # ("a nine-strong rate-setting committee" -> committee, not "rate").
            strong = next((t for t in span.doc[span.end:span.end + 3] if t.lower_ == "strong"), None)
            if strong is not None and strong.head.pos_ == "NOUN" and strong.head.i > strong.i:
                return strong.head
            return next((t for t in span.doc[span.end:span.end + 5] if t.pos_ == "NOUN" and t.lower_ != "strong"), None)
        head = num.head
        noun = None
        if num.dep_ in ("nummod", "compound", "amod", "quantmod", "nmod", "appos", "npadvmod") \
                and head.pos_ in ("NOUN", "PROPN") and head.i >= span.end and head.i - span.end < 8 \
                and not any(t.lower_ == "and" and not t.nbor().like_num for t in span.doc[span.end:head.i]):
            # not "a population of about 44 million and half lives ...": a noun past an "and" is another's
            noun = head
        else:
            # "six of the members": the object of 'of' is what is counted.
            of_economy = nm.kind == "percent" and _OF_ECONOMY.match(self.text, nm.end) is not None
            for child in [*num.children, *(span.root.children if span.root is not num else ())]:
                if child.dep_ == "prep" and child.lower_ == "of" and not of_economy:
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and pobj.lower_ not in _RELATIVES:
                        noun = pobj
            nxt = span.doc[span.end] if span.end < len(span.doc) else None
            if noun is None and nxt is not None and nxt.tag_ in ("NNS", "NNPS", "NN") \
                    and nxt.sent.start == span[0].sent.start and not nxt.like_num:
                noun = nxt
        # A noun-noun compound ("NATO service members"): the last noun is the head.
        while noun is not None and noun.dep_ == "compound" and noun.head.i > noun.i and noun.head.pos_ == "NOUN":
            noun = noun.head
        if noun is not None and _AMOUNT_WORD.match(noun.text):
            return None  # "for dollars 28.3bn (pounds 15.2bn)": another amount, not what this one counts
        if noun is not None and noun.lower_ in _STATE_NOUNS:
            return None  # "40 wounded", "25 hurt": a state, the counted noun is elided
        if noun is not None and noun.lemma_.lower() in _TIME_UNITS \
                and any(c.lower_ in _TIME_DETS and c.i == span.end for c in noun.children):
            return None  # "down from 311,764 last month": a time, not what the number counts
        if noun is None and nm.kind == "plain":
            noun = _noun_after(span)
        return noun

    def _counted(self, num: Any, noun: Any, span: Any, nm: NumberMatch) -> str | None:
        money = nm.kind == "money" or _PENCE.match(self.text, nm.end) is not None
        # "raised rates by 0.27 percentage points": a change of a share, read as one
        percent = nm.kind == "percent" or _POINTS_AFTER.match(self.text, nm.end) is not None
        if money and noun is not None and noun.i == span.end + 1 and span.doc[span.end].lower_ in ("a", "an", "per"):
            noun = None  # "$30 a barrel", "33 cents a share": the unit priced, not what the price is of
        if noun is not None and noun.lower_ in _UNIT_NOUNS | {"points"} \
                and (nm.kind != "plain" or _POINTS_AFTER.match(self.text, nm.end)):
            noun = None  # "raised rates by 0.27 percentage points": the points are a unit, not what is counted
        if noun is not None and noun.lower_ in _CURRENCY_NOUNS and noun.lower_ not in ("points", "pounds"):
            noun, money = None, True  # "33 cents a share", "5 billion euros": the currency is no thing counted
        of_it = any(c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ == "it" for g in c.children)
                    for t in span for c in t.children)
        prev_here = self.figures[-1] if self.figures and self.figures[-1].start >= span[0].sent.start_char else None
        if noun is None and of_it and prev_here is not None and prev_here.counted:
            return prev_here.counted  # "540bn yen in fresh financial backing, half of it from ...": of that amount
        if noun is None and not money and self.figures:
            prev = self.figures[-1]
            if prev.start >= span[0].sent.start_char and prev.counted and prev.category not in ("money", "percent") \
                    and _UP_FROM.search(self.text[prev.end:nm.start]):
                return prev.counted  # "305,775 people on a waiting list, down from 311,764 last month"
        if noun is not None and noun.lower_ not in _UNIT_NOUNS:
            if noun.lower_ in _OTHER_NOUNS:
                # "police arrested 5 men. Two others were charged": the sentence before may name them.
                self.skipped_doer = False
                ante = self._antecedent(span)
                if ante is None and not self.skipped_doer:  # "bombs exploded, wounding 40 others": people
                    ante = self._antecedent(span, sentences_back=1)
                if ante is not None:
                    return ante
                if noun.lower_ == "others" and _about_people(span[0].sent):
                    return "people"  # "X was killed and four others were hurt"
            strong = _STRONG.match(self.text, nm.end) is not None
            out = _noun_phrase(noun, after=span.end + (2 if strong else 0))  # not "strong" of "2,000-strong"
            if strong and noun.lemma_.lower() in _MEMBER_BODIES:
                out += " members"  # "the nine-strong committee" counts committee members
            if noun.lower_ in _MEASURE_UNITS:
                out += _of_stuff(noun)  # "4,000 pounds of ammonium nitrate"
            nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
            if nxt is not None and nxt.tag_ == "VBZ" and nxt.lower_ in _CHANGE_NOUNS:
                out += " " + nxt.text  # "five interest rate rises": the parser took the noun for a verb
            # "251 people abducted": a participle after the noun is part of what is counted.
            acl = next((c for c in noun.rights if c.dep_ == "acl" and c.tag_ == "VBN"), None)
            if acl is not None:
                out += " " + acl.text
            return _cap_words(out)
        if money or percent:
            ranged = _ranging_noun(span)
            if ranged is not None:
                return ranged  # "with prices ranging from pounds 19 to pounds 29": the prices
            if _subjectless_change(span) and self.figures:
                # "total growth of 3.6% in 2004 ..., slipping to 2.9% next year before recovering to 3.1%":
                # a participle's change goes on from the amount of the same kind before it in the sentence.
                kind = "money" if money else "percent"
                before = next((f for f in reversed(self.figures) if f.start >= span[0].sent.start_char
                               and f.category == kind), None)
                if before is not None and before.counted:
                    return before.counted
            valued = _valued_noun(span)
            if valued is not None:
                return valued  # "a deal valued at dollars 4bn", "a bid valuing the club at pounds 800m"
            premodified = _premodified_noun(span) if money else None
            if premodified is not None:
                return premodified  # "led to a dollars 337m hit", "blamed an dollars 850m payout"
            subject = _changed_subject(span)
            if subject is not None:
                return subject
            after = _noun_after_amount(span) if not (percent and _OF_ECONOMY.match(self.text, nm.end)) else None
            if after is not None:
                return after
        if nm.kind == "percent" and span.root.dep_ == "nsubj" and span.root.head.pos_ == "VERB":
            # "40% of firms cut jobs. It also found that 12% raised pay": a share that acts is a share of the
            # group the shares before it were of, not of what it acts on.
            group = _among(span) or self._share_group(span)
            if group is not None:
                return group
        if money or percent or num.head.dep_ == "prep" or num.dep_ == "pobj":
            measured = _measured(num, span, money)
            if measured is not None:
                return measured
            prep = span.root.head
            if prep.dep_ == "conj" and prep.pos_ == "ADP" and self.figures \
                    and self.figures[-1].start >= span[0].sent.start_char:
                return self.figures[-1].counted  # "prices rose 15.1% in 2004, but by only 2.8% in ..."
        if any(c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ in _PEOPLE_PRONOUNS for g in c.children)
               for t in span for c in t.children):
            return "people"  # "two thirds of those waiting"
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        if nm.kind == "plain" and noun is None and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ")):
            # a number standing alone (not "the murder of one Chilean")
            of_before = _of_before(span)
            if of_before is not None:
                return of_before  # "a population of about 44 million", "a crowd of 5,000"
        # A bare number: the noun it stands for (from the figure before it) and its predicate.
        ante = self._antecedent(span)
        if ante is None:
            harmed = _harmed_participle(num)
            if harmed is not None:
                return _cap_words("people " + _clause_words(harmed))  # "the four injured in the shooting"
            same = self._same_number_before(nm, span)
            if same is not None:
                return same
        pred = _predicate(num, span)
        if ante is None and pred is not None and (num.dep_ in ("nsubj", "nsubjpass") and _people_verb(num.head)
                                                  or pred.lower() in _STATE_NOUNS
                                                  or num.dep_ == "nsubj" and any(w.lower() in _CONDITIONS for w in pred.split()[:2])):
            # "one was critical": a medical condition is a person's
            ante = "people"  # "22 were killed", "another 38 were injured in the explosion", "leaving 1 dead"
            pred = pred.lower()
        parts = [p for p in (ante, pred) if p]
        if parts:
            return _cap_words(" ".join(parts))
        verb = num.head if num.dep_ in ("dobj", "conj") else None
        if num.dep_ == "pobj" and num.head.lower_ in _QUANTITY_PREPS:
            verb = num.head.head  # "killed over 26 and wounded over 42": 'over' hangs the number off the verb
        while verb is not None and verb.dep_ == "conj" and verb.pos_ != "VERB":
            verb = verb.head  # "shot four and wounded two more": the conj's own verb
        if verb is not None and verb.pos_ == "VERB" and verb.lemma_.lower() in _PEOPLE_OBJECT_VERBS:
            return "people"  # "shot four", "the clinic treated 85": people, the number stands for
        if noun is not None:
            return str(noun.text)
        piece = _PIECE_OF.match(self.text, nm.end) if nm.words and isinstance(nm.value, float) else None
        if piece is not None and piece.group(1).lower() not in _CURRENCY_NOUNS:
            return piece.group(1)  # "half a mile", "a quarter of an hour"
        subj = _valued_subject(num)
        if subj is not None:
            return _noun_phrase(subj)  # "growth in the third quarter had been zero"
        if nm.kind == "plain" and noun is None and num.dep_ == "dobj":
            # "... customers in only about 70 towns and cities. But by March the firm hopes to reach more than
            # 1,000": an object number with no noun goes on counting what the sentence before counted.
            sent = span[0].sent
            before = span.doc[sent.start - 1].sent.start_char if sent.start > 0 else sent.start_char
            earlier = next((f for f in reversed(self.figures) if f.start < sent.start_char), None)
            if earlier is not None and earlier.start >= before and earlier.counted \
                    and earlier.category not in ("money", "percent"):
                return earlier.counted
        return _changed_subject(span) if nm.kind == "plain" else None  # "jobs growth averaged 178,000"

    def _antecedent(self, span: Any, sentences_back: int = 0) -> str | None:
        """The counted head of the latest figure before this one in the same sentence ("40 others" -> people),
        or in as many sentences before it."""
        sent = span[0].sent
        for _ in range(sentences_back):
            if sent.start > 0:
                sent = span.doc[sent.start - 1].sent
        num = _number_token(span)
        if num.dep_ == "nummod" and num.head.lower_ in _OTHER_NOUNS:
            num = num.head  # "killing three and injuring some 260 others": the others' verb
        above = {t.i for t in num.ancestors} if _people_verb(num.head) else set()
        for fig, head in zip(reversed(self.figures), reversed(self.heads), strict=True):
            if fig.start < sent.start_char:
                break
            if head is not None and head.dep_ in ("nsubj", "nsubjpass") and head.head.i in above:
                self.skipped_doer = True
                continue  # "Twin bombs exploded (were detonated) ..., killing three": the doer is not what is counted
            if head is not None and head.tag_ == "NN" and fig.value == 1 and head.lemma_.lower() in _PERSON_NOUNS:
                continue  # "killed 1 woman and injured 11 others": one woman is no word for the others
            if head is not None and head.lower_ not in _OTHER_NOUNS and head.lower_ not in _UNIT_NOUNS \
                    and head.lemma_.lower() not in _TIME_UNITS and head.lemma_.lower() not in _HARM_EVENTS:
                return str(_measured_noun(head).text)
        return None

    def _share_group(self, span: Any) -> str | None:
        """The counted group of the latest share in this sentence or the one before it."""
        sent = span[0].sent
        if sent.start > 0:
            sent = span.doc[sent.start - 1].sent
        for fig in reversed(self.figures):
            if fig.start < sent.start_char:
                break
            if fig.category == "percent" and fig.counted:
                return fig.counted
        return None

    def _same_number_before(self, nm: NumberMatch, span: Any) -> str | None:
        """'The five tried to confront MPs' after 'five men ...': the earlier figure of that number."""
        before = span.doc[span.start - 1] if span.start > 0 else None
        if before is None or before.lower_ not in ("the", "all", "those", "these"):
            return None
        for fig, head in zip(reversed(self.figures), reversed(self.heads), strict=True):
            if fig.value == nm.value and fig.value_max is None and head is not None and fig.counted \
                    and head.pos_ == "NOUN" and head.lower_ not in _OTHER_NOUNS:
                return fig.counted
        return None

    def _category(self, nm: NumberMatch, num: Any, noun: Any, counted: str | None) -> str:
        if nm.kind == "money" or _PENCE.match(self.text, nm.end):
            return "money"
        if nm.kind == "percent" or _POINTS_AFTER.match(self.text, nm.end):
            return "percent"
        if noun is not None and noun.lower_ in _CURRENCY_NOUNS:
            return "money"  # "5 billion euros"
        if noun is not None and noun.lemma_.lower() in _TIME_UNITS:
            return "duration"
        if nm.kind == "plain" and isinstance(nm.value, float) and 0 < nm.value < 1 \
                and (nm.words or "/" in nm.text) and not _SCALE_PIECE.match(self.text, nm.end) \
                and not self.text[max(0, nm.start - 4):nm.start].lower().endswith("and ") \
                and self.text[nm.end:nm.end + 1] != "-":
            return "percent"  # "half", "two thirds of those waiting", "1/4": a share ("a block and a half" is not)
        own = _own_clause_category(num, noun, nm)
        if own is not None:
            return own
        # What is counted decides first ("prisoners ... held" are detained), then the governing words.
        words: list[str] = []
        for w in (counted or "").lower().split():
            words.extend((w, w[:-1] if w.endswith("s") else w))
        tok = noun if noun is not None else num
        # "left 24 others wounded", "left three people dead": the object's state says it.
        if tok.dep_ == "dobj":
            words.extend(c.lower_ for c in tok.head.children if c.dep_ in ("oprd", "acomp", "ccomp", "xcomp"))
        # The governing words next; an active verb's subject did the deed ("two explosions killed ..").
        anc = tok
        active_subject = tok.dep_ == "nsubj" and any(c.dep_ == "dobj" for c in tok.head.children)
        for _ in range(0 if active_subject else 3):
            anc = anc.head
            words.append(anc.lemma_.lower())
            if anc.head.i == anc.i:
                break
        for c in tok.children:
            if c.dep_ == "relcl" and any(g.dep_ in ("nsubj", "nsubjpass") and g.lower_ not in _RELATIVES
                                         for g in c.children):
                continue  # "shootings in which three people were killed": says what befell others
            if c.dep_ in ("acl", "relcl", "amod"):
                words.append(c.lemma_.lower())
                words.extend(g.lemma_.lower() for g in c.children if g.dep_ in ("acomp", "oprd"))
        for c in num.children:
            if c.dep_ in ("relcl", "acl", "amod"):
                words.append(c.lemma_.lower())
                words.extend(g.lemma_.lower() for g in c.children if g.dep_ in ("acomp", "oprd"))
        if tok.dep_ in ("conj", "dobj") and tok.head.pos_ == "VERB":
            words.insert(0, tok.head.lemma_.lower())
        for w in words:
            if w in _CATEGORY_OF:
                return _CATEGORY_OF[w]
        return "other"

    def _part_of(self, nm: NumberMatch, num: Any, sent: Any) -> int | None:
        """Index of the figure this one is part of: "33 hostages, including eight", "58 ..., 34 of whom"."""
        m = _PART_BEFORE.search(self.text, max(sent.start_char, nm.start - 20), nm.start)
        rel = any(c.dep_ == "prep" and any(g.lower_ in ("whom", "them", "which") for g in c.children)
                  for c in num.children)
        if m is None and not rel:
            return None
        for idx in range(len(self.figures) - 1, -1, -1):
            if self.figures[idx].start < sent.start_char:
                break
            return idx
        return None


def _own_clause_category(num: Any, noun: Any, nm: NumberMatch) -> str | None:
    """'killed' or 'injured' from the figure's own words, before any verb further up the sentence:
    '2 killed and 15 wounded', 'four men injured', 'four others were hurt', 'two women were shot'."""
    doc = num.doc
    last = noun if noun is not None and noun.i > num.i else num
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.idx <= nm.end + 40 and nxt.tag_ in ("VBN", "VBD", "JJ") \
            and not any(c.dep_ == "nsubj" and c.i == last.i for c in nxt.children):
        word = nxt.lower_
        if _CATEGORY_OF.get(word) in ("killed", "injured"):
            return _CATEGORY_OF[word]
        if nxt.tag_ in ("VBN", "VBD") and (word in _INJURED_CLAUSE or nxt.lemma_.lower() in _INJURED_CLAUSE) \
                and not (nxt.i + 1 < len(doc) and doc[nxt.i + 1].lower_ in _KILLED):
            return "injured"  # "the four people shot", but not "two people shot dead"
    tok = noun if noun is not None else num
    verbs = [c for c in tok.children if c.dep_ == "acl" and c.tag_ == "VBN"]
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
        verbs.insert(0, tok.head)
    for verb in verbs[:1]:
        # An active subject did the deed ("two explosions killed ...", "gunmen shot ..."): only what it
        # suffered counts ("four sustained injuries"), not the verb.
        active = tok.dep_ == "nsubj" and verb.i == tok.head.i and any(c.dep_ == "dobj" for c in verb.children)
        if active and any(t.like_num for c in verb.children if c.dep_ == "dobj" for t in c.subtree):
            return None
        words = [] if active else [verb.lemma_.lower(), verb.lower_]
        for c in verb.children:
            if c.dep_ == "dobj" and active:
                words += [c.lemma_.lower()] if c.lemma_.lower() in _INJURED_CLAUSE else []
            elif c.dep_ == "conj" and (active or any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)):
                continue  # "three were shot and a boy was killed": another clause, about others
            elif c.dep_ in ("acomp", "oprd", "advmod", "conj", "dobj"):
                words += [c.lemma_.lower(), c.lower_]
            elif c.dep_ in ("prep", "agent"):
                words += [g.lemma_.lower() for g in c.children if g.dep_ == "pobj"]
        if any(w in _KILLED for w in words):
            return "killed"  # "shot and killed", "shot dead", "fatally shot"
        if any(w in _INJURED_CLAUSE for w in words):
            return "injured"
    return None


def _noun_after(span: Any) -> Any:
    """'from 2,000 to 10,000 IS insurgents': a plural noun a few modifiers after the number, where the
    parse did not tie it to the number."""
    sent_start = span[0].sent.start
    for tok in span.doc[span.end:span.end + 4]:
        if tok.sent.start != sent_start or tok.like_num:
            return None
        if tok.tag_ in ("NNS", "NNPS"):
            return tok
        if tok.tag_ not in ("JJ", "NN", "NNP", "VBN", "HYPH") and not (tok.is_upper and len(tok) > 1):
            return None  # "10,000 IS insurgents": an acronym is a modifier whatever its tag
    return None


def _about_people(sent: Any) -> bool:
    """The sentence names a person or a word for one ('X was killed and four others were hurt')."""
    return any(t.ent_type_ == "PERSON" or t.lemma_.lower() in _PERSON_NOUNS or t.lemma_.lower() in _KILLED
               or t.lemma_.lower() in _INJURED_CLAUSE for t in sent)


def _number_token(span: Any) -> Any:
    """The token of the span that carries the number (the numeric one nearest the span's root)."""
    nums = [t for t in span if t.like_num or t.pos_ == "NUM" or _DIGIT.search(t.text)]
    if not nums:
        return span.root
    root = span.root
    return root if root in nums else nums[-1]


def _cap_words(text: str, limit: int = 12) -> str:
    words = text.split()
    return " ".join(words[:limit])


def _measured(num: Any, span: Any, money: bool) -> str | None:
    """What an amount measures: 'the unemployment rate went up to 5.5%' -> 'unemployment rate'."""
    of_before = _of_before(span)
    if of_before is not None:
        return of_before
    among = _among(span) if not money else None
    if among is not None:
        return among
    doc = span.doc
    if span.start - 2 >= span.sent.start and doc[span.start - 1].lower_ in _NOUN_CHANGE \
            and doc[span.start - 2].tag_ in ("NN", "NNS") and doc[span.start - 2].lower_ not in _MONEY_OF_VAGUE:
        return _noun_phrase(doc[span.start - 2])  # "with sales up 5%", "profits down pounds 2m"
    num = span.root  # "2.2 %": the token that ties the amount into the sentence
    prep = num.head
    if num.dep_ == "pobj" and prep.lower_ in ("of", "at") and prep.head.pos_ == "NOUN" \
            and (prep.head.lower_ not in _MONEY_OF_VAGUE or prep.head.lower_ in _COUNT_OF and any(
                c.dep_ in ("compound", "amod") and c.pos_ == "NOUN" for c in prep.head.children)):
        return _noun_phrase(prep.head)  # "economic growth of 2.2%", "a rate of 5%", "a market share of 13%"
    tok = num
    for _ in range(4):
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    inside = set(range(span.start, span.end))
    # "pounds 35bn in wasteful spending": the 'in' object says what the money is for.
    # "The company is earning $1.8m an hour", "Holcim has bid $800m": money a verb moves is named by the verb
    # ("earnings", "bid"), not by who moves it; "spent $5m on fuel subsidies" -> "spending on fuel subsidies".
    path = [t for t in num.ancestors if t.i != tok.i and tok in t.ancestors]
    # Not for "pay a $125m fine": an amount after a determiner stands before its own noun.
    # "will retail for pounds 99": a price verb takes its amount through "for"/"at".
    price_preps = ("for", "at") if tok.lemma_.lower() in _PRICE_VERBS else ()
    deed = _MONEY_VERB_NOUNS.get(tok.lemma_.lower()) if money and all(
        t.i in inside or t.lower_ in _CURRENCY_NOUNS or t.lower_ in _QUANTITY_PREPS or t.lower_ in price_preps
        for t in path) \
        and not (span.start > 0 and span.doc[span.start - 1].pos_ in ("DET", "PRON")) else None
    if money:
        cur = [span.root.head] if span.root.head.lower_ in _CURRENCY_NOUNS else []  # "59.2 trillion rupiah ... on"
        for holder in [*span, *cur, tok]:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "on", "for"):
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None and pobj.pos_ == "NOUN" and pobj.i not in inside and pobj.i > span.start \
                            and pobj.lemma_.lower() not in _TIME_UNITS \
                            and not (child.lower_ == "for" and pobj.lemma_.lower() in _BENEFICIARIES) \
                            and pobj.lower_ not in _MONEY_OF_VAGUE and not _timed(pobj):  # not "in excess of"
                        what = _noun_phrase(pobj)
                        return _cap_words(f"{deed} {child.lower_} {what}") if deed else what
    if deed is not None:
        return deed
    for dep in ("dobj", "nsubj", "nsubjpass"):
        if dep == "nsubj" and tok.lemma_.lower() in _REPORT_VERBS:
            continue  # "the lender said ..., but by only 2.8%": who speaks is not what is measured
        for child in tok.children:
            if child.dep_ != dep or child.pos_ not in ("NOUN", "PROPN") or child.i in inside:
                continue
            if dep == "dobj" and num in child.subtree and child.lower_ in _CHANGE_NOUNS \
                    and _measured_noun(child) is child and tok.lemma_.lower() not in _LEVEL_VERBS:
                return None  # "the Commission has urged an increase to 1.26%": a change of what came before
            if num in child.subtree or any(c.dep_ == "nummod" for c in child.children):
                if dep == "dobj" and _measured_noun(child) is not child:
                    return _noun_phrase(child)  # "enjoyed a 43% rise in net profits to 2.4bn euros"
                continue  # the object is itself counted ("gaining 45.4 points"): look at the subject
            if child.lower_ in _COUNT_OF:
                # "the number of jobs ... to 139,000": what the number is of.
                of = next((c for c in child.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
                if pobj is not None:
                    return _noun_phrase(pobj)
            if child.lower_ in _MEASURE_UNITS:
                return _cap_words(_noun_phrase(child) + _of_stuff(child))  # "buys a carton of milk for $3.49"
            return _with_of(child)
    if tok.dep_ == "xcomp" and tok.lemma_.lower() in _LEVEL_VERBS and not any(c.dep_ == "dobj" for c in tok.children):
        # "Maternity pay is to rise by pounds 1,400", "the value of exports is expected to reach $60bn": the
        # subject sits on the verb "rise" hangs from.
        subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"), None)
        if subj is not None and subj.i not in inside and subj.lower_ not in _COUNT_OF:
            return _with_of(subj)
    return None


def _among(span: Any) -> str | None:
    """'Among the over-65s, 70% said ...', 'But of the 145 companies reporting, 76% ...': an opening 'among' or
    'of' names the group the shares are of."""
    sent = span.sent
    among = next((t for t in sent[:2] if t.lower_ in ("among", "of") and t.i < span.start
                  and (t.i == sent.start or sent[0].pos_ in ("CCONJ", "ADV"))), None)
    pobj = next((c for c in among.children if c.dep_ == "pobj"), None) if among is not None else None
    if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") and pobj.i < span.start:
        return _noun_phrase(pobj)
    return None


def _of_before(span: Any) -> str | None:
    """'profits of around pounds 420m', 'economic growth of just 2%', 'unemployment of more than five million':
    the noun right before 'of', read from the words (the parser often splits '420m' oddly or hangs the 'of'
    on an earlier noun)."""
    doc, i = span.doc, span.start - 1
    while i > span.sent.start and doc[i].lower_ in _MONEY_OF_SKIP:
        i -= 1
    if not (i > span.sent.start and doc[i].lower_ == "of" and doc[i - 1].pos_ == "NOUN"
            and doc[i - 1].lower_ not in _MONEY_OF_VAGUE):
        return None
    noun = doc[i - 1]
    if noun.dep_ == "pobj" and noun.head.lower_ in _EXCEPT_PREPS and noun.head.i > span.sent.start:
        # "earnings excluding items of $1.48": the earnings, not the items (wherever the parser hangs
        # "excluding", the noun right before it).
        left = doc[noun.head.i - 1]
        noun = noun.head.head if noun.head.head.pos_ == "NOUN" else left if left.pos_ == "NOUN" else noun
    return _noun_phrase(noun)


def _with_participle(noun: Any) -> str:
    """'people waiting more than 18 months as an inpatient', 'civilians killed': the noun phrase with the
    participle clause that says which of them a number of them counts."""
    out = _noun_phrase(noun)
    acl = next((c for c in noun.rights if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG")), None)
    return out if acl is None else _cap_words(out + " " + _clause_words(acl))


def _clause_words(verb: Any) -> str:
    """A participle clause's words, without the relative or adverbial clauses hanging off it."""
    cut = {t.i for c in verb.subtree if c.dep_ in ("relcl", "advcl", "agent") for t in c.subtree}
    toks = [t for t in verb.subtree if not t.is_punct and t.i not in cut][:9]
    while len(toks) > 1 and toks[-1].pos_ in ("ADP", "DET", "CCONJ", "SCONJ", "PART"):
        toks.pop()  # "people waiting more than 18 months as": not the dangling word the cut left
    return " ".join(t.text for t in toks)


def _of_stuff(noun: Any) -> str:
    """' of ammonium nitrate' after a unit noun, read from the words; '' when no 'of' phrase follows."""
    doc = noun.doc
    if noun.i + 2 >= len(doc) or doc[noun.i + 1].lower_ != "of":
        return ""
    words = []
    for tok in doc[noun.i + 2:noun.i + 7]:
        if tok.tag_ not in ("NN", "NNS", "JJ", "NNP", "NNPS", "HYPH", "DT", "VBN") or tok.like_num:
            break
        words.append(tok)
    while words and words[-1].tag_ not in ("NN", "NNS", "NNP", "NNPS", "JJ"):
        words.pop()
    return " of " + " ".join(t.text for t in words if t.tag_ != "DT") if words else ""


def _subjectless_change(span: Any) -> bool:
    """'..., slipping to 2.9% next year before recovering to 3.1%': an amount a participle with no subject
    of its own changes to or from."""
    prep = span.root.head
    verb = prep.head
    return span.root.dep_ == "pobj" and prep.lower_ in ("to", "from", "by") and verb.tag_ == "VBG" \
        and verb.dep_ in ("advcl", "pcomp", "conj") and verb.lemma_.lower() in _CHANGE_VERBS | _RECOVER_VERBS \
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _ranging_noun(span: Any) -> str | None:
    """'prices ranging from pounds 19 to pounds 29', 'fees varying between 5% and 8%': the noun that ranges."""
    prep = span.root.head
    verb = prep.head
    if span.root.dep_ == "pobj" and prep.lower_ in ("from", "to", "between") and verb.lemma_.lower() in ("range", "vary") \
            and verb.dep_ == "acl" and verb.head.pos_ == "NOUN" and verb.head.lower_ not in _MONEY_OF_VAGUE:
        return _noun_phrase(verb.head)
    return None


def _valued_noun(span: Any) -> str | None:
    """'a deal valued at dollars 4bn', 'a bid valuing the club at pounds 800m', 'a stake worth $5bn': the noun a
    participle (or 'worth') that sets the amount describes."""
    root = span.root
    for tok in list(root.ancestors)[:3]:
        if tok.lower_ == "worth" and tok.head.pos_ == "NOUN" and tok.head.i < tok.i:
            return _noun_phrase(tok.head)  # "the 20m note, worth dollars 15", "a profit share worth pounds 52 each"
    prep = root.head if root.dep_ == "pobj" else None
    verb = prep.head if prep is not None and prep.lower_ in ("at", "for") else None
    if verb is None or verb.dep_ != "acl" or verb.tag_ not in ("VBN", "VBG") or verb.head.pos_ != "NOUN" \
            or verb.lemma_.lower() not in _VALUE_VERBS or verb.head.lower_ in _MONEY_OF_VAGUE:
        return None
    return _noun_phrase(verb.head)


def _verb_like(tok: Any) -> bool:
    """A verb, or a change verb the tagger took for an adjective ('revenues should more than double to $21bn')."""
    return bool(tok.pos_ == "VERB" or tok.pos_ == "ADJ" and tok.lower_ in _LEVEL_VERBS)


def _changed_subject(span: Any) -> str | None:
    """'EBay stock fell to $92.9 ..., from a $103.05 end', 'BP's share price rose 4p', 'shares closed at
    1115 pence': what the change or level verb governing the amount moves (its object, else its subject)."""
    verb = None
    root = span.root
    # "grew ... to 1.14 trillion yen": the currency word the amount hangs from ties it into the clause.
    # "raised rates by 0.27 percentage points": so does the unit.
    holders = [*span, root.head] if root.head.lower_ in _CURRENCY_NOUNS | {"points", "point"} \
        and root.head.i >= span.end else list(span)
    for tok in holders:
        head = tok.head
        if tok.dep_ in ("npadvmod", "dobj") and _verb_like(head) and head.lemma_.lower() not in _TRANSITIVE_CHANGE:
            verb = head
        elif tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("to", "from", "at", "by") \
                and (head.head.pos_ == "AUX" or _verb_like(head.head)):
            verb = head.head
        elif tok.dep_ == "pobj" and head.lower_ == "as" and head.head.pos_ in ("ADJ", "ADV") \
                and head.head.head.pos_ in ("VERB", "AUX"):
            verb = head.head.head  # "poverty could fall as low as 15.3%"
        if verb is not None:
            break
    if verb is None:
        return None
    # "its shares were down 10% at 119 pence": 'be' with up/down moves its subject too.
    moved = verb.lemma_ == "be" and any(c.lower_ in _NOUN_CHANGE for c in verb.children)
    if verb.lemma_.lower() not in _LEVEL_VERBS and not moved:
        return None
    inside = set(range(span.start, span.end))
    holders = [verb]
    if verb.tag_ == "VBG" and verb.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        holders.append(verb.head)  # "mining output drove the increase, surging 2.1%": the clause's subject
    for dep in ("dobj", "nsubj", "nsubjpass"):
        noun = next((c for h in (holders[:1] if dep == "dobj" else holders) for c in h.children
                     if c.dep_ == dep and c.pos_ in ("NOUN", "PROPN") and c.i not in inside
                     and (c.lower_ not in _CURRENCY_NOUNS or any(d.lower_ == "the" for d in c.children))
                     and not any(t.i in inside for t in c.subtree)
                     and c.lemma_.lower() not in _TIME_UNITS  # "ended the day down at $8.08"
                     # "output rose 0.3% - in line with forecasts": what a change verb moves comes before it
                     and not (dep == "dobj" and c.i > span.end and verb.lemma_.lower() not in _TRANSITIVE_CHANGE)),
                    None)
        if noun is not None and dep == "nsubj" and _traded(noun):
            # "The real estate firm ended the day down at $8.08", "BP rose 4p": a company's share price.
            if noun.pos_ == "PROPN":  # "its rival Zeta": the name alone
                names = [t for t in noun.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
                return " ".join(t.text for t in [*names, noun]) + " share price"
            return _noun_phrase(noun) + " share price"
        if noun is not None and noun.lower_ in _COUNT_OF:
            # "the number of people waiting over a year has fallen by 9.8%": what the number is of.
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((g for g in of.children if g.dep_ == "pobj" and g.pos_ == "NOUN"), None) if of else None
            return _with_participle(pobj) if pobj is not None else None
        if noun is not None:
            return _with_of(noun)
    return None


def _with_of(noun: Any) -> str:
    """'Sales of antiviral drugs rose 40%': the subject with what it is of, since either word may be what
    a reader calls the thing measured ('sales', 'drug sales'); the noun's phrase alone where no 'of' follows."""
    phrase = _noun_phrase(noun)
    if _measured_noun(noun) is not noun:
        return phrase  # "a rise in profits" already names the profits
    of = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if pobj is None or pobj.pos_ != "NOUN" or pobj.lemma_.lower() in _TIME_UNITS \
            or pobj.lower_ in _CURRENCY_NOUNS or pobj.lower_ in _MONEY_OF_VAGUE or any(t.like_num for t in pobj.subtree):
        return phrase
    return _cap_words(f"{phrase} of {_noun_phrase(pobj)}")


def _traded(noun: Any) -> bool:
    """A company (not an index, a currency or a commodity) as the subject of a market move."""
    words = {t.lower_ for t in noun.subtree if t.i <= noun.i}
    if words & _MARKET_NAMES or noun.lower_ in _CURRENCY_NOUNS:
        return False
    return noun.lower_ in _COMPANY_NOUNS or noun.ent_type_ == "ORG" and noun.pos_ == "PROPN"


def _noun_after_amount(span: Any) -> str | None:
    """'its $102.6bn (pounds 53.51bn) debt restructuring offer', 'a 2 billion rupee contract': the noun
    phrase an amount stands before, read from the words (the parser often splits such amounts)."""
    doc, i = span.doc, span.end
    while i < len(doc) and doc[i].lower_ in _CURRENCY_NOUNS:
        i += 1  # "417m yuan (dollars 50.4m) of company funds"
    if i < len(doc) and doc[i].text == "(":
        close = next((t.i for t in doc[i:i + 14] if t.text == ")"), None)
        if close is None:
            return None
        i = close + 1
    if i + 1 < len(doc) and doc[i].lower_ == "of" and doc[i + 1].pos_ in ("NOUN", "ADJ"):
        pobj = next((c for c in doc[i].children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None)
        if pobj is not None and pobj.lower_ not in _MONEY_OF_VAGUE and pobj.lemma_.lower() not in _TIME_UNITS:
            return _noun_phrase(pobj)  # "12 trillion won of debt"
    words: list[Any] = []
    # "a 50% Disney-owned subsidiary company": names and participles may stand among the modifiers.
    while i < len(doc) and doc[i].tag_ in ("NN", "NNS", "JJ", "HYPH", "NNP", "VBN") and not doc[i].like_num \
            and len(words) < 6:
        words.append(doc[i])
        i += 1
    while words and words[-1].tag_ not in ("NN", "NNS"):
        words.pop()
    if not words or words[-1].lemma_.lower() in _TIME_UNITS or words[-1].lower_ in _CURRENCY_NOUNS | _UNIT_NOUNS:
        return None
    kept = [t for t in words if t.lower_ not in _CURRENCY_NOUNS]
    return " ".join(t.text for t in kept).replace(" - ", "-") if kept else None


def _valued_subject(num: Any) -> Any:
    """'growth in the third quarter had been zero': the subject whose value a number after 'be' is."""
    if num.dep_ != "attr" or num.head.lemma_ != "be":
        return None
    subj = next((c for c in num.head.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"), None)
    return subj if subj is not None and subj.lower_ not in _COUNT_OF else None


def _premodified_noun(span: Any) -> str | None:
    """'a dollars 337m hit', 'an dollars 850m payout': an amount between an article and a word modifies that
    word (the parser often reads the currency word as the noun and the word as a verb or an adjective)."""
    doc = span.doc
    if span.start == 0 or doc[span.start - 1].lower_ not in ("a", "an"):
        return None
    after = _noun_after_amount(span)
    if after is not None:
        return after
    i = span.end
    if i + 1 >= len(doc) or doc[i].text == "(":
        return None
    word, nxt = doc[i], doc[i + 1]
    if word.is_alpha and word.is_lower and word.tag_ in ("JJ", "VBN", "VBD", "NN") \
            and word.lower_ not in _CURRENCY_NOUNS | _UNIT_NOUNS and word.lemma_.lower() not in _TIME_UNITS \
            and (nxt.is_punct or nxt.tag_ in ("IN", "TO", "CC")):
        return str(word.text)
    return None


def _measured_noun(noun: Any) -> Any:
    """What a change or an estimate is of: 'a 26% rise in annual profits' -> profits, 'forecasts for
    Japanese growth' -> growth, 'growth forecasts' -> growth; any other noun is itself."""
    low = noun.lower_
    if low not in _CHANGE_NOUNS and low not in _ESTIMATE_NOUNS:
        return noun
    for child in noun.children:
        # "a 20% cut to the greenhouse gas level" ("an increase to 1.26%" has no noun there)
        if child.dep_ == "prep" and child.lower_ in ("in", "of", "for", "to"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ == "NOUN" and pobj.is_alpha and pobj.lower_ not in _CURRENCY_NOUNS \
                    and pobj.lower_ not in _UNIT_NOUNS and pobj.lemma_.lower() not in _TIME_UNITS \
                    and not _timed(pobj):  # "growth for the whole of 2004": a period, not what grew
                return pobj
    if low in _ESTIMATE_NOUNS:
        comp = [c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "NOUN" and c.is_alpha]
        if comp:
            return comp[-1]
    return noun


def _timed(noun: Any) -> bool:
    """A noun phrase that names a time ('the whole of 2004', 'Monday afternoon', 'the third quarter')."""
    if noun.ent_type_ in ("DATE", "TIME"):
        return True  # not "annual profits", whose adjective only is a date word
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(g.ent_type_ in ("DATE", "TIME") for g in c.children)
               for c in noun.children)


def _noun_phrase(noun: Any, after: int = -1) -> str:
    """The noun with its left modifiers, without determiners: 'the separate unemployment rate' -> ..."""
    measured = _measured_noun(noun)
    if measured is not noun:
        noun, after = measured, -1
    lefts = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod", "poss") and t.i >= after]
    start = min([t.i for t in lefts] + [noun.i])
    toks = [t for t in noun.doc[start:noun.i + 1]
            if t.i >= after and t.dep_ != "det" and not t.like_num and (not t.is_punct or t.text == "-")
            and not (t.i != noun.i and (_AMOUNT_WORD.match(t.text) or t.lower_ in _CURRENCY_NOUNS))
            and not (t.lower_ in ("m", "bn", "k") and t.i > 0 and t.nbor(-1).like_num)]  # "the 20m note"
    if not toks:
        return str(noun.text)
    doc = noun.doc
    if noun.i + 3 < len(doc) and doc[noun.i + 1].text == "(" and doc[noun.i + 3].text == ")" \
            and doc[noun.i + 2].is_upper and doc[noun.i + 2].is_alpha:
        toks.extend(doc[noun.i + 1:noun.i + 4])  # "gross domestic product (GDP)": the short name too
    return _cap_words(" ".join(t.text for t in toks).replace(" - ", "-").replace("( ", "(").replace(" )", ")"))


def _noun_tail(noun: Any) -> str:
    """' and young adults', ' on a waiting list': a noun joined to the counted one, else a short place or
    group phrase after it (never a time, never one holding another number)."""
    for child in noun.rights:
        if child.dep_ == "conj" and child.pos_ == "NOUN" and child.tag_ in ("NNS", "NNPS") \
                and not any(t.like_num for t in child.subtree):
            return " and " + _noun_phrase(child)  # "15 to 20 teens and young adults"
        if child.dep_ == "prep" and child.lower_ in _TAIL_PREPS:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is None or pobj.pos_ not in ("NOUN", "PROPN") or pobj.lemma_.lower() in _TIME_UNITS \
                    or pobj.lemma_.lower() in _TAIL_SKIP \
                    or pobj.ent_type_ in ("DATE", "TIME") or any(t.like_num for t in pobj.subtree):
                return ""
            return f" {child.lower_} {_noun_phrase(pobj)}"
    return ""


def _people_verb(verb: Any) -> bool:
    """A verb whose bare numeric subject or object stands for people ('22 were killed', 'shot four')."""
    lemma = verb.lemma_.lower()
    return verb.pos_ == "VERB" and (lemma in _PEOPLE_OBJECT_VERBS or lemma in _KILLED or verb.lower_ in _KILLED
                                    or lemma in _INJURED_CLAUSE)


def _harmed_participle(num: Any) -> Any:
    """'the four injured in the shooting', 'the 12 killed': a killing or injuring participle on the number."""
    for child in num.rights:
        if child.dep_ in ("acl", "amod") and child.tag_ == "VBN" and (
                child.lemma_.lower() in _KILLED | _INJURED_CLAUSE or child.lower_ in _KILLED | _INJURED_CLAUSE):
            return child
    return None


def _predicate(num: Any, span: Any) -> str | None:
    """For a bare number that is a subject ('58 are still being held in Gaza'), its predicate phrase."""
    verb = None
    if num.dep_ in ("nsubj", "nsubjpass"):
        verb = num.head
    else:
        verb = next((c for c in num.children if c.dep_ in ("relcl", "acl")), None)
    if verb is None or verb.pos_ not in ("VERB", "AUX", "ADJ"):
        # "leaving 1 dead": the state is what the number is.
        state = span.doc[span.end] if span.end < len(span.doc) else None
        return str(state.text) if state is not None and state.lower_ in _STATE_NOUNS else None
    # The number's own modifiers ("34 of whom") are not part of the predicate; a relative clause on it is.
    own = {t.i for c in num.children if c.i != verb.i for t in c.subtree} | {num.i}
    keep: list[Any] = []
    for tok in verb.subtree:
        if tok.i < span.end or (tok.dep_ in ("aux", "auxpass") and tok.tag_ != "VBG"):
            continue
        if tok.i in own or tok.lower_ in _RELATIVES or tok.is_punct:
            continue
        keep.append(tok)
    # Only the verb, its modifiers and its complements; clauses hanging off it are other statements.
    cut = {t.i for c in verb.children if c.dep_ in ("advcl", "conj", "ccomp", "cc", "parataxis")
           or c.lower_ == "according" for t in c.subtree}
    words = [t.text for t in keep if t.i not in cut and (t.lemma_ != "be" or t.tag_ == "VBG")]
    return " ".join(words) if words else None


def extract(ctx: Any) -> list[Figure]:
    """Figures in text order."""
    return _Figures(ctx).run()
