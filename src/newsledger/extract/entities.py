"""Entities extractor: people, organisations and places from spaCy NER, each with one canonical name per article."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from newsledger.extract.lexicons import load_resource
from newsledger.extract.speakers import people
from newsledger.model import Entity

REQUIRES: tuple[str, ...] = ()
ASSIGNS = "entities"

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# Labels spaCy confuses for the same name within one article ("Trump" as PERSON, then as ORG).
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(load_resource("quotes.json")["person_titles"])


def _clean(text: str) -> str:
    """The mention without a leading article, a trailing possessive or stray punctuation."""
    text = text.strip().strip(",.;:-–—\"“”‘’")
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    words = text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return " ".join(words)


def name_words(text: str) -> list[str]:
    """A person name's words without titles ("Mr Blair" -> ["Blair"]), for matching surnames to full names."""
    words = [w.strip(".,") for w in _clean(text).split()]
    titles = _titles()
    while len(words) > 1 and words[0].lower().strip(".") in titles:
        words = words[1:]
    return words


def _person_canonicals(mentions: list[str]) -> dict[str, str]:
    """Map each person mention to the fullest name in the article that it is a part of."""
    names = {m: name_words(m) for m in mentions}
    full = sorted({" ".join(w) for w in names.values() if w}, key=lambda s: (-len(s.split()), s))
    out: dict[str, str] = {}
    for mention, words in names.items():
        best = " ".join(words)
        if words:
            for candidate in full:
                cw = candidate.split()
                if len(cw) <= len(words):
                    break
                # "Blair" -> "Tony Blair"; "Tony" alone is ambiguous with first names, so surnames first.
                if cw[-len(words):] == words or (len(words) == 1 and words[0] in cw[1:]):
                    best = candidate
                    break
        out[mention] = best
    return out


_MINOR_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "&"})


def _acronyms(names: list[str]) -> dict[str, str]:
    """Map an acronym to the name it abbreviates when the article spells both ("UN" -> "United Nations")."""
    initials: dict[str, str] = {}
    for name in names:
        words = [w for w in name.replace("-", " ").split() if w.lower() not in _MINOR_WORDS]
        if len(words) > 1 and all(w[:1].isupper() for w in words):
            initials.setdefault("".join(w[0] for w in words), name)
    out = {}
    for name in names:
        letters = name.replace(".", "")
        if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper() and letters in initials:
            out[name] = initials[letters]
    return out


def _looks_like_person(key: str) -> bool:
    """A full name opening with a common first name ("Maria Eugenia Landaeta") that spaCy's small model
    called an organisation; "Victoria Station" and "George Washington University" stay places/organisations."""
    words = key.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words):
        return False
    ppl = people()
    first = words[0].lower()
    return ((first in ppl["male_names"] or first in ppl["female_names"])
            and not any(w.lower() in ppl["org_name_words"] for w in words[1:]))


def _trimmed(ent: Any) -> Any:
    """The entity without leading words that cannot start a name ("Describing Mr Jackson" -> "Mr Jackson")."""
    start = ent.start
    while start < ent.end - 1 and ent.doc[start].pos_ in ("VERB", "ADV", "ADP", "SCONJ", "CCONJ", "PRON", "PUNCT"):
        start += 1
    return ent if start == ent.start else ent.doc[start:ent.end]


def extract(ctx: Any) -> list[Entity]:
    doc = ctx.doc
    ents = []
    for e in doc.ents:
        if e.label_ in LABELS:
            span = _trimmed(e)
            if _clean(span.text):
                ents.append((span, e.label_))
    if not ents:
        return []
    # Majority label per surface form, so one name gets one label in the article; PERSON wins ties
    # because spaCy's small model mislabels people (as ORG) far more often than the reverse.
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for e, label in ents:
        key = _clean(e.text)
        votes[key]["PERSON" if label != "PERSON" and _looks_like_person(key) else label] += 1
    # Words that open organisation names ("Labour" in "Labour Party"): alone they name the organisation.
    org_heads = {key.split()[0] for key, c in votes.items() if len(key.split()) > 1 and c.most_common(1)[0][0] == "ORG"}
    person_words: set[str] = set()
    for key, c in votes.items():
        if c["PERSON"] and c["PERSON"] >= max(c.values()):
            words = name_words(key)
            if len(words) > 1:
                person_words.add(words[-1])

    def label_of(key: str) -> str:
        c = votes[key]
        top = max(c.values())
        words = name_words(key)
        if c["PERSON"] == top:
            if len(words) == 1 and words[0] in org_heads and words[0] not in person_words:
                return "ORG"
            return "PERSON"
        # A surname of a person named in full elsewhere is that person, whatever spaCy said here.
        if len(words) == 1 and words[0] in person_words and set(c) <= _NAME_LABELS:
            return "PERSON"
        return c.most_common(1)[0][0]

    labels = {key: label_of(key) for key in votes}
    persons = _person_canonicals([k for k, lab in labels.items() if lab == "PERSON"])
    acronyms = _acronyms([k for k, lab in labels.items() if lab != "PERSON"])
    out: list[Entity] = []
    for e, _ in ents:
        key = _clean(e.text)
        label = labels[key]
        if key in acronyms:
            key = acronyms[key]
            label = labels[key]
        canonical = persons.get(key, key) if label == "PERSON" else key
        out.append(Entity(start=e.start_char, end=e.end_char, text=e.text, label=label, canonical=canonical))
    return out
