"""Tests for bulk/records.py and bulk/blocks.py (no Ray needed): extractions survive the trip through JSON
and Parquet, blocks split JSONL files without losing or renumbering a line, and Ray's absence is one line."""

from __future__ import annotations

import json
import sys

import pytest

from newsledger.bulk.blocks import Block, plan_blocks, read_block
from newsledger.bulk.records import decode, encode, load_shards, write_shard
from newsledger.errors import InputError, NewsledgerError
from newsledger.ledger import Ledger
from newsledger.model import Article, Rejected


def test_an_extraction_survives_encode_and_decode(truce_extraction):
    _text, ex = truce_extraction
    ex.article.url = "https://example.org/truce"
    back = decode(encode(ex))
    assert back == ex
    assert back.figures and back.article.published is not None


def test_blocks_cover_every_line_once_with_file_line_numbers(tmp_path, corpus_dir):
    lines = (corpus_dir / "wikievents.jsonl").read_text(encoding="utf-8").splitlines()[:10]
    lines[6] = "{not json"
    path = tmp_path / "sample.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    blocks = plan_blocks([str(path)], workers=1)
    assert len(blocks) == 5 and sum(b.lines or 0 for b in blocks) == 10  # ~8 blocks a worker: 2 lines each
    items = [item for b in blocks for item in read_block(b.as_row(), published=None, encoding=None,
                                                         allow_private=False)]
    assert [i.id for i in items if isinstance(i, Article)] == [json.loads(x)["id"] for n, x in enumerate(lines)
                                                               if n != 6]
    [bad] = [i for i in items if isinstance(i, Rejected)]
    assert bad.where == f"{path}:7"


def test_folders_become_one_block_a_file_and_stdin_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text("One article.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>Another.</p>", encoding="utf-8")
    assert plan_blocks([str(tmp_path)]) == [Block(str(tmp_path / "a.txt")), Block(str(tmp_path / "b.html"))]
    with pytest.raises(InputError, match="stdin"):
        plan_blocks(["-"])


def test_load_stores_shards_once(tmp_path, truce_extraction, db_url):
    _text, ex = truce_extraction
    rows = [{"seq": 0, "status": "extracted", "where": "truce", "reason": None, "text_hash": "h",
             "extraction": encode(ex)},
            {"seq": 1, "status": "rejected", "where": "x.jsonl:2", "reason": "x.jsonl:2: not a JSON object",
             "text_hash": None, "extraction": ""}]
    write_shard(tmp_path / "part-000000000000000.parquet", rows)
    with Ledger(db_url) as ledger:
        first = load_shards(ledger, [tmp_path])
        again = load_shards(ledger, [tmp_path])
        assert (first.added, len(first.failed), first.figures) == (1, 1, len(ex.figures))
        assert (again.added, again.skipped) == (0, 1)
        assert ledger.stats()["figures"] == len(ex.figures)


def test_load_of_a_missing_folder_is_one_line(run_cli, tmp_path):
    result = run_cli("load", tmp_path / "nope", "--db", tmp_path / "l.db")
    assert result.exit_code == 2
    assert len([ln for ln in result.stderr.splitlines() if ln.strip()]) == 1 and "nope" in result.stderr


def test_engine_ray_without_ray_installed_is_one_line(run_cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # what Python does when ray is not installed
    (tmp_path / "a.txt").write_text("One article.", encoding="utf-8")
    result = run_cli("add", "--engine", "ray", "--db", tmp_path / "l.db", tmp_path / "a.txt")
    assert result.exit_code == 1
    [line] = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert 'pip install "newsledger[ray]"' in line
    with pytest.raises(NewsledgerError, match="newsledger\\[ray\\]"):
        from newsledger.bulk.ray_engine import import_ray

        import_ray()


def test_unknown_engine_and_address_without_ray_are_refused(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("One article.", encoding="utf-8")
    wrong = run_cli("add", "--engine", "spark", "--db", tmp_path / "l.db", tmp_path / "a.txt")
    assert wrong.exit_code == 2 and "unknown engine" in wrong.stderr
    lonely = run_cli("add", "--address", "127.0.0.1:6379", "--db", tmp_path / "l.db", tmp_path / "a.txt")
    assert lonely.exit_code == 2 and "--engine ray" in lonely.stderr


def test_actors_store_only_on_postgresql_and_only_when_no_url_or_text_spans_two_blocks(tmp_path, corpus_dir,
                                                                                          db_url):
    from newsledger.bulk.ray_engine import actors_may_store

    rows = [json.loads(x) for x in (corpus_dir / "wikievents.jsonl").read_text(encoding="utf-8").splitlines()[:8]]
    for n, row in enumerate(rows):
        row["url"] = f"https://example.org/{n}"
    distinct = tmp_path / "distinct.jsonl"
    distinct.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # A later version of the first URL in the last block: versions must be stored in input order.
    versioned = tmp_path / "versioned.jsonl"
    later = {**rows[0], "text": rows[0]["text"] + " A line added later."}
    versioned.write_text("".join(json.dumps(r) + "\n" for r in [*rows, later]), encoding="utf-8")
    # The same text at another URL in another block: the first in input order is the one stored.
    copied = tmp_path / "copied.jsonl"
    copied.write_text("".join(json.dumps(r) + "\n" for r in [*rows, {**rows[1], "url": "https://x.org/"}]),
                      encoding="utf-8")
    with Ledger(db_url) as ledger:
        on_pg = ledger.store.backend == "postgresql"

        def may(path):
            blocks = plan_blocks([str(path)], workers=2)
            assert len(blocks) > 2
            return actors_may_store(ledger, blocks, published=None, encoding=None)

        assert (may(distinct), may(versioned), may(copied)) == (on_pg, False, False)
        assert not actors_may_store(ledger, [Block(str(tmp_path / "a.txt"))], published=None, encoding=None)
