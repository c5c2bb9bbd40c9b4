"""spaCy's rule lemmatizer with its per-token Python loop replaced by one array read and one array write.

The English lemmatizer gives a token the first form of `rule_lemmatize(token)`, a function of the token's
form, part of speech and morphology alone (spaCy caches it by exactly that key), and leaves tokens that
already have a lemma (from the attribute rules) alone. Its cost is the loop: a Token object, a property
read and a string-store write per token (about 7 us a token, 15% of the whole pipeline's Python time in
spaCy). The table asks the lemmatizer itself once per distinct (form, part of speech, morphology) and
writes the lemmas of a document with one `Doc.from_array`; the lemmas are the lemmatizer's own.

Each first sighting still costs the lemmatizer's `rule_lemmatize`, which tests candidate forms with `form in
index` against its word lists (57,528 nouns), a linear scan: about 250 us a call, and on a run of 150 news
articles the lemmatizer's whole time. The table asks a copy of the lemmatizer whose word lists are frozensets:
the same code and the same answers, membership in constant time.
"""

from __future__ import annotations

from typing import Any


class LemmaTable:
    """Callable pipeline component giving the lemmas a loaded rule-mode Lemmatizer gives."""

    def __init__(self, lemmatizer: Any) -> None:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self.lemmatizer = _with_set_index(lemmatizer)
        self.strings = lemmatizer.vocab.strings
        self._read = [ORTH, POS, MORPH, LEMMA]
        self._write = [LEMMA]
        self._cache: dict[tuple[int, int, int], int] = {}

    @classmethod
    def build(cls, lemmatizer: Any) -> LemmaTable | None:
        """The table for a loaded lemmatizer, or None when it is not the plain rule lemmatizer (a lookup
        or overwriting lemmatizer keeps its own loop)."""
        if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
            return None
        return cls(lemmatizer)

    def __call__(self, doc: Any) -> Any:
        if not len(doc):
            return doc
        arr = doc.to_array(self._read)
        cache = self._cache
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma:
                continue  # set by the attribute rules: the lemmatizer leaves it too
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self.strings.add(self.lemmatizer.rule_lemmatize(doc[i])[0])
            arr[i, 3] = found
            changed = True
        if changed:
            doc.from_array(self._write, arr[:, 3:4].copy())
        return doc


def _with_set_index(lemmatizer: Any) -> Any:
    """A shallow copy of `lemmatizer` whose `lemma_index` word lists are frozensets (see the module
    docstring); its other tables are the original's, and the original is left as it was."""
    import copy

    from spacy.lookups import Lookups

    tables = {name: lemmatizer.lookups.get_table(name) for name in lemmatizer.lookups.tables}
    if "lemma_index" not in tables:
        return lemmatizer
    lookups = Lookups()
    for name, table in tables.items():
        if name == "lemma_index":
            lookups.add_table(name, {pos: frozenset(forms) for pos, forms in table.items()})
        else:
            lookups.set_table(name, table)
    faster = copy.copy(lemmatizer)
    faster.lookups = lookups
    faster.cache = {}
    return faster
