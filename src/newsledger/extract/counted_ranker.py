"""Candidates for what a figure counts, with named features, for a learned ranker of `counted`.

The rules in `figures.py` name what a figure counts. This module lists the other things it could count
(the noun phrases near the number in its sentence, "people" for a bare number) and describes each by named
features (dependency relation and path to the number, distance, side, part of speech, entity label, word
classes from `resources/figures.json`, the figure's kind). `scripts/train_counted_ranker.py` trains a
logistic regression on them from the gold files' development articles and measures, out of fold, whether
it could fill in or override the rules. It could not (issue 7, third round: see README), so extraction
does not use a model; `_Figures(ctx, record=[...])` hands these candidates to the script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsledger.extract.lexicons import load_resource
from newsledger.extract.singular import singular

_R = load_resource("figures.json")
_NUMBERS = load_resource("numbers.json")
# Word classes a candidate's head can fall in: each is a feature ("lex=currency"), alone and with the kind.
_CLASSES: dict[str, frozenset[str]] = {
    "currency": frozenset(w.lower() for w in _NUMBERS["amount_words"] + _NUMBERS["currency_words"]),
    "unit": frozenset(_R["unit_nouns"]),
    "time": frozenset(_R["time_units"]),
    "count_of": frozenset(_R["count_of_nouns"]),
    "change": frozenset(_R["change_nouns"]),
    "estimate": frozenset(_R["estimate_nouns"]),
    "figure": frozenset(_R["figure_nouns"]),
    "person": frozenset(_R["person_nouns"]),
    "share": frozenset(_R["share_words"]),
    "level": frozenset(_R["level_nouns"]),
    "price": frozenset(_R["price_words"]),
    "other": frozenset(_R["other_nouns"]),
    "state": frozenset(_R["state_nouns"]),
    "measure_unit": frozenset(_R["measure_unit_nouns"]),
    "member_body": frozenset(_R["member_body_nouns"]),
}
# How far (tokens) from the number a noun may be to be a candidate: the gold phrases of the development
# articles sit within 10 tokens of their number in all but a few cases.
WINDOW = 12
_PEOPLE = "people"


@dataclass
class Candidate:
    """One thing a figure could count: its text, its head token (None for "people"), its features."""

    text: str
    head: Any
    agrees: bool = False  # names the same head word as the rules' answer
    features: list[str] = field(default_factory=list)


def candidates(num: Any, span: Any, kind: str, rule: str | None, phrase: Callable[[Any], str]) -> list[Candidate]:
    """For a figure of category `kind`, the nouns near the number in its sentence and "people", each with its features and whether it
    names the same head word as the rules' answer (the model never sees the rules' answer itself: a model
    trained on the articles the rules were written on would learn only to trust them)."""
    sent = num.sent
    rule_words = {singular(w) for w in (rule or "").split()}
    out: list[Candidate] = []
    seen: set[str] = set()
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.like_num or span.start <= tok.i < span.end \
                or abs(tok.i - num.i) > WINDOW or tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN"):
            continue
        if tok.lower_ in _CLASSES["currency"] or tok.lower_ in _CLASSES["unit"]:
            continue  # "30m euros": a currency or a unit is never what an amount counts
        text = phrase(tok)
        if not text or text.lower() in seen:
            continue
        seen.add(text.lower())
        out.append(Candidate(text, tok, agrees=singular(tok.text) in rule_words))
    if kind not in ("money", "percent", "duration") and _PEOPLE not in seen:
        out.append(Candidate(_PEOPLE, None, agrees=singular(_PEOPLE) in rule_words))
    for cand in out:
        cand.features = _features(cand, num, span, kind)
    return out


def _features(cand: Candidate, num: Any, span: Any, kind: str) -> list[str]:
    f = [f"kind={kind}"]
    tok = cand.head
    words = cand.text.lower().split()
    head_word = words[-1] if words else ""
    for name, lex in _CLASSES.items():
        if head_word in lex or singular(head_word) in lex or tok is not None and tok.lemma_.lower() in lex:
            f += [f"lex={name}", f"lex={name}|kind={kind}"]
    if tok is None:
        return [*f, "people", f"people|dep={num.dep_}", f"people|head_pos={num.head.pos_}"]
    d = tok.i - num.i
    side = "after" if d > 0 else "before"
    dist = abs(d)
    bucket = "1" if dist <= 1 else "2-3" if dist <= 3 else "4-6" if dist <= 6 else "7+"
    f += [f"dist={side}{bucket}", f"dist={side}{bucket}|kind={kind}", f"dep={tok.dep_}", f"dep={tok.dep_}|kind={kind}",
          f"pos={tok.tag_}", f"ent={tok.ent_type_ or 'none'}", f"words={min(len(words), 4)}"]
    if tok.i == num.head.i:
        f += ["rel=num_head", f"rel=num_head|kind={kind}"]
    elif tok.i == num.head.head.i:
        f += ["rel=num_head_head", f"rel=num_head_head|kind={kind}"]
    path = _path(num, tok)
    f += [f"path={path}", f"path={path}|kind={kind}"]
    verb = next((a for a in num.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is not None and tok.head.i == verb.i:
        f += [f"verb_arg={tok.dep_}", f"verb_arg={tok.dep_}|kind={kind}"]
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i in (num.i, num.head.i):
        f += ["of_number", f"of_number|kind={kind}"]
    if any(a.i == tok.i for a in num.ancestors):
        f.append("ancestor")
    if any(t.i in range(span.start, span.end) for t in tok.subtree):
        f.append("holds_number")
    return f


def _path(num: Any, tok: Any) -> str:
    """The dependency relations from the number up to the common ancestor and down to the candidate."""
    up = [num, *num.ancestors]
    up_i = [t.i for t in up]
    down: list[Any] = []
    t = tok
    while t.i not in up_i and len(down) < 6:
        down.append(t)
        if t.head.i == t.i:
            return "none"
        t = t.head
    if t.i not in up_i:
        return "long"
    rise = up[:up_i.index(t.i)]
    if len(rise) + len(down) > 4:
        return "long"
    return "^".join(x.dep_ for x in rise) + "|" + "v".join(x.dep_ for x in reversed(down))
