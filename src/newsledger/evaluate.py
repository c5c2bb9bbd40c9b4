"""The spec's metric (figures, figure tuples, quotes, speakers) and a run of the pipeline over a gold file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.evaluate_events import EventScores, prf, score_events
from newsledger.extract.singular import singular
from newsledger.model import Article, Extraction, Rejected, parse_iso_date

# The matching rules below follow ../shared/spec/extraction.md as its scorer applies them; a test checks
# that both give the same numbers on the same predictions.
_WORD = re.compile(r"[\w']+", re.UNICODE)
_STOP = frozenset({"the", "a", "an", "of", "in", "on", "to", "and", "who", "were", "was", "is", "are", "been",
                   "being", "by", "for", "with", "that", "their", "its", "his", "her", "s", "'s"})
# Relative tolerance for "the values agree" (0.5%).
_VALUE_TOLERANCE = 0.005
# A counted phrase longer than this is a clause, not "the shortest phrase that says what is counted".
_MAX_COUNTED_WORDS = 12
SUMMARY_KEYS: tuple[str, ...] = ("figures_f1", "figure_tuple_f1", "quotes_f1", "speaker_acc")


def _words(text: str | None) -> list[str]:
    return [w.lower().strip("'") for w in _WORD.findall(text or "")]


def _content(text: str | None) -> set[str]:
    return {w for w in _words(text) if w not in _STOP}


def _head(phrase: str | None) -> str:
    """The last content word of a gold counted phrase, singularised."""
    content = [w for w in _words(phrase) if w not in _STOP]
    return singular(content[-1]) if content else ""


def _overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return max(a["start"], b.get("start", -1)) < min(a["end"], b.get("end", -1))


def _same_value(gold: Any, pred: Any) -> bool:
    try:
        g, p = float(gold), float(pred)
    except (TypeError, ValueError):
        return False
    return abs(g - p) <= max(1e-9, _VALUE_TOLERANCE * abs(g))


def source_ok(gold: str | None, pred: str | None) -> bool:
    """Both null, or the prediction holds at least half the gold source's content words."""
    if not gold:
        return not pred
    if not pred:
        return False
    g = _content(gold)
    return bool(g) and len(g & _content(pred)) / len(g) >= 0.5


def counted_ok(gold: str | None, pred: str | None) -> bool:
    """The prediction holds the gold phrase's head noun (either number) in at most 12 words."""
    head = _head(gold)
    pred_words = _words(pred)
    return bool(head) and head in {singular(w) for w in pred_words} and len(pred_words) <= _MAX_COUNTED_WORDS


def speaker_ok(gold: str | None, pred: Mapping[str, Any]) -> bool:
    """`speaker` or `speaker_mention` holds at least half the gold speaker's content words."""
    names = " ".join(x for x in (pred.get("speaker"), pred.get("speaker_mention")) if x)
    g = _content(gold)
    return bool(g) and len(g & _content(names)) / len(g) >= 0.5


def _gold_order(gold: list[Mapping[str, Any]]) -> list[int]:
    # Needed items first, so an optional gold item never takes a match a needed one could have had.
    return sorted(range(len(gold)), key=lambda i: bool(gold[i].get("optional")))


