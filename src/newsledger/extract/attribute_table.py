"""spaCy's attribute_ruler as a lookup table: the same rules, the same token attributes, a fraction of the CPU.

The English model's attribute_ruler maps (tag, lowercase form, dependency label, is-space) to POS, MORPH,
LEMMA, TAG and DEP with 179 Matcher rules, and runs the Matcher over every token of every document (about
15% of spaCy's time). A token's result depends only on those few attributes of itself and, for the few
two-token rules, of its neighbour; so the table evaluates each rule once per distinct combination (cached
across documents), resolves the rule order exactly as the ruler does (later rules win), and writes the
attributes back with one array write. Rules the table cannot express (operators, other attributes) make
`AttributeTable.build` return None, and the model keeps its own ruler.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

# Token attributes the rules may test, read with Doc.to_array.
_TESTED = ("TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "POS", "NORM")
_WRITTEN = ("POS", "MORPH", "LEMMA", "TAG", "DEP")

Predicate = Callable[[tuple[Any, ...]], bool]


def _value_test(spec: Any) -> Callable[[Any], bool] | None:
    """A test of one attribute's value as the Matcher applies it (equality, IN, NOT_IN, REGEX)."""
    if not isinstance(spec, dict):
        return lambda v: bool(v == spec)
    if len(spec) != 1:
        return None
    (op, arg), = spec.items()
    if op == "IN":
        members = frozenset(arg)
        return lambda v: v in members
    if op == "NOT_IN":
        members = frozenset(arg)
        return lambda v: v not in members
    if op == "REGEX":
        rx = re.compile(arg)
        return lambda v: isinstance(v, str) and rx.search(v) is not None
    return None


def _index_values(token_spec: dict[str, Any]) -> tuple[int, frozenset[str]] | None:
    """(column, values) when the spec asks for one of a few values of a column: the rule is tried only on
    tokens that have one of them."""
    for col, attr in enumerate(_TESTED):
        spec = token_spec.get(attr)
        if isinstance(spec, str):
            return col, frozenset([spec])
        if isinstance(spec, dict) and set(spec) == {"IN"}:
            return col, frozenset(spec["IN"])
    return None


def _token_test(token_spec: dict[str, Any]) -> Predicate | None:
    tests: list[tuple[int, Callable[[Any], bool]]] = []
    for attr, spec in token_spec.items():
        if attr not in _TESTED:
            return None
        test = _value_test(spec)
        if test is None:
            return None
        tests.append((_TESTED.index(attr), test))
    return lambda values: all(test(values[col]) for col, test in tests)


