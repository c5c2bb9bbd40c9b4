"""Polite polling for `watch`: conditional GET, robots.txt, feed and sitemap entries, webhook POSTs.

Every request goes through the same address checks as `fetch` (every redirect hop is checked before it
is connected to), and through a `Gate` that keeps one request at a time per host with a delay between.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from newsledger.errors import FetchError
from newsledger.ingest.fetch import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_TIMEOUT,
    REDIRECT_STATUSES,
    USER_AGENT,
    Fetched,
    _checked_target,
    _networks,
    _pinned_request,
    _read_response,
    article_from_fetched,
    looks_like_feed,
)
from newsledger.model import Article, Rejected

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class Polled:
    """One conditional GET: the body (None when the server said 304 Not Modified) and new validators."""

    url: str
    status: int
    fetched: Fetched | None
    etag: str | None
    last_modified: str | None
    retry_after: float | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Gate:
    """One request at a time per host, at least `delay` seconds apart (from the end of the last one)."""

    def __init__(self, delay: float, sleep: Callable[[float], Any] = time.sleep) -> None:
        self.delay = delay
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def run(self, url: str, request: Callable[[], Any]) -> Any:
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last.get(host, -1e18) + self.delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)
            try:
                return request()
            finally:
                self._last[host] = time.monotonic()


def conditional_get(url: str, *, etag: str | None = None, last_modified: str | None = None,
                    allow_private: bool = False, allow_networks: Iterable[str] = (),
                    timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> Polled:
    """GET `url` with If-None-Match / If-Modified-Since; FetchError as `fetch` raises it.

    Redirects are followed here, each hop checked like the first (a feed that redirects to a private
    address is refused before anything connects to it). A 304 answer has no body: nothing changed.
    """
    allowed = _networks(allow_networks)
    deadline = time.monotonic() + 4 * timeout
    limits = httpx.Timeout(connect=timeout, read=timeout, write=timeout, pool=timeout)
    current = url
    with httpx.Client(timeout=limits, follow_redirects=False, trust_env=False) as client:
        for _hop in range(DEFAULT_MAX_REDIRECTS + 1):
            if time.monotonic() > deadline:
                raise FetchError(f"timed out following redirects to {current}", "try again later")
            parsed, addresses = _checked_target(current, allow_private, allowed, timeout)
            request = _pinned_request(client, parsed, addresses[0])
            if etag:
                request.headers["If-None-Match"] = etag
            if last_modified:
                request.headers["If-Modified-Since"] = last_modified
            response = _send(client, request, current, timeout)
            try:
                headers = response.headers
                retry = _retry_after(headers.get("retry-after"))
                if response.status_code == 304:
                    return Polled(current, 304, None, headers.get("etag") or etag,
                                  headers.get("last-modified") or last_modified)
                if response.status_code >= 400 and retry is not None:
                    raise RetryLater(f"{current} answered HTTP {response.status_code} "
                                     f"{response.reason_phrase}", retry)
                result = _read_response(response, current, max_bytes, deadline, timeout)
            finally:
                response.close()
            if isinstance(result, str):
                current = result
                continue
            return Polled(current, result.status, result, headers.get("etag"), headers.get("last-modified"))
    raise FetchError(f"too many redirects fetching {url}", "check the URL")


class RetryLater(FetchError):
    """The server asked to be left alone for a while (Retry-After on a 429 or 503)."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message, f"the server asked to wait {seconds:g}s")
        self.seconds = seconds


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        import email.utils

        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when.timestamp() - time.time())


def _send(client: httpx.Client, request: httpx.Request, url: str, timeout: float) -> httpx.Response:
    try:
        return client.send(request, stream=True)
    except httpx.TimeoutException:
        raise FetchError(f"timed out waiting for {url} to answer ({timeout:g}s)",
                         "try again later or raise --timeout") from None
    except httpx.HTTPError as err:
        raise FetchError(f"cannot connect to {url}: {err}", "check the URL and that the server is up") from None


def post_json(url: str, payload: Any, *, allow_private: bool = False, allow_networks: Iterable[str] = (),
              timeout: float = DEFAULT_TIMEOUT) -> int:
    """POST `payload` as JSON to a webhook; returns the status. Redirects are not followed (a webhook
    that moves is a configuration to fix, and following it would skip the address check)."""
    parsed, addresses = _checked_target(url, allow_private, _networks(allow_networks), timeout)
    limits = httpx.Timeout(connect=timeout, read=timeout, write=timeout, pool=timeout)
    with httpx.Client(timeout=limits, follow_redirects=False, trust_env=False) as client:
        get = _pinned_request(client, parsed, addresses[0])
        request = client.build_request(
            "POST", get.url, content=json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
            headers={"Host": get.headers["Host"], "User-Agent": USER_AGENT,
                     "Content-Type": "application/json"}, extensions=get.extensions)
        response = _send(client, request, url, timeout)
        response.close()
    if response.status_code in REDIRECT_STATUSES or response.status_code >= 400:
        raise FetchError(f"webhook {url} answered HTTP {response.status_code}", "check --notify-url")
    return response.status_code


