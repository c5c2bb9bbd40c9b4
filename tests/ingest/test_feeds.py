"""Tests for ingest/feeds.py: RSS and Atom files and URLs, full content or linked pages, broken feeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsledger.errors import FetchError, InputError
from newsledger.ingest.feeds import read_feed
from newsledger.model import Article, Rejected


def test_rss_with_full_content_gives_one_article_per_entry(fixtures_dir: Path) -> None:
    # The entries' links point at loopback port 9 and allow_private is off: had the reader fetched
    # them instead of using the feed's content, they would come back Rejected.
    items = list(read_feed(str(fixtures_dir / "feed_full.xml")))
    assert [type(item) for item in items] == [Article, Article]
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text.startswith("A volunteer lifeboat crew rescued two sailors on Monday")
    assert "31 calls so far this year" in first.text
    assert first.title == "Lifeboat crew rescues two sailors off Gull Point"
    assert first.published == date(2025, 3, 3)
    assert first.url == "http://127.0.0.1:9/news/lifeboat-rescue"
    assert first.id == "coastal-ledger-1001"
    assert first.outlet == "The Coastal Ledger"
    assert first.origin == "feed"
    assert second.published == date(2025, 3, 4) and "cycle lane" in second.text


def test_atom_content_and_published_date(fixtures_dir: Path) -> None:
    items = list(read_feed(str(fixtures_dir / "feed_atom.xml")))
    assert len(items) == 1 and isinstance(items[0], Article)
    article = items[0]
    assert "87 percent of capacity" in article.text and "<p>" not in article.text
    assert article.published == date(2025, 5, 6)
    assert article.outlet == "Valley Courier"
    assert article.id == "urn:example:valley-courier:77"


def _links_feed(fixtures_dir: Path, base: str) -> bytes:
    return (fixtures_dir / "feed_links.xml").read_text().replace("{base}", base).encode()


def test_feed_url_with_summary_entries_fetches_each_linked_page(loopback: Any, fixtures_dir: Path) -> None:
    loopback.serve("/feed.xml", 200, _links_feed(fixtures_dir, loopback.base), "application/rss+xml")
    loopback.serve(
        "/article.html", 200, (fixtures_dir / "article.html").read_bytes(), "text/html; charset=utf-8"
    )
    items = list(read_feed(loopback.url("/feed.xml"), allow_private=True))
    assert [type(item) for item in items] == [Article, Rejected]
    article, gone = items
    assert isinstance(article, Article) and isinstance(gone, Rejected)
    assert "Westmouth" in article.text and "Contact us" not in article.text
    assert article.title == "Ferry pier reopens"  # the feed's title, not the page's
    assert article.outlet == "The Coastal Ledger"
    assert article.url == loopback.url("/article.html")
    assert article.origin == "feed"
    assert "HTTP 404" in gone.reason and gone.where == loopback.url("/missing")
    assert loopback.hits == ["/feed.xml", "/article.html", "/missing"]


def test_entry_links_are_refused_without_allow_private(
    tmp_path: Path, loopback: Any, fixtures_dir: Path
) -> None:
    feed = tmp_path / "headlines.xml"
    feed.write_bytes(_links_feed(fixtures_dir, loopback.base))
    items = list(read_feed(str(feed)))
    assert [type(item) for item in items] == [Rejected, Rejected]
    assert all("--allow-private" in item.reason for item in items if isinstance(item, Rejected))
    assert loopback.hits == []


def test_feed_url_on_loopback_is_refused_without_allow_private(loopback: Any, fixtures_dir: Path) -> None:
    loopback.serve("/feed.xml", 200, (fixtures_dir / "feed_full.xml").read_bytes(), "application/rss+xml")
    with pytest.raises(FetchError, match="--allow-private"):
        list(read_feed(loopback.url("/feed.xml")))
    assert loopback.hits == []


def test_truncated_feed_yields_complete_entries_then_one_rejected(tmp_path: Path, fixtures_dir: Path) -> None:
    data = (fixtures_dir / "feed_full.xml").read_bytes()
    cut = data.index(b"Supporters said")  # inside the second entry's content
    feed = tmp_path / "cut.xml"
    feed.write_bytes(data[:cut])
    items = list(read_feed(str(feed)))
    assert [type(item) for item in items] == [Article, Rejected]
    broken = items[-1]
    assert isinstance(broken, Rejected) and broken.where == str(feed)
    assert "malformed" in broken.reason and "entry 2 is cut short" in broken.reason


@pytest.mark.parametrize("one_line", [False, True], ids=["lines", "one-line"])
def test_feed_with_a_bad_character_keeps_all_entries_and_reports_it(
    tmp_path: Path, fixtures_dir: Path, one_line: bool
) -> None:
    # Minified feeds are one line: the break is then on the last line without the feed being cut.
    data = (
        (fixtures_dir / "feed_full.xml").read_bytes().replace(b"Gull Point</title>", b"Gull & Point</title>")
    )
    if one_line:
        data = data.replace(b"\n", b" ")
    feed = tmp_path / "amp.xml"
    feed.write_bytes(data)
    items = list(read_feed(str(feed)))
    assert [type(item) for item in items] == [Article, Article, Rejected]
    assert "malformed" in items[-1].reason  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"just some words, not XML",
        b"<html><body><p>A web page</p></body></html>",
        b'<?xml version="1.0"?>\n<rss',
    ],
)
def test_not_a_feed_is_one_input_error(tmp_path: Path, content: bytes) -> None:
    feed = tmp_path / "bad.xml"
    feed.write_bytes(content)
    with pytest.raises(InputError) as caught:
        list(read_feed(str(feed)))
    assert "not a readable RSS or Atom feed" in str(caught.value) and "\n" not in str(caught.value)


def test_missing_feed_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        list(read_feed(str(tmp_path / "nowhere.xml")))


def test_entry_without_content_or_link_falls_back_to_its_summary(tmp_path: Path) -> None:
    feed = tmp_path / "summaries.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Notes</title>'
        "<item><title>Long summary</title><description>The county opened 3 new libraries this spring, "
        "and borrowing rose by about 15 percent, the library service said.</description></item>"
        "<item><title>Empty</title></item>"
        "</channel></rss>"
    )
    items = list(read_feed(str(feed)))
    assert [type(item) for item in items] == [Article, Rejected]
    assert isinstance(items[0], Article) and "3 new libraries" in items[0].text
    assert isinstance(items[1], Rejected) and "no content and no link" in items[1].reason


def test_entry_dates_are_the_day_in_the_feeds_own_time_zone(tmp_path: Path) -> None:
    # 23:30 at UTC-5 is already the next day in UTC; the story ran on 3 March where it was written.
    feed = tmp_path / "late.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Evening Post</title>'
        "<item><title>Late vote</title><pubDate>Mon, 03 Mar 2025 23:30:00 -0500</pubDate>"
        "<description>The assembly passed the budget by 41 votes to 38 shortly before midnight, "
        "ending a session that ran for eleven hours.</description></item>"
        "</channel></rss>"
    )
    items = list(read_feed(str(feed)))
    assert isinstance(items[0], Article) and items[0].published == date(2025, 3, 3)


def test_an_entry_link_that_serves_a_feed_is_not_read_as_an_article(
    loopback: Any, fixtures_dir: Path
) -> None:
    loopback.serve("/inner.xml", 200, (fixtures_dir / "feed_full.xml").read_bytes(), "application/rss+xml")
    outer = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Aggregator</title>'
        f"<item><title>Elsewhere</title><link>{loopback.url('/inner.xml')}</link></item>"
        "</channel></rss>"
    ).encode()
    loopback.serve("/outer.xml", 200, outer, "application/rss+xml")
    items = list(read_feed(loopback.url("/outer.xml"), allow_private=True))
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert "a feed, not an article page" in items[0].reason


def test_a_binary_encoding_name_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    feed = tmp_path / "odd.xml"
    feed.write_bytes(b'<?xml version="1.0" encoding="\x94\x95"?><rss version="2.0"><channel></channel></rss>')
    with pytest.raises(InputError, match="not a readable RSS or Atom feed"):
        list(read_feed(str(feed)))


def test_damaged_feeds_never_raise_anything_but_input_error(tmp_path: Path, fixtures_dir: Path, damaged_copies) -> None:
    """Random damage (seeded, so reproducible): each read ends in items or one InputError."""
    original = (fixtures_dir / "feed_full.xml").read_bytes()
    feed = tmp_path / "damaged.xml"
    for data in damaged_copies(original, 20250303, 150):
        feed.write_bytes(data)
        try:
            items = list(read_feed(str(feed)))
        except InputError as err:
            assert "\n" not in str(err)
            continue
        assert all(isinstance(item, Article | Rejected) for item in items)
