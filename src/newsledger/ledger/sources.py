"""Sources as entities: one name for a source however articles write it, with its aliases.

"The health ministry", "health ministry in Gaza", "Hamas-run health ministry", "the territory's health
ministry" and "Gaza's Ministry of Health" are one source, `health ministry`. The rules (data in
`extract/resources/measures.json`, "_sources"): leading words and possessives go, descriptive compounds
("Hamas-run", "Israeli-led") go, the name is cut before a trailing place phrase ("in Gaza"), place names go,
then aliases apply. The ledger stores each written form with the source it names (`source_aliases`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from newsledger.ledger.measures import lexicon, words

# Compounds that describe who runs or backs a body, not which body it is: "Hamas-run", "Iran-backed".
_DESCRIPTIVE_SUFFIXES = ("-run", "-led", "-controlled", "-backed", "-affiliated", "-based", "-owned", "-funded",
                         "-appointed", "-allied")


@dataclass
class Source:
    """One source with every way the ledger's articles wrote it and how many figures it gave."""

    name: str  # canonical, lower case
    label: str  # the most used written form
    aliases: list[str] = field(default_factory=list)
    figures: int = 0


@lru_cache(maxsize=8192)
def source_name(written: str | None) -> str | None:
    """The canonical name of a source as written ("The health ministry in Gaza" -> "health ministry")."""
    if not written or not written.strip():
        return None
    lex = lexicon()
    ws = [w for w in words(written) if w not in lex["source_drop_words"]]
    ws = [w for w in ws if not w.endswith(("'s", "’s")) and not w.endswith(_DESCRIPTIVE_SUFFIXES)]
    for i, w in enumerate(ws):
        if i > 0 and w in lex["source_cut_words"]:
            ws = ws[:i]
            break
    ws = [w for w in ws if w not in lex["places"]] or ws
    low = " ".join(ws)
    if not low:
        return " ".join(words(written)) or None
    return str(lex["source_aliases"].get(low, low))


def label_for(aliases: Counter[str], name: str) -> str:
    """The written form people read most: the most frequent alias, shortest first on a tie."""
    if not aliases:
        return name
    return min(aliases, key=lambda a: (-aliases[a], len(a), a))


def matches(query: str, name: str, aliases: list[str]) -> bool:
    """Whether a user's words name this source: its canonical name, or words of its name or an alias."""
    q = query.casefold().strip()
    if not q:
        return False
    if source_name(query) == name:
        return True
    return q in name or any(q in a.casefold() for a in aliases)
