"""Figures extractor: numbers that count or measure something, with qualifier, counted, source and date."""

from __future__ import annotations

import re
from typing import Any

from newsledger.extract import dates
from newsledger.extract.figure_sources import SourceFinder
from newsledger.extract.numbers import NumberMatch, load_resource, scan
from newsledger.model import Figure

REQUIRES: tuple[str, ...] = ("entities", "dates", "quotes")
ASSIGNS = "figures"

_R = load_resource("figures.json")
_MONTHS = frozenset(_R["months"])
_WEEKDAYS = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
_TIME_UNITS = frozenset(_R["time_units"])
_UNIT_NOUNS = frozenset(_R["unit_nouns"])
_OTHER_NOUNS = frozenset(_R["other_nouns"])
_RELATIVES = frozenset(_R["relative_pronouns"])
_NONFIG_BEFORE = frozenset(_R["nonfigure_before"])
_NONFIG_AFTER = frozenset(_R["nonfigure_after"])
_VOID_AFTER: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in _R["qualifier_void_after"].items()}
_STATE_NOUNS = frozenset(_R["state_nouns"])
_COUNT_OF = frozenset(_R["count_of_nouns"])
_DIGIT = re.compile(r"\d")
_NAME_BEFORE = frozenset(_R["name_before"])
_SPACED_UNIT = re.compile(rf"\s(?:{'|'.join(map(re.escape, _R['spaced_units']))})\b", re.IGNORECASE)
_UNIT_AFTER = re.compile(rf"(?:{'|'.join(map(re.escape, load_resource('numbers.json')['attached_units']))})(?![\w])",
                         re.IGNORECASE)
_TITLE_LABELS = frozenset(_R["title_labels"])
_OF_LABEL = re.compile(rf"\b(?:{'|'.join(_R['title_labels'])})\s+\d+\s+of\s+$", re.IGNORECASE)
_YEAR_BEFORE = frozenset(_R["year_before"])
_HALF_NOT_AFTER = frozenset(("first", "second", "third", "fourth", "other", "latter", "former", "top", "bottom",
                             "this", "that", "each", "per"))
