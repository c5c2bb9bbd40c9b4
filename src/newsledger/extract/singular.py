"""A crude singular for comparing head words, as the shared scorers compare them ('prices' -> 'price')."""

from __future__ import annotations

_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "feet": "foot"}


def singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w