class AttributeTable:
    """Callable pipeline component equivalent to a loaded AttributeRuler (see the module docstring)."""

    def __init__(self, vocab: Any, rules: list[tuple[list[list[Predicate]], dict[int, int], int]],
                 specs_of: list[list[dict[str, Any]]]) -> None:
        from spacy import attrs

        self.vocab = vocab
        self.rules = rules  # (alternative patterns, {written column: value}, target index), in rule order
        self._tested_ids = [attrs.IDS[name] for name in _TESTED]
        self._written_ids = [attrs.IDS[name] for name in _WRITTEN]
        self._single = [i for i, (alts, _, _) in enumerate(rules) if all(len(p) == 1 for p in alts)]
        # Single-token rules by a value they require (see _index_values); the rest are tried on every row.
        self._by_value: dict[tuple[int, str], set[int]] = {}
        self._always: set[int] = set()
        for r, specs in zip(self._single, (specs_of[r] for r in self._single), strict=True):
            for spec in specs:
                found = _index_values(spec)
                if found is None:
                    self._always.add(r)
                else:
                    for value in found[1]:
                        self._by_value.setdefault((found[0], value), set()).add(r)
        self._multi = [i for i, (alts, _, _) in enumerate(rules) if any(len(p) > 1 for p in alts)]
        # (tested values as strings/bools) per distinct row of hashes, and the rules each row satisfies.
        self._single_cache: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._token_cache: dict[tuple[int, ...], tuple[bool, ...]] = {}
        # Where each multi-token rule's columns start in a row of _token_matches.
        widths = [sum(len(alt) for alt in rules[r][0]) for r in self._multi]
        self._offsets = [sum(widths[:i]) for i in range(len(widths) + 1)]
        self._merged: dict[tuple[int, ...], dict[int, int]] = {}

    @classmethod
    def build(cls, ruler: Any) -> AttributeTable | None:
        """The table for a loaded AttributeRuler, or None when one of its rules is beyond the table."""
        from spacy import attrs

        rules, specs_of = [], []
        for i, pattern in enumerate(ruler.patterns):
            specs_of.append([alt[0] for alt in pattern["patterns"] if len(alt) == 1])
            alternatives = []
            for alt in pattern["patterns"]:
                tests = [_token_test(tok) for tok in alt]
                checked = [t for t in tests if t is not None]
                if not alt or len(checked) != len(tests):
                    return None
                alternatives.append(checked)
            written: dict[int, int] = {}
            for attr_id, value in ruler.attrs[i].items():
                if attr_id not in [attrs.IDS[n] for n in _WRITTEN]:
                    return None
                col = [attrs.IDS[n] for n in _WRITTEN].index(attr_id)
                if _WRITTEN[col] == "MORPH":
                    # What Token.set_morph stores: the key of the normalised analysis.
                    value = ruler.vocab.morphology.add(ruler.vocab.strings[value])
                written[col] = int(value)
            rules.append((alternatives, written, int(ruler.indices[i])))
        return cls(ruler.vocab, rules, specs_of)

    def _strings(self, row: tuple[int, ...]) -> tuple[Any, ...]:
        strings = self.vocab.strings
        return tuple(bool(v) if name == "IS_SPACE" else strings[v] if v else ""
                     for name, v in zip(_TESTED, row, strict=True))

    def _token_matches(self, row: tuple[int, ...]) -> tuple[bool, ...]:
        """For every multi-token rule, per alternative and position, whether a token with `row` fits."""
        values = self._strings(row)
        return tuple(test(values) for r in self._multi for alt in self.rules[r][0] for test in alt)

    def __call__(self, doc: Any) -> Any:
        n = len(doc)
        if n == 0:
            return doc
        rows = list(map(tuple, doc.to_array(self._tested_ids).tolist()))
        per_token: list[list[int]] = []
        cache = self._single_cache
        for row in rows:
            found = cache.get(row)
            if found is None:
                values = self._strings(row)
                candidates = set(self._always)
                for col, value in enumerate(values):
                    candidates.update(self._by_value.get((col, value), ()))  # type: ignore[arg-type]
                found = tuple(sorted(r for r in candidates if any(alt[0](values) for alt in self.rules[r][0])))
                cache[row] = found
            per_token.append(list(found))
        if self._multi:
            self._add_multi(rows, per_token)
        out = doc.to_array(self._written_ids)
        merged = self._merged
        for i, rules in enumerate(per_token):
            if not rules:
                continue
            key = tuple(sorted(rules))
            attrs = merged.get(key)
            if attrs is None:
                attrs = {}
                for r in key:
                    attrs.update(self.rules[r][1])
                merged[key] = attrs
            for col, value in attrs.items():
                out[i, col] = value
        doc.from_array(self._written_ids, out)
        return doc

    def _add_multi(self, rows: list[tuple[int, ...]], per_token: list[list[int]]) -> None:
        """Matches of the rules that span several tokens: their target token gets the rule too."""
        n = len(rows)
        fits = []
        for row in rows:
            found = self._token_cache.get(row)
            if found is None:
                found = self._token_matches(row)
                self._token_cache[row] = found
            fits.append(found)
        table = np.array(fits, dtype=bool)  # a row per token, a column per rule position
        for m, r in enumerate(self._multi):
            alternatives, _, index = self.rules[r]
            flags = table[:, self._offsets[m]:self._offsets[m + 1]]
            targets: set[int] = set()
            col = 0
            for alt in alternatives:
                length = len(alt)
                if length <= n:
                    hit = np.ones(n - length + 1, dtype=bool)
                    for k in range(length):
                        hit &= flags[k:n - length + 1 + k, col + k]
                    for start in np.flatnonzero(hit).tolist():
                        targets.add(start + (index if index >= 0 else length + index))
                col += length
            for t in targets:
                per_token[t].append(r)
