"""The story commands through the real entry point, on SQLite and PostgreSQL: `stories` in every format
(jsonl lines as the shared scorer reads them), `story ID`, `series`/`conflicts --story`, hand merges and
splits, and one clear line for a story that does not exist."""

from __future__ import annotations

import csv
import io
import json

import pytest

from newsledger.ledger import Ledger
from newsledger.model import Article, parse_iso_date


@pytest.fixture(scope="module")
def reports(pipeline, corpus_dir):
    """The first twelve gva-local reports (corpus order), without their `incident` answer key."""
    rows = []
    for line in (corpus_dir / "gva-local.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        row.pop("incident", None)
        if row.get("text", "").strip():
            rows.append(row)
        if len(rows) == 12:
            break
    arts = [Article(text=r["text"], id=r["id"], title=r.get("title"), url=r.get("url"),
                    published=parse_iso_date(r.get("published")), origin="jsonl") for r in rows]
    return list(pipeline.extract_many(arts))


@pytest.fixture
def filled(db_url, reports, pipeline):
    with Ledger(db_url, pipeline=pipeline) as ledger:
        ledger.add_extractions(reports)
    return db_url


def test_stories_in_every_format(run_cli, filled, reports):
    res = run_cli("stories", "--db", filled, "--format", "jsonl")
    assert res.exit_code == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert sorted(a for s in lines for a in s["articles"]) == sorted(r.article.id for r in reports)
    for s in lines:
        assert set(s["figures"]) == {"killed", "injured"} and isinstance(s["story"], int)
    table = run_cli("stories", "--db", filled)
    assert table.exit_code == 0 and f"{lines[0]['story']:,}" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run_cli("stories", "--db", filled, "--format", "csv").stdout)))
    assert len(rows) == len(lines) and rows[0]["input_ids"]
    assert json.loads(run_cli("stories", "--db", filled, "--format", "json").stdout)[0]["story"] == lines[0]["story"]
    rebuilt = run_cli("stories", "--db", filled, "--rebuild", "--format", "jsonl")
    assert rebuilt.exit_code == 0 and "built" in rebuilt.stderr


def test_story_detail_series_and_conflicts_of_a_story(run_cli, filled):
    lines = [json.loads(x) for x in run_cli("stories", "--db", filled, "--format", "jsonl").stdout.splitlines()]
    story = max(lines, key=lambda s: len(s["articles"]))
    res = run_cli("story", str(story["story"]), "--db", filled, "--format", "json")
    assert res.exit_code == 0, res.stderr
    detail = json.loads(res.stdout)[0]
    assert {a["input_id"] for a in detail["articles"]} == set(story["articles"])
    assert "measures" in detail and "conflicts" in detail
    assert run_cli("story", str(story["story"]), "--db", filled).exit_code == 0
    if detail["measures"]:
        key = detail["measures"][0]["measure"]
        series = run_cli("series", key, "--db", filled, "--story", str(story["story"]), "--format", "jsonl")
        assert series.exit_code == 0, series.stderr
        assert {json.loads(x)["input_id"] for x in series.stdout.splitlines()} <= set(story["articles"])
    conflicts = run_cli("conflicts", "--db", filled, "--story", str(story["story"]), "--format", "json")
    assert conflicts.exit_code == 0, conflicts.stderr


def test_merge_and_split_from_the_command_line(run_cli, filled):
    lines = [json.loads(x) for x in run_cli("stories", "--db", filled, "--format", "jsonl").stdout.splitlines()]
    a, b = lines[0]["story"], lines[1]["story"]
    assert run_cli("story-merge", str(a), str(b), "--db", filled).exit_code == 0
    merged = json.loads(run_cli("story", str(min(a, b)), "--db", filled, "--format", "json").stdout)[0]
    ids = merged["article_ids"]
    assert len(ids) == len(lines[0]["article_ids"]) + len(lines[1]["article_ids"])
    res = run_cli("story-split", str(min(a, b)), str(ids[-1]), "--db", filled)
    assert res.exit_code == 0, res.stderr
    after = [json.loads(x) for x in run_cli("stories", "--db", filled, "--format", "jsonl").stdout.splitlines()]
    home = next(s for s in after if ids[-1] in s["article_ids"])
    assert not set(ids[:-1]) & set(home["article_ids"])


def test_unknown_story_is_one_line(run_cli, filled):
    res = run_cli("story", "999999", "--db", filled)
    assert res.exit_code != 0 and "no story 999999" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("story", "abc", "--db", filled)
    assert res.exit_code != 0 and "not a story id" in res.stderr
