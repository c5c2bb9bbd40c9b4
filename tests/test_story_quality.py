"""Quality gate for stories: the gva-local reports of the dev incidents, stripped of their `incident` answer
key, are added to a fresh ledger; the stories it builds are scored with the shared scorer against the
floors in story_floors.json. Slow (it extracts about 3,000 articles): marked `stories_quality`, and run
in CI like every other test."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from newsledger.ledger import Ledger
from newsledger.model import Article, parse_iso_date

FLOORS_FILE = Path(__file__).resolve().parent / "story_floors.json"
FLOORS = {k: v for k, v in json.loads(FLOORS_FILE.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def _scorer(shared_dir: Path):
    spec = importlib.util.spec_from_file_location("score_stories", shared_dir / "tools" / "score_stories.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.stories_quality
def test_story_scores_stay_at_or_above_their_floors(pipeline, shared_dir, tmp_path):
    gold_path = shared_dir / "gold" / "gva-incidents-dev.jsonl"
    incidents = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    wanted = {a for g in incidents for a in g["articles"]}
    articles = []
    for line in (shared_dir / "corpus" / "gva-local.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] in wanted:
            row.pop("incident", None)  # the answer key: the product never sees it
            articles.append(Article(text=row["text"], id=row["id"], title=row.get("title"), url=row.get("url"),
                                    published=parse_iso_date(row.get("published")), origin="jsonl"))
    with Ledger(tmp_path / "gva.db", pipeline=pipeline) as ledger:
        report = ledger.add(articles)
        assert report.added > 0.9 * len(articles)  # the rest: empty pages and texts stored twice
        stories = [s.to_dict() for s in ledger.stories()]
    scorer = _scorer(shared_dir)
    scores = scorer.score(incidents, stories, warn=lambda message: None)
    summary = " ".join(f"{k}={scores[k]:.3f}" for k in scorer.SUMMARY)
    print("STORIES " + summary)
    below = {k: f"{scores[k]:.3f} < {floor:.3f}" for k, floor in FLOORS.items() if scores[k] < floor - 1e-9}
    assert not below, f"{below} ({summary})"
    assert set(FLOORS) == set(scorer.SUMMARY)