_ATTRIBUTE = re.compile(rf"-(?:{'|'.join(map(re.escape, _R['attribute_compounds']))})s?\b", re.IGNORECASE)
_FRACTION = re.compile(r"(?i)(?:a|one|two|three)?[\s-]*(?:half|third|thirds|quarter|quarters|fourth)$|\w+fold$")
_ADDRESS = re.compile(rf"(?:\s+[A-Z][\w.'-]*){{1,3}}\s+(?i:{'|'.join(_R['street_words'])})\b")
_LIST_BEFORE = re.compile(r"(?:^|[;:.\n])\s*$")
_GALLERY = re.compile(r"\s?/\s?\d")
_GALLERY_BEFORE = re.compile(r"\d\s?/\s?$")
_SUSPENDED_AGE = re.compile(r"-[,\s].{0,30}?years?-old", re.IGNORECASE)
_PERSON_NOUNS = frozenset(_R["person_nouns"])
_CLOCK_BEFORE = re.compile(r"\d:\s?$")
_CLOCK_AFTER = re.compile(r"\s?(?:a\.?m\b|p\.?m\b)", re.IGNORECASE)
_CATEGORY_OF: dict[str, str] = {w: cat for cat, ws in _R["categories"].items() for w in ws}
# Names, places and works: a number inside one is part of a name ("Group of 20", "Apollo 11").
_NAME_LABELS = frozenset(("PERSON", "ORG", "FAC", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT", "GPE", "LOC"))
_COUNT_LABELS = frozenset(("CARDINAL", "MONEY", "PERCENT", "QUANTITY"))


def _phrase_re(phrases: dict[str, str] | list[str], before: bool) -> re.Pattern[str]:
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    if before:
        return re.compile(rf"(?<![\w])({alts})\s*$", re.IGNORECASE)
    return re.compile(rf"^\s*({alts})(?![\w])", re.IGNORECASE)


_QUAL_BEFORE = _phrase_re(_R["qualifiers_before"], True)
_QUAL_AFTER = _phrase_re(_R["qualifiers_after"], False)
_QUAL_MAP = {k.lower(): v for k, v in {**_R["qualifiers_before"], **_R["qualifiers_after"]}.items()}
_AGE_AFTER = _phrase_re(_R["age_after"], False)
_AGE_BEFORE = _phrase_re(_R["age_before"], True)
_PART_BEFORE = _phrase_re(_R["part_of_before"], True)


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


def _is_year(nm: NumberMatch) -> bool:
    """A bare four-digit number that may be a year; context decides (see _not_figure)."""
    values = [nm.value] if nm.value_max is None else [nm.value, nm.value_max]
    return (nm.kind == "plain" and not nm.words and "," not in nm.text and "." not in nm.text
            and all(isinstance(v, int) and 1500 <= v <= 2199 for v in values))


def _not_figure(nm: NumberMatch, span: Any, text: str) -> bool:
    """True for dates, times, years, ages, labels and numbers inside names."""
    doc = span.doc
    first, last = span[0], span[-1]
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if last.idx + len(last.text) > nm.end + 1:
        nxt = None  # "260.Magistrate": glued to the next sentence, whose words say nothing of this number
    after = text[nm.end:nm.end + 14]
    if _AGE_AFTER.search(after) or _AGE_BEFORE.search(text, max(0, nm.start - 12), nm.start):
        return True
    if text[max(0, nm.start - 1):nm.start] == "[" and text[nm.end:nm.end + 1] == "]":
        return True  # reference marks: "[897]"
    if text[max(0, nm.start - 1):nm.start] == "#" or _GALLERY.match(text, nm.end) \
            or _GALLERY_BEFORE.search(text, max(0, nm.start - 6), nm.start):
        return True  # "Inc #123203516", gallery counters "1 / 1"
    if _SUSPENDED_AGE.match(text, nm.end):
        return True  # "the victims are 16-, 19-, and 22-years-old"
    if nm.text.lower() == "half" and text[max(0, nm.start - 1):nm.start] == "-":
        return True  # "scrum-half"
    if _CLOCK_BEFORE.search(text, max(0, nm.start - 3), nm.start) or _CLOCK_AFTER.match(text, nm.end):
        return True  # clock times and lap times: "4: 39 left", "10:30"
    if _ADDRESS.match(text, nm.end) or (text[nm.end:nm.end + 1] == ")" and nm.kind == "plain" and nm.value < 50
                                        and _LIST_BEFORE.search(text, 0, nm.start)):
        return True  # "834 Edmunds Street", list markers "; 3) Mass Murder"
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
        ent = next(e for e in doc.ents if e.start <= first.i < e.end)
        words = {t.lower_.rstrip(".") for t in ent}
        if words & (_MONTHS | _WEEKDAYS) or any(t.like_num and len(t.text) == 4 for t in ent if t.i != first.i):
            return True
    if _is_year(nm) and not _counts_noun(span, plural=True) and not _measure_follows(text, nm.end) \
            and (prev is None or prev.lower_ in _YEAR_BEFORE or prev.is_punct or nxt is None or nxt.is_punct):
        return True
    if _is_label(nm, span, prev, nxt, text):
        return True
    if labels & _NAME_LABELS and not labels & _COUNT_LABELS:
        # "Group of 20": a name around the number. The tagger also calls bare numbers names at times
        # ("minus-5 yards" PERSON), so the name must have words of its own.
        ent = next(e for e in doc.ents if e.start <= first.i < e.end)
        if any(t.pos_ == "PROPN" and not (span.start <= t.i < span.end) for t in ent):
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
    if _is_age_apposition(nm, span):
        return True
    return False


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
    if doc[i - 1].lower_ in ("now", "aged") and i >= 3:
        i -= 1  # "Dzhokhar Tsarnaev, now 20, is in prison"
    who = doc[i - 2]
    if doc[i - 1].text != "," or not (who.ent_type_ == "PERSON" or who.pos_ == "PROPN" or who.is_title
                                       or who.lower_ in _PERSON_NOUNS):
        return False
    # "Rapheal Acosta, 23." ends a list of people; after other names a full stop ends a sentence.
    return doc[j].text in (",", ")", ";") or doc[j].text == "." and doc[i - 2].ent_type_ == "PERSON"


class _Figures:
    """The figures of one article, built from the number scan and the parse."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self.text: str = ctx.article.text
        self.sources = SourceFinder(ctx)
        self.figures: list[Figure] = []
        self.heads: list[Any] = []  # the counted noun token of each figure, or None

    def run(self) -> list[Figure]:
        for nm in scan(self.text):
            span = self.doc.char_span(nm.start, nm.end, alignment_mode="expand")
            if span is None or len(span) == 0 or _not_figure(nm, span, self.text):
                continue
            self._add(nm, span)
        return self.figures

    def _add(self, nm: NumberMatch, span: Any) -> None:
        sent = span[0].sent
        num = _number_token(span)
        noun = self._counted_noun(num, span, nm)
        counted = self._counted(num, noun, span, nm)
        category = self._category(nm, num, noun, counted)
        part_of = self._part_of(nm, num, sent)
        self.figures.append(Figure(
            start=nm.start, end=nm.end, text=nm.text, value=nm.value, value_max=nm.value_max,
            qualifier=_qualifier(self.text, nm, sent.start_char),  # type: ignore[arg-type]
            counted=counted, category=category,  # type: ignore[arg-type]
            source=self.sources.source_for(nm.start, nm.end, span),
            as_of=dates.date_for(self.ctx, nm.start, nm.end), part_of=part_of,
        ))
        self.heads.append(noun)

    # -- what is counted -------------------------------------------------------------------------------

    def _counted_noun(self, num: Any, span: Any, nm: NumberMatch) -> Any:
        """The noun the number counts ("9,500 Palestinian prisoners" -> prisoners), else None."""
        head = num.head
        noun = None
        if num.dep_ in ("nummod", "compound", "amod", "quantmod", "nmod", "appos", "npadvmod") \
                and head.pos_ in ("NOUN", "PROPN") and head.i >= span.end and head.i - span.end < 8:
            noun = head
        else:
            # "six of the members": the object of 'of' is what is counted.
            for child in num.children:
                if child.dep_ == "prep" and child.lower_ == "of":
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
        if noun is not None and noun.lower_ in _STATE_NOUNS:
            return None  # "40 wounded", "25 hurt": a state, the counted noun is elided
        return noun

    def _counted(self, num: Any, noun: Any, span: Any, nm: NumberMatch) -> str | None:
        if noun is not None and noun.lower_ in _UNIT_NOUNS | {"points"} and nm.kind != "plain":
            noun = None
        if noun is not None and noun.lower_ not in _UNIT_NOUNS:
            if noun.lower_ in _OTHER_NOUNS:
                ante = self._antecedent(span)
                if ante is not None:
                    return ante
            out = _noun_phrase(noun, after=span.end)
            # "251 people abducted": a participle after the noun is part of what is counted.
            acl = next((c for c in noun.rights if c.dep_ == "acl" and c.tag_ == "VBN"), None)
            if acl is not None:
                out += " " + acl.text
            return _cap_words(out)
        if nm.kind in ("money", "percent") or num.head.dep_ == "prep" or num.dep_ == "pobj":
            measured = _measured(num, span, nm.kind == "money")
            if measured is not None:
                return measured
        # A bare number: the noun it stands for (from the figure before it) and its predicate.
        ante = self._antecedent(span)
        pred = _predicate(num, span)
        parts = [p for p in (ante, pred) if p]
        if parts:
            return _cap_words(" ".join(parts))
        if noun is not None:
            return str(noun.text)
        return None

    def _antecedent(self, span: Any) -> str | None:
        """The counted head of the latest figure before this one in the same sentence ("40 others" -> people)."""
        sent = span[0].sent
        for fig, head in zip(reversed(self.figures), reversed(self.heads), strict=True):
            if fig.start < sent.start_char:
                break
            if head is not None and head.lower_ not in _OTHER_NOUNS and head.lower_ not in _UNIT_NOUNS:
                return str(head.text)
        return None

    def _category(self, nm: NumberMatch, num: Any, noun: Any, counted: str | None) -> str:
        if nm.kind == "money":
            return "money"
        if nm.kind == "percent":
            return "percent"
        if noun is not None and noun.lemma_.lower() in _TIME_UNITS:
            return "duration"
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
    num = span.root  # "2.2 %": the token that ties the amount into the sentence
    prep = num.head
    if num.dep_ == "pobj" and prep.lower_ in ("of", "at") and prep.head.pos_ == "NOUN" \
            and prep.head.lower_ not in _COUNT_OF:
        return _noun_phrase(prep.head)  # "economic growth of 2.2%", "a rate of 5%"
    tok = num
    for _ in range(4):
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    inside = set(range(span.start, span.end))
    # "pounds 35bn in wasteful spending": the 'in' object says what the money is for.
    if money:
        for holder in [*span, tok]:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ in ("in", "on", "for"):
                    pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if pobj is not None and pobj.pos_ == "NOUN" and pobj.i not in inside:
                        return _noun_phrase(pobj)
    for dep in ("dobj", "nsubj", "nsubjpass"):
        for child in tok.children:
            if child.dep_ != dep or child.pos_ not in ("NOUN", "PROPN") or child.i in inside:
                continue
            if num in child.subtree or any(c.dep_ == "nummod" for c in child.children):
                continue  # the object is itself counted ("gaining 45.4 points"): look at the subject
            if child.lower_ in _COUNT_OF:
                # "the number of jobs ... to 139,000": what the number is of.
                of = next((c for c in child.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
                if pobj is not None:
                    return _noun_phrase(pobj)
            return _noun_phrase(child)
    return None


def _noun_phrase(noun: Any, after: int = -1) -> str:
    """The noun with its left modifiers, without determiners: 'the separate unemployment rate' -> ..."""
    lefts = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod", "poss") and t.i >= after]
    start = min([t.i for t in lefts] + [noun.i])
    toks = [t for t in noun.doc[start:noun.i + 1]
            if t.i >= after and t.dep_ != "det" and not t.like_num and (not t.is_punct or t.text == "-")]
    if not toks:
        return str(noun.text)
    return _cap_words(" ".join(t.text for t in toks).replace(" - ", "-"))


def _predicate(num: Any, span: Any) -> str | None:
    """For a bare number that is a subject ('58 are still being held in Gaza'), its predicate phrase."""
    verb = None
    if num.dep_ in ("nsubj", "nsubjpass"):
        verb = num.head
    else:
        verb = next((c for c in num.children if c.dep_ in ("relcl", "acl")), None)
    if verb is None or verb.pos_ not in ("VERB", "AUX", "ADJ"):
        if num.dep_ in ("dobj", "conj") or num.head.dep_ in ("conj",):
            return None
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
