"""RSS and Atom feeds to articles: full content from the feed where it has it, else the linked page."""

from __future__ import annotations

import email.utils
import html
import re
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newsledger.errors import FetchError, InputError
from newsledger.ingest.fetch import article_from_fetched, fetch
from newsledger.model import Article, Rejected


def is_url(source: str) -> bool:
    """Whether `source` is an http(s) URL rather than a file path."""
    return source.lower().startswith(("http://", "https://"))


def read_feed(source: str, *, allow_private: bool = False) -> Iterator[Article | Rejected]:
    """One Article (or Rejected) per entry of the RSS/Atom feed at `source`, a file path or http(s) URL.

    Raises InputError when the file cannot be read or holds no feed at all, FetchError when the URL
    cannot be fetched. A feed that breaks part-way yields the entries read before the break and then
    one Rejected saying what is wrong; an entry that yields no article gives a Rejected of its own.
    Entries without full content are fetched from their link with the same `allow_private`.
    """
    if is_url(source):
        data = fetch(source, allow_private=allow_private).body
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(
                f"{source}: cannot be read ({err.strerror or err})", "check the path and its permissions"
            ) from None
    yield from read_feed_bytes(data, where=source, allow_private=allow_private)


def read_feed_bytes(data: bytes, *, where: str, allow_private: bool = False) -> Iterator[Article | Rejected]:
    """The entries of a feed already in memory; `where` (file or URL) names it and resolves relative links."""
    import feedparser

    # Bytes, never a path or URL: given a string, feedparser would open files and URLs itself,
    # past our address checks.
    headers = {"content-location": where} if is_url(where) else {}
    try:
        parsed = feedparser.parse(data, response_headers=headers)
    except Exception as err:  # feedparser is lenient, yet some garbage (a binary encoding name) escapes it
        raise InputError(
            f"{where}: not a readable RSS or Atom feed ({type(err).__name__}: {err})",
            "check that it is an RSS or Atom XML feed",
        ) from None
    entries = list(parsed.get("entries") or [])
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
        problem = None  # e.g. a declared encoding that was overridden: the feed reads fine
    if not entries and (problem is not None or not parsed.get("version")):
        detail = f" ({_describe(problem)})" if problem is not None else ""
        raise InputError(
            f"{where}: not a readable RSS or Atom feed{detail}", "check that it is an RSS or Atom XML feed"
        )
    dropped = 0
    if problem is not None and _breaks_at_end(data) and entries:
        # A feed cut short (an interrupted download) stops inside its last entry, whose text is then
        # incomplete: it is reported with the break rather than read.
        entries.pop()
        dropped = 1
    outlet = (parsed.get("feed") or {}).get("title") or None
    for index, entry in enumerate(entries, 1):
        yield _entry_article(entry, index=index, feed_where=where, outlet=outlet, allow_private=allow_private)
    if problem is not None:
        cut = f", and entry {len(entries) + 1} is cut short" if dropped else ""
        yield Rejected(
            where=where,
            reason=f"{where}: the feed is malformed ({_describe(problem)}); entries read before the "
            f"error: {len(entries)}{cut}; fix or download the feed again for the rest",
        )


def _breaks_at_end(data: bytes) -> bool:
    """Whether the feed stops before its root element closes, as a download cut short does."""
    tail = data.rstrip()[-200:].lower()
    return re.search(rb"</(?:[\w-]+:)?(?:rss|feed|rdf)>(?:\s|<!--.*?-->)*$", tail, re.S) is None


def _describe(problem: BaseException) -> str:
    line = getattr(problem, "getLineNumber", None)
    text = str(problem.getMessage() if hasattr(problem, "getMessage") else problem)
    return f"{text} at line {line()}" if callable(line) else text


def entry_date(entry: Any) -> date | None:
    """The day an entry was published (or, failing that, last updated).

    The day is taken in the feed's own time zone where the raw date says it ("Mon, 03 Mar 2025
    23:30:00 -0500" is 3 March), because feedparser's parsed dates are in UTC and would move late
    evening stories to the next day; feedparser's date is the fallback for formats parsed here.
    """
    for key in ("published", "updated", "created"):
        # dict.get, not entry.get: feedparser's own lookup maps "updated" to "published" with a warning.
        local = _local_day(dict.get(entry, key))
        if local is not None:
            return local
        value = dict.get(entry, f"{key}_parsed")
        if isinstance(value, time.struct_time):
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    return None


def _local_day(raw: object) -> date | None:
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    try:
        return email.utils.parsedate_to_datetime(text).date()  # RSS: RFC 822 dates
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()  # Atom: RFC 3339 dates
    except ValueError:
        return None


def full_content(entry: Any) -> tuple[str, str] | None:
    """The entry's longest full-content block (content:encoded, Atom content) and its media type."""
    blocks = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if not blocks:
        return None
    best = max(blocks, key=lambda c: len(c.get("value") or ""))
    return best["value"], (best.get("type") or "text/html").lower()


def _entry_article(
    entry: Any, *, index: int, feed_where: str, outlet: str | None, allow_private: bool
) -> Article | Rejected:
    link = entry.get("link") or None
    where = link or f"{feed_where} entry {index}"
    published = entry_date(entry)
    result: Article | Rejected | None = None
    content = full_content(entry)
    if content is not None:
        result = article_from_content(*content, url=link, where=where, published=published)
    if not isinstance(result, Article) and link:
        # A summary-only entry (or one whose content holds no article text) is read from its page.
        # Only HTML is read there: a link that serves another feed is not followed.
        try:
            fetched = fetch(link, allow_private=allow_private)
        except FetchError as err:
            return Rejected(where=where, reason=str(err), id=entry.get("id"))
        result = article_from_fetched(fetched, where=where, published=published, origin="feed")
    if result is None:
        summary = (entry.get("summary") or "").strip()
        if not summary:
            return Rejected(
                where=where, reason=f"{where}: the entry has no content and no link", id=entry.get("id")
            )
        result = article_from_content(summary, "text/html", url=None, where=where, published=published)
    if isinstance(result, Rejected):
        result.id = result.id or entry.get("id")
        return result
    result.id = entry.get("id") or link or result.id
    result.url = link or result.url
    # The feed's own title and name are what the outlet published; the page's may carry site suffixes.
    result.title = entry.get("title") or result.title
    result.outlet = outlet or result.outlet
    result.origin = "feed"
    return result


def article_from_content(
    value: str, kind: str, *, url: str | None, where: str, published: date | None
) -> Article | Rejected:
    """An article from a feed entry's own content (plain text, or HTML read like a page)."""
    if kind == "text/plain":
        return Article(text=value.strip(), published=published, url=url, origin="feed")
    if "<" not in value:
        # Feeds often send plain sentences under an HTML type: no markup to strip, only entities.
        return Article(text=html.unescape(value).strip(), published=published, url=url, origin="feed")
    from newsledger.ingest.html import article_from_html  # lazily: html pulls in trafilatura

    try:
        return article_from_html(value, url=url, where=where, published=published, origin="feed")
    except InputError as err:
        return Rejected(where=where, reason=str(err))
