"""JSON Lines: one article a line; a bad line is rejected with its line number and the rest go on."""

from __future__ import annotations

from datetime import date

from newsledger.ingest.jsonl import read_jsonl, read_jsonl_lines
from newsledger.model import Article, Rejected


def test_fields_are_read_and_blank_lines_skipped():
    lines = ['{"id": "a", "text": "One.", "published": "2025-03-07", "title": "T", "url": "https://x.org/a"}',
             "", '{"id": 7, "text": "Two."}']
    items = list(read_jsonl_lines(lines, "in.jsonl"))
    assert [type(i) for i in items] == [Article, Article]
    first, second = items
    assert (first.id, first.published, first.title, first.url) == ("a", date(2025, 3, 7), "T", "https://x.org/a")
    assert second.id == "7" and second.published is None


def test_bad_lines_are_rejected_with_line_numbers_and_the_rest_continue():
    lines = ['{"id": "a", "text": "One."}', "not json at all", '{"id": "b"}', '["a", "list"]',
             '{"id": "c", "text": 5}', '{"id": "d", "text": "Four.", "published": "March 7"}',
             '{"id": "e", "text": "Five."}']
    items = list(read_jsonl_lines(lines, "in.jsonl"))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Article", "Rejected", "Rejected", "Rejected", "Rejected", "Rejected", "Article"]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [r.where for r in rejected] == ["in.jsonl:2", "in.jsonl:3", "in.jsonl:4", "in.jsonl:5", "in.jsonl:6"]
    assert "not a JSON object" in rejected[0].reason
    assert 'no "text"' in rejected[1].reason and rejected[1].id == "b"
    assert "YYYY-MM-DD" in rejected[4].reason


def test_published_override_wins_over_the_line():
    items = list(read_jsonl_lines(['{"id": "a", "text": "x", "published": "2020-01-01"}'], "f",
                                  published=date(2025, 1, 1)))
    assert items[0].published == date(2025, 1, 1)


def test_a_non_utf8_line_is_rejected_alone(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "ok"}\n')
    items = list(read_jsonl(path))
    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Article"]
    assert items[1].where.endswith("mixed.jsonl:2")


def test_missing_file_is_rejected(tmp_path):
    items = list(read_jsonl(tmp_path / "nope.jsonl"))
    assert len(items) == 1 and isinstance(items[0], Rejected)