def match_figures(gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (gold, pred) index pairs: overlapping number spans and values within 0.5%.

    An optional gold figure ("hundreds", "dozens", a duration) takes any overlapping prediction whatever its
    value: optional gold counts neither way, so its value convention cannot make a false positive."""
    pairs: list[tuple[int, int]] = []
    taken: set[int] = set()
    for gi in _gold_order(gold):
        g = gold[gi]
        for pi, p in enumerate(pred):
            if pi not in taken and _overlap(g, p) and (
                    g.get("optional") or _same_value(g["value"], p.get("value"))):
                pairs.append((gi, pi))
                taken.add(pi)
                break
    return pairs


def _quote_similarity(g: Mapping[str, Any], p: Mapping[str, Any]) -> float:
    gw, pw = _content(g["content"]), _content(p.get("content", ""))
    if not gw or not pw:
        return 0.0
    shared = len(gw & pw)
    # The scorer also accepts a quote whose span is off when nearly all its words are the gold's.
    if _overlap(g, p) or shared / len(gw) > 0.8:
        return shared / min(len(gw), len(pw))
    return 0.0


def match_quotes(gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one pairs: for each gold quote the free prediction sharing most content words (at least half)."""
    pairs: list[tuple[int, int]] = []
    taken: set[int] = set()
    for gi in _gold_order(gold):
        best, best_i = 0.0, None
        for pi, p in enumerate(pred):
            if pi in taken:
                continue
            sim = _quote_similarity(gold[gi], p)
            if sim > best:
                best, best_i = sim, pi
        if best_i is not None and best >= 0.5:
            pairs.append((gi, best_i))
            taken.add(best_i)
    return pairs


@dataclass
class Scores:
    """Metric values (figures_p ... speaker_acc), the raw counts, and per-item notes on what went wrong."""

    metrics: dict[str, float]
    counts: dict[str, int]
    details: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    # The events metrics, when the gold (or the --events file beside it) has records with the events task.
    events: EventScores | None = None

    def summary(self) -> str:
        """The spec's one-line summary: `SCORE figures_f1=.. figure_tuple_f1=.. quotes_f1=.. speaker_acc=..`."""
        return "SCORE " + " ".join(f"{k}={self.metrics[k]:.3f}" for k in SUMMARY_KEYS)


def _score_figures(g: Mapping[str, Any], p: Mapping[str, Any], t: dict[str, int], notes: list[str]) -> None:
    gold, pred = g.get("figures", []), p.get("figures", [])
    ignore = set(g.get("ignore") or ())
    pairs = match_figures(gold, pred)
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    t["f_fn"] += sum(1 for gi, x in enumerate(gold) if gi not in matched_g and not x.get("optional"))
    t["f_fp"] += len(pred) - len(matched_p)
    for gi, pi in pairs:
        gx, px = gold[gi], pred[pi]
        if gx.get("optional"):
            continue
        t["f_tp"] += 1
        skip = ignore | set(gx.get("ignore") or ())
        q = "qualifier" in skip or gx["qualifier"] == px.get("qualifier", "exact")
        c = "counted" in skip or counted_ok(gx["counted"], px.get("counted"))
        s = "source" in skip or source_ok(gx["source"], px.get("source"))
        t["qual_ok"] += q
        t["cnt_ok"] += c
        t["src_ok"] += s
        t["tuple_ok"] += q and c and s
        if not (q and c and s):
            notes.append(f"{g['id']} figure {gx['text']!r}: qualifier {'ok' if q else px.get('qualifier')}, "
                         f"counted {'ok' if c else repr(px.get('counted'))} (gold {gx['counted']!r}), "
                         f"source {'ok' if s else repr(px.get('source'))} (gold {gx['source']!r})")
    notes.extend(f"{g['id']} missed figure {x['text']!r} at {x['start']}"
                 for gi, x in enumerate(gold) if gi not in matched_g and not x.get("optional"))
    notes.extend(f"{g['id']} spurious figure {x.get('text')!r} at {x.get('start')}"
                 for pi, x in enumerate(pred) if pi not in matched_p)


def _score_quotes(g: Mapping[str, Any], p: Mapping[str, Any], t: dict[str, int], notes: list[str]) -> None:
    gold, pred = g.get("quotes", []), p.get("quotes", [])
    pairs = match_quotes(gold, pred)
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    t["q_fn"] += sum(1 for gi, x in enumerate(gold) if gi not in matched_g and not x.get("optional"))
    t["q_fp"] += len(pred) - len(matched_p)
    for gi, pi in pairs:
        if gold[gi].get("optional"):
            continue
        t["q_tp"] += 1
        ok = speaker_ok(gold[gi]["speaker"], pred[pi])
        t["spk_ok"] += ok
        if not ok:
            notes.append(f"{g['id']} quote {gold[gi]['content'][:40]!r}: speaker {pred[pi].get('speaker')!r} "
                         f"(gold {gold[gi]['speaker']!r})")
    notes.extend(f"{g['id']} missed quote {x['content'][:50]!r}"
                 for gi, x in enumerate(gold) if gi not in matched_g and not x.get("optional"))
    notes.extend(f"{g['id']} spurious quote {x.get('content', '')[:50]!r}"
                 for pi, x in enumerate(pred) if pi not in matched_p)


def score(golds: Iterable[Mapping[str, Any]], preds: Mapping[str, Mapping[str, Any]]) -> Scores:
    """Score predictions (spec JSON objects keyed by id) against gold records; a missing id predicts nothing."""
    t = dict.fromkeys(("f_tp", "f_fp", "f_fn", "tuple_ok", "qual_ok", "cnt_ok", "src_ok",
                       "q_tp", "q_fp", "q_fn", "spk_ok"), 0)
    notes: list[str] = []
    empty: dict[str, Any] = {"figures": [], "quotes": []}
    for g in golds:
        p = preds.get(g["id"], empty)
        # "tasks" names what a record is fully annotated for; only that is scored for it.
        tasks = set(g.get("tasks") or ("figures", "quotes"))
        if "figures" in tasks:
            _score_figures(g, p, t, notes)
        if "quotes" in tasks:
            _score_quotes(g, p, t, notes)
    fp_, fr_, ff_ = prf(t["f_tp"], t["f_fp"], t["f_fn"])
    # A matched figure with a wrong attribute counts as both a false positive and a false negative tuple.
    wrong = t["f_tp"] - t["tuple_ok"]
    _, _, tf_ = prf(t["tuple_ok"], t["f_fp"] + wrong, t["f_fn"] + wrong)
    qp_, qr_, qf_ = prf(t["q_tp"], t["q_fp"], t["q_fn"])
    n = max(t["f_tp"], 1)
    metrics = dict(figures_p=fp_, figures_r=fr_, figures_f1=ff_, figure_tuple_f1=tf_,
                   qualifier_acc=t["qual_ok"] / n, counted_acc=t["cnt_ok"] / n, source_acc=t["src_ok"] / n,
                   quotes_p=qp_, quotes_r=qr_, quotes_f1=qf_, speaker_acc=t["spk_ok"] / max(t["q_tp"], 1))
    return Scores(metrics=metrics, counts=t, details=notes)


def read_gold(path: str | Path, *, need_text: bool = True) -> list[dict[str, Any]]:
    """The gold records of a .jsonl file; InputError names the first bad line. Events gold files may leave
    the text to the articles' gold file (`need_text=False`)."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{p}: the gold file cannot be read ({err})", "give a UTF-8 .jsonl gold file") from err
    golds: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{p}:{number}: not JSON ({err.msg})", "fix or remove the line") from err
        if not isinstance(row, dict) or "id" not in row or (need_text and not isinstance(row.get("text"), str)):
            what = '"id" and "text"' if need_text else '"id"'
            raise InputError(f"{p}:{number}: a gold record needs {what}", "fix or remove the line")
        golds.append(row)
    if not golds:
        raise InputError(f"{p}: the gold file holds no records", "give a .jsonl file of annotated articles")
    return golds


def gold_articles(golds: Iterable[Mapping[str, Any]]) -> list[Article]:
    """The articles of gold records, as extraction sees them (id, text, publication day, title)."""
    return [Article(text=g["text"], id=str(g["id"]), published=parse_iso_date(g.get("published")),
                    title=g.get("title"), url=g.get("url"), origin="jsonl") for g in golds]


def events_gold(golds: list[dict[str, Any]], events: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The records scored for events: those of the gold file with the events task, and those of an events
    file (`--events`, records {"id", "tasks", "events"} whose text is the gold article of the same id, or
    their own "text"). An events record whose article is nowhere is an InputError."""
    out = [g for g in golds if "events" in (g.get("tasks") or ())]
    if not events:
        return out
    known = {str(g["id"]) for g in golds}
    for row in events:
        if str(row["id"]) not in known and not isinstance(row.get("text"), str):
            raise InputError(f"events gold {row['id']!r}: no article with this id in the gold file and no \"text\"",
                             "give the gold file of the same articles, or add their text")
        out.append(row)
    return out


def evaluate_file(path: str | Path, *, jobs: int = 1, model: str | None = None,
                  batch_size: int | None = None, events: str | Path | None = None) -> Scores:
    """Run extraction over a gold file's articles and score it; articles that fail count as predicting nothing.

    Events are scored too (`Scores.events`) when the gold records have the events task or an events gold
    file is given (`events`, paired with the gold file's articles by id, as ../shared/tools/score_events.py
    pairs them)."""
    from newsledger.config import BATCH_SIZE
    from newsledger.pipeline import extract_parallel

    golds = read_gold(path)
    ev_golds = events_gold(golds, read_gold(events, need_text=False) if events is not None else None)
    known = {str(g["id"]) for g in golds}
    extra = [g for g in ev_golds if str(g["id"]) not in known]
    preds: dict[str, dict[str, Any]] = {}
    rejected: list[Rejected] = []
    for result in extract_parallel(gold_articles(golds + extra), jobs=jobs, model=model,
                                   batch_size=batch_size or BATCH_SIZE):
        if isinstance(result, Extraction):
            preds[str(result.article.id)] = result.to_dict()
        else:
            rejected.append(result)
    scores = score(golds, preds)
    scores.rejected = rejected
    if ev_golds:
        texts = {str(g["id"]): g["text"] for g in golds + extra}
        scores.events = score_events(ev_golds, preds, texts)
    return scores
