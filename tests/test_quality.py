"""Quality gate: extraction scores on the gold files must not fall below the floors pinned in the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsledger.evaluate import gold_articles, read_gold, score
from newsledger.model import Extraction

FLOORS_FILE = Path(__file__).resolve().parent / "quality_floors.json"
FLOORS: dict[str, dict[str, float]] = {
    name: floors for name, floors in json.loads(FLOORS_FILE.read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_scores_stay_at_or_above_their_floors(pipeline, gold_dir, name):
    golds = read_gold(gold_dir / name)
    preds = {r.article.id: r.to_dict() for r in pipeline.extract_many(gold_articles(golds))
             if isinstance(r, Extraction)}
    scores = score(golds, preds)
    below = {metric: f"{scores.metrics[metric]:.3f} < {floor:.3f}"
             for metric, floor in FLOORS[name].items() if scores.metrics[metric] < floor - 1e-9}
    assert not below, f"{name}: {below} ({scores.summary()})"


def test_floors_name_only_known_metrics():
    known = {"figures_f1", "figure_tuple_f1", "quotes_f1", "speaker_acc"}
    for name, floors in FLOORS.items():
        assert set(floors) <= known, name
        assert all(0.0 <= v <= 1.0 for v in floors.values()), name
