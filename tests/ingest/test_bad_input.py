"""Bad input found by fuzzing: each bad line or source is reported alone and the batch goes on; control
characters follow one rule; the outlet comes from the URL; unsupported schemes and broken redirects are
named as such."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsledger.errors import FetchError
from newsledger.ingest.feeds import read_feed_bytes
from newsledger.ingest.fetch import fetch
from newsledger.ingest.jsonl import read_jsonl_lines
from newsledger.ingest.outlet import archived_url, outlet_from_url
from newsledger.ingest.sources import read_sources
from newsledger.ingest.text import clean_controls
from newsledger.model import Article, Rejected

GOOD = "Police said 12 people were hurt in the crash on the bypass, and three were taken to hospital."


@pytest.mark.parametrize("bad, word", [
    ('{"id": "s", "text": "\\ud800 lone half of a pair"}', "surrogate"),
    ("[" * 100_000 + "]" * 100_000, "nests too deep"),
    ('{"id": ' + "1" * 5000 + ', "text": "x"}', "4,300 digits"),
    ('{"id": "t", "text": "Text.", "title": {"a": 1}}', '"title" is an object'),
    ('{"id": "u", "text": "Text.", "url": ["https://a.example/"]}', '"url" is a list'),
    ('{"id": {"x": 1}, "text": "Text."}', '"id" is an object'),
    ('{"id": "p", "text": "Text.", "published": 20250307}', '"published" is a number'),
])
def test_one_bad_line_is_rejected_and_the_lines_around_it_are_read(bad: str, word: str) -> None:
    lines = [json.dumps({"id": "before", "text": GOOD}), bad, json.dumps({"id": "after", "text": GOOD})]
    items = list(read_jsonl_lines(lines, "in.jsonl"))
    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Article"]
    assert items[1].where == "in.jsonl:2" and word in items[1].reason and "\n" not in items[1].reason
    assert not items[1].empty


def test_an_empty_text_is_marked_empty_not_failed() -> None:
    items = list(read_jsonl_lines(['{"id": "e", "text": "  "}'], "in.jsonl"))
    assert isinstance(items[0], Rejected) and items[0].empty and items[0].id == "e"


def test_an_empty_file_in_a_folder_is_marked_empty(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    items = list(read_sources([str(tmp_path)]))
    assert isinstance(items[0], Rejected) and items[0].empty
    assert isinstance(items[1], Article)


def test_control_characters_become_spaces_one_for_one_and_are_noted(tmp_path: Path) -> None:
    text = "Police\x00 said\x07 12 people\x1b were hurt.\tTabs\nand newlines stay.\x7f"
    cleaned, n = clean_controls(text)
    assert n == 4 and len(cleaned) == len(text) and "\x00" not in cleaned and "\t" in cleaned and "\n" in cleaned
    src = tmp_path / "nul.jsonl"
    src.write_text(json.dumps({"id": "n", "text": GOOD.replace("hurt", "hurt\u0000")}) + "\n", encoding="utf-8")
    (article,) = list(read_sources([str(src)]))
    assert isinstance(article, Article) and "\x00" not in article.text
    assert article.notes and "control character" in article.notes[0]


@pytest.mark.parametrize("url, outlet", [
    ("https://www.bbc.co.uk/news/world-123", "bbc.co.uk"),
    ("https://edition.cnn.com/2025/03/07/x.html", "cnn.com"),
    ("http://news.example/flood", "news.example"),
    ("https://web.archive.org/web/20250307120000/https://www.theguardian.com/world/x", "theguardian.com"),
    ("https://web.archive.org/web/2004id_/www.nytimes.com/2004/a.html", "nytimes.com"),
    ("http://127.0.0.1:8000/a", None),
    ("not a url", None),
])
def test_outlet_is_the_registered_domain_of_the_url(url: str, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


def test_a_jsonl_article_without_outlet_gets_it_from_its_url(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    rows = [{"id": "a", "text": GOOD, "url": "https://www.bbc.co.uk/news/uk-1"},
            {"id": "b", "text": GOOD + " Again.", "url": "https://www.bbc.co.uk/news/uk-2", "outlet": "BBC News"}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    first, second = list(read_sources([str(src)]))
    assert first.outlet == "bbc.co.uk" and second.outlet == "BBC News"
    assert archived_url("https://example.org/a") == "https://example.org/a"


def test_the_public_suffix_list_is_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from newsledger.ingest import outlet

    outlet._extractor.cache_clear()

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("tried to reach the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert outlet_from_url("https://www.lemonde.fr/a") == "lemonde.fr"
    outlet._extractor.cache_clear()


@pytest.mark.parametrize("source", ["file:///etc/passwd", "ftp://example.org/a.txt", "gopher://example.org/"])
def test_unsupported_url_schemes_are_named_as_such(source: str) -> None:
    (item,) = list(read_sources([source]))
    assert isinstance(item, Rejected)
    assert "scheme" in item.reason and "not supported" in item.reason and "no such file" not in item.reason


def test_a_redirect_to_a_malformed_url_is_a_fetch_error(loopback: Any) -> None:
    loopback.serve("/r", 302, b"", Location="http:x/")
    with pytest.raises(FetchError, match="malformed"):
        fetch(loopback.url("/r"), allow_private=True)


def test_a_malformed_redirect_in_a_feed_stops_only_its_entry(loopback: Any, fixtures_dir: Path) -> None:
    feed = (fixtures_dir / "feed_links.xml").read_text().replace("{base}", loopback.base).encode()
    feed = feed.replace(b"/missing", b"/broken")
    loopback.serve("/article.html", 200, (fixtures_dir / "article.html").read_bytes(), "text/html; charset=utf-8")
    loopback.serve("/broken", 302, b"", Location="http:x/")
    items = list(read_feed_bytes(feed, where=loopback.url("/feed.xml"), allow_private=True))
    assert [type(i).__name__ for i in items] == ["Article", "Rejected"]
    assert "malformed" in items[1].reason
