"""Manual merges and splits of measures: stored as rules and applied whenever figures are read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Split:
    """Figures of `from_key` whose counted phrase or text contains `pattern` belong to `into_key`."""

    id: int
    from_key: str
    pattern: str
    into_key: str
    label: str

    def matches(self, counted: str | None, text: str | None) -> bool:
        needle = self.pattern.casefold()
        return needle in (counted or "").casefold() or needle in (text or "").casefold()


@dataclass
class Overrides:
    """All manual regrouping rules; `resolve` gives the measure a stored figure is read as."""

    merges: dict[str, str] = field(default_factory=dict)
    splits: list[Split] = field(default_factory=list)

    def follow(self, key: str) -> str:
        """The key after following merges (a merge chain a -> b -> c reads a as c)."""
        seen = {key}
        while key in self.merges:
            key = self.merges[key]
            if key in seen:  # merge() refuses cycles; this guards databases edited by hand
                break
            seen.add(key)
        return key

    def resolve(self, key: str, counted: str | None = None, text: str | None = None) -> str:
        """The effective measure of a figure stored under `key`: merges first, then splits in order."""
        key = self.follow(key)
        for _ in range(len(self.splits) + 1):
            for split in self.splits:
                if split.from_key == key and split.matches(counted, text):
                    key = self.follow(split.into_key)
                    break
            else:
                return key
        return key

    def sources_of(self, target: str, stored_keys: Iterable[str] = ()) -> set[str]:
        """Every stored key whose figures may be read as `target` (a superset; filter with resolve)."""
        effective = {target}
        changed = True
        while changed:
            changed = False
            for split in self.splits:
                if self.follow(split.into_key) in effective and split.from_key not in effective:
                    effective.add(split.from_key)
                    changed = True
        keys = set(effective)
        for key in list(self.merges) + list(stored_keys):
            if self.follow(key) in effective:
                keys.add(key)
        return keys

    def would_cycle(self, from_key: str, into_key: str) -> bool:
        return self.follow(into_key) == from_key
