"""The dispatcher: files by extension, folders in sorted order, stdin by content, missing paths rejected."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from newsledger.ingest.sources import read_sources
from newsledger.model import Article, Rejected

ENGLISH = ("The council said on Tuesday that 12 homes were damaged by the storm, and officials "
           "expect the repairs to take about three weeks to finish before the winter.")
FRENCH = ("Le gouvernement a annoncé mardi que les négociations avec les syndicats reprendraient la "
          "semaine prochaine, malgré les grèves qui paralysent le pays depuis plusieurs jours.")
PAGE = (f"<html><head><title>Storm</title></head><body><article><h1>Storm</h1><p>{ENGLISH}</p>"
        "</article></body></html>")


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(f'{{"id": "j1", "text": "{ENGLISH}"}}\nbroken\n', encoding="utf-8")
    (tmp_path / "c.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # not an article name: ignored
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text(ENGLISH, encoding="utf-8")
    return tmp_path


def test_folder_is_read_recursively_in_sorted_order(tmp_path):
    items = list(read_sources([str(_folder(tmp_path))]))
    summary = [(type(i).__name__, i.id if isinstance(i, Article) else i.where) for i in items]
    assert summary == [
        ("Article", "j1"),
        ("Rejected", f"{tmp_path}/a.jsonl:2"),
        ("Article", f"{tmp_path}/b/two.txt"),
        ("Article", f"{tmp_path}/c.html"),
    ]
    assert items[3].origin == "html"


def test_missing_path_is_rejected_and_the_next_source_still_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, encoding="utf-8")
    items = list(read_sources([str(tmp_path / "missing.txt"), str(good)]))
    assert isinstance(items[0], Rejected) and "no such file" in items[0].reason
    assert isinstance(items[1], Article)


def test_published_overrides_every_article(tmp_path):
    items = list(read_sources([str(_folder(tmp_path))], published=date(2025, 3, 7)))
    assert {i.published for i in items if isinstance(i, Article)} == {date(2025, 3, 7)}


def test_non_english_text_is_rejected_with_the_reason(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_text(FRENCH, encoding="utf-8")
    [item] = list(read_sources([str(path)]))
    assert isinstance(item, Rejected) and "English" in item.reason


def test_stdin_is_sniffed_as_jsonl_html_or_text():
    as_jsonl = list(read_sources(["-"], stdin=io.BytesIO(f'{{"id": "s1", "text": "{ENGLISH}"}}\n'.encode())))
    assert [i.id for i in as_jsonl] == ["s1"]
    [as_html] = list(read_sources(["-"], stdin=io.BytesIO(PAGE.encode())))
    assert as_html.origin == "html" and as_html.text.endswith("before the winter.")
    [as_text] = list(read_sources(["-"], stdin=io.BytesIO(ENGLISH.encode())))
    assert as_text.origin == "text" and as_text.text == ENGLISH


def test_empty_folder_is_rejected(tmp_path):
    [item] = list(read_sources([str(tmp_path)]))
    assert isinstance(item, Rejected) and "no article files" in item.reason


def test_feeds_are_handed_to_the_feed_reader_and_dated_by_the_override():
    feed = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "feed_full.xml"
    items = list(read_sources([str(feed)], published=date(2025, 3, 7)))
    assert items and all(isinstance(i, Article) and i.origin == "feed" for i in items)
    assert {i.published for i in items} == {date(2025, 3, 7)}
