"""`newsledger correct ...` and `newsledger review` on SQLite and PostgreSQL, over the ceasefire report and
the truce wire report of the same day (their figures conflict)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from newsledger.ledger import Ledger
from newsledger.model import Article, parse_iso_date

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(db_url, pipeline, gold_dir):
    row = json.loads((gold_dir / "dev.jsonl").open(encoding="utf-8").readline())
    with Ledger(db_url, pipeline=pipeline) as ledger:
        ledger.add([Article(text=(REPO / "examples" / "ceasefire.txt").read_text(encoding="utf-8"),
                            published=date(2025, 3, 7), url="https://news.example/ceasefire"),
                    Article(text=row["text"], published=parse_iso_date(row["published"]),
                            url="https://wire.example/truce")])
    return db_url


def _figure_id(run_cli, db, text: str) -> int:
    rows = json.loads(run_cli("figures", "--db", db, "--format", "json").stdout)
    return next(r["figure_id"] for r in rows if r["text"] == text)


def test_correct_a_figure_and_see_it_in_figures_stats_and_review(run_cli, db):
    fid = _figure_id(run_cli, db, "48,446")
    done = run_cli("correct", "figure", str(fid), "--value", "48,500", "--source", "Gaza health ministry",
                   "--note", "bulletin of 7 March", "--by", "ana", "--db", db, "--format", "json")
    assert done.exit_code == 0, done.stderr
    made = json.loads(done.stdout)
    assert {(r["field"], r["new"]) for r in made} == {("value", 48500), ("source", "Gaza health ministry")}
    rows = json.loads(run_cli("figures", "--db", db, "--format", "json", "--source", "Gaza health").stdout)
    assert [(r["figure_id"], r["value"]) for r in rows] == [(fid, 48500)]
    [stats] = json.loads(run_cli("stats", "--db", db, "--format", "json").stdout)
    assert stats["corrections"] == 2 and stats["records_corrected"] == 1
    history = json.loads(run_cli("review", "--db", db, "--format", "json").stdout)
    assert {r["by"] for r in history} == {"ana"} and {r["record"] for r in history} == {fid}


def test_mark_a_figure_wrong_and_take_it_back(run_cli, db):
    fid = _figure_id(run_cli, db, "9,500")
    assert run_cli("correct", "figure", str(fid), "--wrong", "--db", db).exit_code == 0
    assert fid not in {r["figure_id"] for r in json.loads(run_cli("figures", "--db", db, "--format", "json").stdout)}
    assert run_cli("correct", "figure", str(fid), "--not-wrong", "--db", db).exit_code == 0
    assert fid in {r["figure_id"] for r in json.loads(run_cli("figures", "--db", db, "--format", "json").stdout)}


def test_correct_a_quote_speaker(run_cli, db):
    quotes = json.loads(run_cli("quotes", "--db", db, "--format", "json").stdout)
    qid = next(q["quote_id"] for q in quotes if "respect" in q["content"])
    assert run_cli("correct", "quote", str(qid), "--speaker", "Basem Naim, Hamas", "--db", db).exit_code == 0
    found = json.loads(run_cli("quotes", "--db", db, "--format", "json", "--speaker", "Naim, Hamas").stdout)
    assert [q["quote_id"] for q in found] == [qid]


def test_pending_lists_conflicting_figures_until_they_are_reviewed(run_cli, db):
    pending = json.loads(run_cli("review", "--pending", "--db", db, "--format", "json").stdout)
    assert pending and all(r["reason"] for r in pending)
    fid = pending[0]["figure"]
    run_cli("correct", "figure", str(fid), "--wrong", "--db", db)
    after = json.loads(run_cli("review", "--pending", "--db", db, "--format", "json").stdout)
    assert fid not in {r["figure"] for r in after}


@pytest.mark.parametrize(("args", "words"), [
    (("correct", "figure", "999999", "--value", "1"), "no figure with id 999999"),
    (("correct", "figure", "1", "--qualifier", "lots"), "qualifier 'lots' is not known"),
    (("correct", "figure", "1"), "nothing to correct"),
    (("correct", "figure", "1", "--wrong", "--not-wrong"), "contradict"),
    (("correct", "quote", "1", "--kind", "shouted"), "kind 'shouted' is not known"),
])
def test_bad_corrections_are_one_line_and_a_non_zero_exit(run_cli, db, args, words):
    result = run_cli(*args, "--db", db)
    assert result.exit_code != 0 and words in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_other_addresses_without_a_token(run_cli, db, monkeypatch):
    monkeypatch.delenv("NEWSLEDGER_TOKEN", raising=False)
    result = run_cli("serve", "--db", db, "--host", "0.0.0.0")
    assert result.exit_code != 0 and "NEWSLEDGER_TOKEN" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("serve", "--db", db, "--port", "0").exit_code == 2


def test_add_a_missed_figure_and_list_it(run_cli, db):
    articles = json.loads(run_cli("articles", "--db", db, "--format", "json").stdout)
    aid = next(a for a in articles if (a.get("url") or "").endswith("/ceasefire"))["article"]
    done = run_cli("correct", "add", str(aid), "two senior officials", "--value", "2", "--counted", "officials",
                   "--by", "ana", "--db", db, "--format", "json")
    assert done.exit_code == 0, done.stderr
    [made] = json.loads(done.stdout)
    assert (made["article"], made["text"], made["value"], made["by"]) == (aid, "two senior officials", 2, "ana")
    listed = json.loads(run_cli("review", "--added", "--db", db, "--format", "json").stdout)
    assert [r["added"] for r in listed] == [made["added"]]
    [stats] = json.loads(run_cli("stats", "--db", db, "--format", "json").stdout)
    assert stats["records_added"] == 1
    missing = run_cli("correct", "add", str(aid), "words nowhere in it", "--db", db)
    assert missing.exit_code != 0 and "does not contain" in missing.stderr and "Traceback" not in missing.stderr


def test_figures_lists_an_added_figure_flagged_and_correct_fixes_it(run_cli, db):
    articles = json.loads(run_cli("articles", "--db", db, "--format", "json").stdout)
    aid = next(a for a in articles if (a.get("url") or "").endswith("/ceasefire"))["article"]
    [made] = json.loads(run_cli("correct", "add", str(aid), "two senior officials", "--value", "2", "--counted",
                                "officials", "--db", db, "--format", "json").stdout)
    rows = json.loads(run_cli("figures", "--db", db, "--format", "json").stdout)
    assert [(r["figure_id"], r["text"]) for r in rows if r["added"]] == [(-made["added"], "two senior officials")]
    assert any(not r["added"] for r in rows)
    table = run_cli("figures", "--db", db, "--article", str(aid), "--all")
    header, *lines = [line.split("\t") for line in table.stdout.splitlines()]
    flagged = [dict(zip(header, line, strict=True)) for line in lines]
    assert [r["figure_id"] for r in flagged if r["added"] == "True"] == [str(-made["added"])]
    done = run_cli("correct", "figure", str(made["added"]), "--added", "--source", "the group", "--by", "ben",
                   "--db", db, "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert [(r["field"], r["new"]) for r in json.loads(done.stdout)] == [("source", "the group")]
    again = run_cli("correct", "figure", "--value", "3", "--db", db, "--format", "json", "--", str(-made["added"]))
    assert again.exit_code == 0, again.stderr
    rows = json.loads(run_cli("figures", "--db", db, "--format", "json").stdout)
    [added] = [r for r in rows if r["added"]]
    assert (added["source"], added["value"]) == ("the group", 3)
