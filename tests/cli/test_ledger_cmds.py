"""The ledger commands through the real entry point, on SQLite and PostgreSQL: bad input gets one clear
line and a non-zero exit without losing stored data; every command answers in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from newsledger.ledger import Ledger
from newsledger.store import SCHEMA_VERSION, schema

LEDGER_COMMANDS = ("add", "series", "conflicts", "figures", "quotes", "articles", "export", "stats", "diff",
                   "measures", "merge", "unmerge", "split", "unsplit")


@pytest.fixture
def filled(db_url, gold_extractions, pipeline):
    """A ledger holding the hand-annotated gold articles (real text, figures and quotes)."""
    with Ledger(db_url, pipeline=pipeline) as ledger:
        report = ledger.add_extractions(gold_extractions[:30])
    assert report.added > 25
    return db_url


def _stored_articles(db_url) -> int:
    with Ledger(db_url) as ledger:
        return ledger.stats()["articles"]


def _one_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_every_ledger_command_has_help_text():
    from newsledger.cli.app import _register, app

    _register()
    helps = {(c.name or c.callback.__name__): (c.help or c.callback.__doc__ or "") for c in app.registered_commands}
    for name in LEDGER_COMMANDS:
        assert helps.get(name, "").strip(), name


def test_add_missing_file_is_one_line_and_keeps_the_ledger(run_cli, filled, tmp_path):
    before = _stored_articles(filled)
    result = run_cli("add", "--db", filled, tmp_path / "nope.jsonl")
    assert result.exit_code == 2
    assert "nope.jsonl" in _one_line(result.stderr)
    assert _stored_articles(filled) == before


def test_add_to_an_unreachable_database_is_one_line(run_cli, corpus_dir):
    result = run_cli("add", "--db", "postgresql://nobody@127.0.0.1:9/ledger", corpus_dir / "wikievents.jsonl")
    assert result.exit_code == 4
    assert "cannot reach database" in _one_line(result.stderr)


def test_add_to_a_database_of_a_newer_schema_is_refused(run_cli, filled, corpus_dir):
    from datetime import datetime

    from newsledger.store.engine import make_engine

    engine = make_engine(filled)
    with engine.begin() as conn:
        conn.execute(schema.schema_version.insert().values(version=SCHEMA_VERSION + 1, name="future",
                                                           applied_at=datetime(2030, 1, 1)))
        before = conn.execute(schema.articles.select()).all()
    result = run_cli("add", "--db", filled, corpus_dir / "wikievents.jsonl")
    assert result.exit_code == 4
    assert "newer" in _one_line(result.stderr)
    with engine.connect() as conn:
        assert conn.execute(schema.articles.select()).all() == before
    engine.dispose()


def test_add_truncated_warc_fails_with_one_line(run_cli, filled, tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    body = ("<html><body><article><p>" + "Officials said 40 people were killed in the flood. " * 40
            + "</p></article></body></html>").encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://news.example/flood", "response",
                                                  payload=io.BytesIO(body), http_headers=headers))
    data = buf.getvalue()
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data[: len(data) // 2])
    before = _stored_articles(filled)
    result = run_cli("add", "--db", filled, path)
    assert result.exit_code != 0
    assert "crawl.warc.gz" in _one_line(result.stderr)
    assert _stored_articles(filled) == before


def test_add_unreadable_feed_fails_with_one_line(run_cli, filled, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(b"\x00\x01 this is no feed <rss><channel><item>")
    result = run_cli("add", "--db", filled, path)
    assert result.exit_code != 0
    assert "feed.xml" in _one_line(result.stderr)


def test_add_articles_then_rerun_skips_them(run_cli, db_url, corpus_dir, tmp_path):
    lines = (corpus_dir / "wikievents.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    source = tmp_path / "three.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = run_cli("add", "--db", db_url, source)
    assert first.exit_code == 0, first.stderr
    assert "added 3" in first.stdout and "failed 0" in first.stdout
    again = run_cli("add", "--db", db_url, source, "--format", "json")
    assert again.exit_code == 0
    summary = json.loads(again.stdout)
    assert (summary["added"], summary["skipped_duplicates"], summary["failed"]) == (0, 3, [])


def test_figures_in_every_format(run_cli, filled):
    as_json = json.loads(run_cli("figures", "--db", filled, "--format", "json").stdout)
    assert as_json and {"value", "qualifier", "source", "measure", "article", "start", "end"} <= set(as_json[0])
    as_csv = list(csv.DictReader(io.StringIO(run_cli("figures", "--db", filled, "-f", "csv").stdout)))
    assert len(as_csv) == len(as_json)
    lines = run_cli("figures", "--db", filled, "-f", "jsonl", "--limit", "5").stdout.splitlines()
    assert len(lines) == 5
    table = run_cli("figures", "--db", filled, "--limit", "3", "--explain")
    assert table.exit_code == 0 and "explanation" in table.stdout


def test_figures_by_source(run_cli, filled):
    rows = json.loads(run_cli("figures", "--db", filled, "--source", "Naim", "-f", "json").stdout)
    assert rows and all("Naim" in r["source"] for r in rows)


def test_quotes_by_speaker_and_articles_by_search(run_cli, filled):
    quotes = json.loads(run_cli("quotes", "--db", filled, "--speaker", "naim", "-f", "json").stdout)
    assert quotes and all("Naim" in q["speaker"] for q in quotes)
    found = json.loads(run_cli("articles", "--db", filled, "--search", "Palestinian prisoners", "-f", "json").stdout)
    assert found and found[0]["source_id"] == "wire-2025-03-07-gaza-truce"


def test_measures_series_plot_and_conflicts(run_cli, filled, tmp_path):
    measures = json.loads(run_cli("measures", "--db", filled, "-f", "json").stdout)
    top = measures[0]
    assert top["figures"] >= 2
    series = run_cli("series", top["key"], "--db", filled, "-f", "csv", "--plot", tmp_path / "s.png")
    assert series.exit_code == 0, series.stderr
    rows = list(csv.DictReader(io.StringIO(series.stdout)))
    assert len(rows) == top["figures"] and {r["measure"] for r in rows} == {top["key"]}
    assert (tmp_path / "s.png").stat().st_size > 0 or "no dated values" in series.stderr
    table = run_cli("series", top["key"], "--db", filled)
    assert table.exit_code == 0 and top["key"] in table.stdout
    conflicts = run_cli("conflicts", "--db", filled, "-f", "json")
    assert conflicts.exit_code == 0
    assert all({"kind", "reason", "figures"} <= set(c) for c in json.loads(conflicts.stdout))


def test_merge_and_split_from_the_command_line(run_cli, filled):
    measures = json.loads(run_cli("measures", "--db", filled, "-f", "json").stdout)
    a, b = measures[0]["key"], measures[1]["key"]
    assert run_cli("merge", a, b, "--db", filled).exit_code == 0
    after = {m["key"]: m for m in json.loads(run_cli("measures", "--db", filled, "-f", "json").stdout)}
    assert a not in after and after[b]["figures"] == measures[0]["figures"] + measures[1]["figures"]
    assert a in after[b]["merged_from"]
    assert run_cli("unmerge", a, "--db", filled).exit_code == 0
    assert run_cli("unmerge", a, "--db", filled).exit_code == 2


def test_export_stats_and_diff(run_cli, filled, tmp_path):
    out = tmp_path / "figures.parquet"
    result = run_cli("export", "figures", "--db", filled, "--format", "parquet", "-o", out)
    assert result.exit_code == 0 and out.stat().st_size > 0
    stats = json.loads(run_cli("stats", "--db", filled, "-f", "json").stdout)[0]
    assert stats["articles"] > 25 and stats["figures"] > 0
    missing = run_cli("diff", "https://never.example/x", "--db", filled)
    assert missing.exit_code == 6 and "no stored article" in _one_line(missing.stderr)


def test_reading_a_ledger_that_does_not_exist_says_how_to_make_one(run_cli, tmp_path):
    result = run_cli("figures", "--db", tmp_path / "none.db")
    assert result.exit_code == 4
    assert "newsledger add" in _one_line(result.stderr)
    assert not (tmp_path / "none.db").exists()


def test_unknown_format_is_refused(run_cli, filled):
    result = run_cli("figures", "--db", filled, "--format", "xml")
    line = _one_line(result.stderr)
    assert result.exit_code == 2 and "'xml' is not one of 'table', 'json', 'jsonl', 'csv'" in line


def test_articles_search_pages_by_before_and_before_needs_a_search(run_cli, filled):
    first = json.loads(run_cli("articles", "--db", filled, "--search", "killed", "--limit", "1", "-f", "json").stdout)
    after = json.loads(run_cli("articles", "--db", filled, "--search", "killed", "--before", str(first[0]["article"]),
                               "-f", "json").stdout)
    assert after and all(x["article"] < first[0]["article"] for x in after)
    alone = run_cli("articles", "--db", filled, "--before", "3")
    assert alone.exit_code != 0 and "--search" in alone.stderr


@pytest.mark.parametrize("command", ["figures", "quotes", "articles", "measures", "conflicts", "sources",
                                     "events", "stories"])
def test_listings_page_by_the_cursor_they_show(run_cli, filled, command):
    """A table page ends with `--after CURSOR` on stderr; a jsonl page gives each row its cursor; following
    the cursors lists every row of the whole listing once, in order."""
    whole = [json.loads(x) for x in run_cli(command, "--db", filled, "-f", "jsonl").stdout.splitlines()]
    walked, after = [], None
    while True:
        args = [command, "--db", filled, "-f", "jsonl", "--limit", "4"] + (["--after", after] if after else [])
        result = run_cli(*args)
        assert result.exit_code == 0, result.stderr
        page = [json.loads(x) for x in result.stdout.splitlines()]
        if not page:
            break
        walked += [{k: v for k, v in row.items() if k != "cursor"} for row in page]
        after = page[-1]["cursor"]
    assert walked == whole
    if len(whole) > 4:
        table = run_cli(command, "--db", filled, "--limit", "4")
        assert "--after " in table.stderr
        cursor = table.stderr.split("--after ", 1)[1].split()[0]
        nxt = [json.loads(x) for x in run_cli(command, "--db", filled, "-f", "jsonl", "--after", cursor).stdout.splitlines()]
        assert [{k: v for k, v in r.items() if k != "cursor"} for r in nxt] == whole[4:]


def test_a_wrong_cursor_is_one_line(run_cli, filled):
    result = run_cli("figures", "--db", filled, "--after", "nonsense")
    assert result.exit_code == 2
    assert "not a cursor of figures" in _one_line(result.stderr)