class Robots:
    """robots.txt per site, read again after a day (RFC 9309: a 4xx answer allows everything; a 5xx or
    an unreachable server is an error for this poll, retried later, rather than a guess either way)."""

    TTL = 24 * 3600.0

    def __init__(self, fetch: Callable[[str], Fetched], agent: str = "newsledger") -> None:
        self._fetch = fetch
        self.agent = agent
        self._parsers: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        cached = self._parsers.get(site)
        if cached is None or time.monotonic() - cached[0] > self.TTL:
            cached = (time.monotonic(), self._load(site + "/robots.txt"))
            self._parsers[site] = cached
        parser = cached[1]
        return True if parser is None else parser.can_fetch(self.agent, url)

    def _load(self, robots_url: str) -> urllib.robotparser.RobotFileParser | None:
        try:
            fetched = self._fetch(robots_url)
        except FetchError as err:
            if " answered HTTP 4" in str(err) and not isinstance(err, RetryLater):
                return None  # no robots.txt: everything is allowed
            raise  # refused, unreachable or a 5xx: this poll fails and is tried again later
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(fetched.body.decode("utf-8", "replace").splitlines())
        return parser


@dataclass
class Entry:
    """One item a feed or sitemap lists: a key, a fingerprint of what it says, and where the text is."""

    key: str
    fingerprint: str
    link: str | None
    published: date | None = None
    title: str | None = None
    outlet: str | None = None
    content: tuple[str, str] | None = None  # (value, media type) when the feed carries the full text
    summary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()


def list_entries(fetched: Fetched) -> tuple[str, list[Entry]]:
    """('feed' | 'sitemap', the entries) of a fetched feed or sitemap; FetchError for anything else."""
    if looks_like_feed(fetched):
        return "feed", _feed_entries(fetched)
    head = fetched.body[:4096].lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap", _sitemap_entries(fetched)
    raise FetchError(f"{fetched.url} is neither an RSS/Atom feed nor a sitemap", "check the feed list")


def _feed_entries(fetched: Fetched) -> list[Entry]:
    import feedparser

    from newsledger.ingest.feeds import _full_content, entry_date

    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.url})
    outlet = (parsed.get("feed") or {}).get("title") or None
    out = []
    for index, e in enumerate(parsed.get("entries") or [], 1):
        link = e.get("link") or None
        key = e.get("id") or link or f"entry {index}"
        content = _full_content(e)
        summary = (e.get("summary") or "").strip() or None
        stamp = dict.get(e, "updated") or dict.get(e, "published")
        out.append(Entry(key=key, link=link, published=entry_date(e), title=e.get("title") or None,
                         outlet=outlet, content=content, summary=summary,
                         fingerprint=_fingerprint(link, stamp, content[0] if content else summary)))
    return out


def _sitemap_entries(fetched: Fetched) -> list[Entry]:
    from lxml import etree

    # No entities, no network: a sitemap is data from a stranger.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(fetched.body, parser)
    except etree.XMLSyntaxError as err:
        raise FetchError(f"{fetched.url}: not a readable sitemap ({err})", "check the sitemap") from None
    out = []
    is_index = etree.QName(root).localname == "sitemapindex"
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = (node.findtext(f"{SITEMAP_NS}loc") or node.findtext("loc") or "").strip()
        if not loc:
            continue
        lastmod = (node.findtext(f"{SITEMAP_NS}lastmod") or node.findtext("lastmod") or "").strip()
        link = urljoin(fetched.url, loc)
        published = None
        if lastmod:
            try:
                published = date.fromisoformat(lastmod[:10])
            except ValueError:
                published = None
        out.append(Entry(key=link, link=link, fingerprint=_fingerprint(link, lastmod),
                         published=None if is_index else published,
                         extra={"sitemap": True} if is_index else {}))
    return out


def entry_article(entry: Entry, fetch: Callable[[str], Fetched], where: str) -> Article | Rejected:
    """The article an entry stands for: the feed's full content, else its linked page (fetched with
    `fetch`, which applies the gate, robots.txt and the address checks)."""
    from newsledger.ingest.feeds import _article_from_content

    label = entry.link or f"{where} {entry.key}"
    result: Article | Rejected | None = None
    if entry.content is not None:
        result = _article_from_content(*entry.content, url=entry.link, where=label, published=entry.published)
    if not isinstance(result, Article) and entry.link:
        try:
            fetched = fetch(entry.link)
        except FetchError as err:
            return Rejected(where=label, reason=str(err), id=entry.key)
        result = article_from_fetched(fetched, where=label, published=entry.published, origin="feed")
    if result is None and entry.summary:
        result = _article_from_content(entry.summary, "text/html", url=None, where=label,
                                       published=entry.published)
    if result is None:
        return Rejected(where=label, reason=f"{label}: the entry has no content and no link", id=entry.key)
    if isinstance(result, Rejected):
        result.id = result.id or entry.key
        return result
    result.id = entry.key
    result.url = entry.link or result.url
    result.title = entry.title or result.title
    result.outlet = entry.outlet or result.outlet
    result.origin = "feed"
    return result
