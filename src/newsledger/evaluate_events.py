"""The events metric of ../shared/spec/events.md (events P/R/F1, detection, actor, recipient, date, status).

The matching rules follow the spec as ../shared/tools/score_events.py applies them; a test checks that both
give the same numbers and counts on the same predictions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsledger.extract.singular import singular

_WORD = re.compile(r"[\w']+", re.UNICODE)
_STOP = frozenset({"the", "a", "an", "of", "in", "on", "to", "and", "who", "were", "was", "is", "are", "been",
                   "being", "by", "for", "with", "that", "their", "its", "his", "her", "s", "'s"})
# A whole clause offered as a name is not a name.
_MAX_NAME_WORDS = 12
EVENT_SUMMARY_KEYS: tuple[str, ...] = ("events_f1", "event_detect_f1", "event_actor_acc", "event_recipient_acc",
                                       "event_date_acc", "event_status_acc")


def _words(text: str | None) -> list[str]:
    out = []
    for w in _WORD.findall((text or "").replace("\u2019", "'")):
        w = w.lower().strip("'")
        if w.endswith("'s"):  # possessive: "Israel's" names Israel
            w = w[:-2]
        if w:
            out.append(w)
    return out


def _content(text: str) -> set[str]:
    return {singular(w) for w in _words(text) if w not in _STOP}


def as_names(value: Any) -> list[str]:
    """Names given as a list or as one string (older outputs); empty strings dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [x for x in value if isinstance(x, str) and x.strip()]


def names_ok(gold: Any, pred: Any) -> bool:
    """The predicted names (joined) hold at least half the gold names' content words, in at most 12 words;
    gold [] is right only against []."""
    g, p = as_names(gold), as_names(pred)
    if not g:
        return not p
    joined = " ; ".join(p)
    gw = _content(" ; ".join(g))
    if not gw or len(_words(joined)) > _MAX_NAME_WORDS:
        return False
    return len(gw & _content(joined)) / len(gw) >= 0.5


def _span(p: Mapping[str, Any]) -> tuple[int, int] | None:
    s, e = p.get("start"), p.get("end")
    return (s, e) if isinstance(s, int) and isinstance(e, int) and e > s else None


def _iou(g: Mapping[str, Any], sp: tuple[int, int]) -> float:
    inter = min(g["end"], sp[1]) - max(g["start"], sp[0])
    if inter <= 0:
        return 0.0
    return inter / (max(g["end"], sp[1]) - min(g["start"], sp[0]))


def _trigger_place(g: Mapping[str, Any], text: str | None) -> tuple[int, int] | None:
    trig = g.get("trigger") or ""
    ts = g.get("trigger_start")
    if isinstance(ts, int):
        return ts, ts + len(trig)
    if text is not None and trig:
        k = text.find(trig, g["start"], g["end"])
        if k >= 0:
            return k, k + len(trig)
    return None


