"""Quality gate: extraction scores on the gold files must not fall below the floors pinned in the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsledger.evaluate import gold_articles, read_gold, score
from newsledger.evaluate_events import EVENT_SUMMARY_KEYS, score_events
from newsledger.model import Extraction

FLOORS_FILE = Path(__file__).resolve().parent / "quality_floors.json"
FLOORS: dict[str, dict[str, float]] = {
    name: floors for name, floors in json.loads(FLOORS_FILE.read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}


# An events gold file ("dev-events.jsonl") holds events for the articles of its namesake ("dev.jsonl").
_EVENTS_SUFFIX = "-events.jsonl"


@pytest.fixture(scope="module")
def predictions(pipeline, gold_dir):
    """Gold records and their extractions by id, one extraction run per gold file."""
    cache: dict[str, tuple[list[dict], dict[str, dict]]] = {}

    def get(name: str) -> tuple[list[dict], dict[str, dict]]:
        if name not in cache:
            golds = read_gold(gold_dir / name)
            cache[name] = (golds, {r.article.id: r.to_dict() for r in pipeline.extract_many(gold_articles(golds))
                                   if isinstance(r, Extraction)})
        return cache[name]
    return get


@pytest.mark.parametrize("name", sorted(n for n in FLOORS if n.endswith(_EVENTS_SUFFIX)))
def test_event_scores_stay_at_or_above_their_floors(predictions, gold_dir, name):
    golds, preds = predictions(name.replace(_EVENTS_SUFFIX, ".jsonl"))
    scores = score_events(read_gold(gold_dir / name, need_text=False), preds, {g["id"]: g["text"] for g in golds})
    below = {metric: f"{scores.metrics[metric]:.3f} < {floor:.3f}"
             for metric, floor in FLOORS[name].items() if scores.metrics[metric] < floor - 1e-9}
    assert not below, f"{name}: {below} ({scores.summary()})"


@pytest.mark.parametrize("name", sorted(n for n in FLOORS if not n.endswith(_EVENTS_SUFFIX)))
def test_scores_stay_at_or_above_their_floors(predictions, name):
    golds, preds = predictions(name)
    scores = score(golds, preds)
    below = {metric: f"{scores.metrics[metric]:.3f} < {floor:.3f}"
             for metric, floor in FLOORS[name].items() if scores.metrics[metric] < floor - 1e-9}
    assert not below, f"{name}: {below} ({scores.summary()})"


def test_floors_name_only_known_metrics():
    known = {"figures_f1", "figure_tuple_f1", "quotes_f1", "speaker_acc", *EVENT_SUMMARY_KEYS}
    for name, floors in FLOORS.items():
        assert set(floors) <= known, name
        assert all(0.0 <= v <= 1.0 for v in floors.values()), name