def match_events(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]],
                 triggers: list[tuple[int, int] | None], typed: bool) -> list[tuple[int, int]]:
    """One-to-one pairs: overlapping spans holding the gold trigger (and equal types when typed, except
    for optional gold), non-optional gold first, then the highest span IoU."""
    cands: list[tuple[bool, float, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            sp = _span(p)
            if sp is None or not max(g["start"], sp[0]) < min(g["end"], sp[1]):
                continue
            t = triggers[gi]
            if t is not None and not (sp[0] <= t[0] and t[1] <= sp[1]):
                continue
            if typed and not g.get("optional") and \
                    str(g.get("type", "")).lower() != str(p.get("type") or "").lower():
                continue
            cands.append((bool(g.get("optional")), -_iou(g, sp), gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0 where undefined); the figures and quotes scores use it too."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class EventScores:
    """The events metrics, the scorer's raw counts and per-event notes on what went wrong."""

    metrics: dict[str, float]
    counts: dict[str, int]
    details: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The spec's last line: `EVENTS events_f1=.. event_detect_f1=.. ... event_status_acc=..`."""
        return "EVENTS " + " ".join(f"{k}={self.metrics[k]:.3f}" for k in EVENT_SUMMARY_KEYS)


def _score_record(g: Mapping[str, Any], pred: Sequence[Mapping[str, Any]], text: str | None,
                  t: dict[str, int], notes: list[str]) -> None:
    gold = list(g.get("events") or [])
    rid = g["id"]
    triggers = [_trigger_place(x, text) for x in gold]
    opt = [bool(x.get("optional")) for x in gold]
    t["n_opt"] += sum(opt)
    typed_pairs = match_events(gold, pred, triggers, typed=True)
    typed_g = {gi for gi, _ in typed_pairs}
    t["tp"] += sum(1 for gi, _ in typed_pairs if not opt[gi])
    t["fn"] += sum(1 for gi in range(len(gold)) if gi not in typed_g and not opt[gi])
    t["fp"] += len(pred) - len(typed_pairs)
    pairs = match_events(gold, pred, triggers, typed=False)
    mg = {gi for gi, _ in pairs}
    mp = {pi for _, pi in pairs}
    t["d_tp"] += sum(1 for gi, _ in pairs if not opt[gi])
    t["d_fn"] += sum(1 for gi in range(len(gold)) if gi not in mg and not opt[gi])
    t["d_fp"] += len(pred) - len(pairs)
    for gi, pi in pairs:
        if opt[gi]:
            continue
        gx, px = gold[gi], pred[pi]
        t["attr_n"] += 1
        bad = []
        if as_names(gx.get("actor")):
            t["actor_n"] += 1
            ok = names_ok(gx.get("actor"), px.get("actor"))
            t["actor_ok"] += ok
            if not ok:
                bad.append(f"actor {px.get('actor')!r} (gold {gx.get('actor')!r})")
        t["recip_n"] += 1
        ok = names_ok(gx.get("recipient"), px.get("recipient"))
        t["recip_ok"] += ok
        if not ok:
            bad.append(f"recipient {px.get('recipient')!r} (gold {gx.get('recipient')!r})")
        for key, name in (("date", "date_ok"), ("status", "status_ok")):
            ok = gx.get(key) == px.get(key)
            t[name] += ok
            if not ok:
                bad.append(f"{key} {px.get(key)!r} (gold {gx.get(key)!r})")
        if gi not in typed_g:
            bad.insert(0, f"type {px.get('type')!r} (gold {gx.get('type')!r})")
        if bad:
            notes.append(f"{rid} event {gx.get('trigger')!r} at {gx['start']}: " + "; ".join(bad))
    notes.extend(f"{rid} missed {x.get('type')} event {x.get('trigger')!r} at {x['start']}"
                 for gi, x in enumerate(gold) if gi not in mg and not opt[gi])
    notes.extend(f"{rid} spurious {x.get('type')} event {x.get('trigger')!r} at {x.get('start')}"
                 for pi, x in enumerate(pred) if pi not in mp)


def score_events(golds: Iterable[Mapping[str, Any]], preds: Mapping[str, Mapping[str, Any]],
                 texts: Mapping[str, str] | None = None) -> EventScores:
    """Score predicted events (spec JSON objects keyed by id) against gold records whose tasks include
    "events"; `texts` places gold triggers that lack trigger_start. A missing id predicts nothing."""
    texts = texts or {}
    t = dict.fromkeys(("tp", "fp", "fn", "d_tp", "d_fp", "d_fn", "n_opt", "actor_n", "actor_ok", "recip_n",
                       "recip_ok", "date_ok", "status_ok", "attr_n"), 0)
    notes: list[str] = []
    records = 0
    for g in golds:
        if "events" not in (g.get("tasks") or ()):
            continue
        records += 1
        p = preds.get(g["id"]) or {}
        pred = [e for e in (p.get("events") or []) if isinstance(e, dict)]
        text = g.get("text") if isinstance(g.get("text"), str) else texts.get(g["id"])
        _score_record(g, pred, text, t, notes)
    ep, er, ef = prf(t["tp"], t["fp"], t["fn"])
    dp, dr, df = prf(t["d_tp"], t["d_fp"], t["d_fn"])
    metrics = dict(events_p=ep, events_r=er, events_f1=ef, event_detect_p=dp, event_detect_r=dr,
                   event_detect_f1=df, event_actor_acc=t["actor_ok"] / max(t["actor_n"], 1),
                   event_recipient_acc=t["recip_ok"] / max(t["recip_n"], 1),
                   event_date_acc=t["date_ok"] / max(t["attr_n"], 1),
                   event_status_acc=t["status_ok"] / max(t["attr_n"], 1))
    t["records"] = records
    return EventScores(metrics=metrics, counts=t, details=notes)
