"""Watching feeds: poll RSS/Atom feeds and sitemaps politely, add what is new, alert on new figures.

Each poll is a conditional GET (ETag / Last-Modified); requests to one host go one at a time with a
delay; robots.txt is obeyed; a failing feed is retried later and later (doubling, up to six hours); every
URL passes the private-address checks of `fetch`. New entries are fetched, extracted and added as `add`
does (one transaction an article; a changed text at a known URL is a new version). Each feed's last poll,
status and article count are stored in the `feeds` table.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from newsledger.errors import FetchError, InputError, NewsledgerError, NotFoundError, StoreError
from newsledger.ingest.fetch import DEFAULT_TIMEOUT, Fetched, fetch
from newsledger.ingest.poll import (
    Gate,
    Polled,
    RetryLater,
    Robots,
    conditional_get,
    entry_article,
    list_entries,
)
from newsledger.ingest.text import english_problem
from newsledger.ledger.alerts import (
    Deliver,
    conflict_alert,
    conflict_signature,
    figure_alert,
    new_conflicts,
)
from newsledger.ledger.core import Ledger
from newsledger.model import Article, Rejected
from newsledger.store import feeds as fs
from newsledger.store import queries as q
from newsledger.store.feeds import FeedState

MAX_BACKOFF = 6 * 3600.0  # a feed that keeps failing is still tried four times a day
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str, option: str = "--every") -> float:
    """Seconds in "15m", "30s", "2h", "1d" or a bare number of seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match or float(match.group(1)) <= 0:
        raise InputError(f"{option} {text!r} is not a duration", "write it as 30s, 15m, 2h or 1d")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


def read_feed_list(path: str | Path) -> list[str]:
    """The feed and sitemap URLs in a file: one a line; blank lines and `#` comments are skipped."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the feed list ({err})", "give a text file of feed URLs") from None
    urls = []
    for number, line in enumerate(lines, 1):
        # A comment fills a line or follows the URL after a space (a URL may hold a # fragment).
        url = "" if line.lstrip().startswith("#") else re.split(r"\s#", line, maxsplit=1)[0].strip()
        if not url:
            continue
        if not re.match(r"https?://[^\s/]+", url, re.I) or " " in url:
            raise InputError(f"{path}:{number}: {url!r} is not an http(s) URL",
                             "write one feed or sitemap URL a line (# starts a comment)")
        urls.append(url)
    if not urls:
        raise InputError(f"{path}: holds no feed URL", "write one feed or sitemap URL a line")
    return urls


@dataclass
class PollResult:
    """What one poll of one feed did (one log line)."""

    url: str
    status: str  # ok | not modified | error | robots | backoff
    new: int = 0
    versions: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    next_poll: datetime | None = None

    def line(self) -> str:
        if self.status == "ok":
            text = (f"{self.url}: ok, {self.new} new, {self.versions} new versions, "
                    f"{self.skipped} already stored, {len(self.failed)} failed")
        elif self.status in ("error", "backoff"):
            retry = f"; next try {self.next_poll:%Y-%m-%d %H:%M:%S}Z" if self.next_poll else ""
            text = f"{self.url}: {self.status}" + (f" ({self.error})" if self.error else "") + retry
        else:
            text = f"{self.url}: {self.status}" + (f" ({self.error})" if self.error else "")
        return f"{text} [{self.seconds:.1f}s]"


class _LazyPipeline:
    """The extraction pipeline, loaded at the first new article (a watch that finds nothing stays small)."""

    def __init__(self, model: str | None) -> None:
        self.model = model
        self._pipe: Any = None

    def extract_many(self, items: Any, batch_size: int = 32) -> Any:
        if self._pipe is None:
            from newsledger.pipeline import Pipeline

            self._pipe = Pipeline(self.model)
        return self._pipe.extract_many(items, batch_size=batch_size)


class Watcher:
    """Polls `urls` into `ledger`. `poll()` polls every feed that is due once; `run()` loops until stopped."""

    def __init__(self, ledger: Ledger, urls: Sequence[str], *, every: float = 900.0, delay: float = 1.0,
                 timeout: float = DEFAULT_TIMEOUT, allow_private: bool = False,
                 allow_networks: Sequence[str] = (),
                 deliver: Deliver | None = None, measures: Sequence[str] = (), stories: Sequence[int] = (),
                 clock: Callable[[], datetime] = fs.now, model: str | None = None) -> None:
        self.ledger = ledger
        if ledger._pipeline is None:
            ledger._pipeline = _LazyPipeline(model or ledger.model)
        self.urls = list(urls)
        self.every = every
        self.timeout = timeout
        self.allow_private = allow_private
        self.allow_networks = tuple(allow_networks)
        self.deliver = deliver
        self.measures = list(measures)
        self.stories = list(dict.fromkeys(stories))
        for story in self.stories:  # a story to watch must exist (NotFoundError says how to list them)
            ledger.story_articles(story)
        self.clock = clock
        self.gate = Gate(delay)
        self.robots = Robots(self._fetch_plain)
        self.stop = threading.Event()
        self.alerts_sent = 0
        self.alert_errors: list[str] = []
        self._conflicts: set[tuple[Any, ...]] | None = None
        with ledger.store.write() as conn:
            fs.ensure_feeds(conn, self.urls)

    # -- HTTP, through the gate ----------------------------------------------------------------------------
    def _fetch_plain(self, url: str) -> Fetched:
        return self.gate.run(url, lambda: fetch(url, allow_private=self.allow_private,
                                                    allow_networks=self.allow_networks, timeout=self.timeout))

    def _fetch_page(self, url: str) -> Fetched:
        if not self.robots.allowed(url):
            raise FetchError(f"{url} is disallowed by robots.txt", "the site asks robots not to fetch it")
        return self._fetch_plain(url)

    # -- one poll --------------------------------------------------------------------------------------------
    def poll(self) -> list[PollResult]:
        """Poll every feed once (those backing off after errors wait); send alerts for what is new."""
        with self.ledger.store.read() as conn:
            states = {s.url: s for s in fs.all_feeds(conn)}
            before = fs.max_article_id(conn)
        if self.deliver is not None and self._conflicts is None:
            self._conflicts = {conflict_signature(c) for c in self._current_conflicts()}
        results = []
        for url in self.urls:
            if self.stop.is_set():
                break
            results.append(self.poll_feed(states[url]))
        if self.deliver is not None and any(r.new or r.versions for r in results):
            self._alert(before)
        return results

    def poll_feed(self, state: FeedState) -> PollResult:
        started = time.monotonic()
        now = self.clock()
        if state.failures and state.next_poll is not None and now < state.next_poll:
            return PollResult(state.url, "backoff", error=state.last_error, next_poll=state.next_poll)
        try:
            result = self._poll(state, now)
        except StoreError:
            raise  # the ledger itself is unreachable: nothing a later poll of this feed would fix
        except Exception as caught:  # noqa: BLE001 - a parser's surprise must not end a long-running watch
            err = caught if isinstance(caught, NewsledgerError) else NewsledgerError(
                f"unexpected {type(caught).__name__} reading {state.url}: {caught}", "please report it")
            failures = state.failures + 1
            wait = min(self.every * 2 ** failures, max(MAX_BACKOFF, self.every))
            if isinstance(err, RetryLater):
                wait = max(wait, err.seconds)
            result = PollResult(state.url, "error", error=str(err), next_poll=now + timedelta(seconds=wait))
            with self.ledger.store.write() as conn:
                fs.save_poll(conn, state.id, last_poll=now, last_status="error", last_error=str(err),
                             failures=failures, next_poll=result.next_poll, last_new=0)
        result.seconds = time.monotonic() - started
        return result

    def _poll(self, state: FeedState, now: datetime) -> PollResult:
        if not self.robots.allowed(state.url):
            with self.ledger.store.write() as conn:
                fs.save_poll(conn, state.id, last_poll=now, last_status="robots", failures=0, next_poll=None,
                             last_error="disallowed by robots.txt", last_new=0)
            return PollResult(state.url, "robots", error="disallowed by robots.txt")
        polled: Polled = self.gate.run(state.url, lambda: conditional_get(
            state.url, etag=state.etag, last_modified=state.last_modified, allow_private=self.allow_private,
            allow_networks=self.allow_networks, timeout=self.timeout))
        if polled.not_modified:
            with self.ledger.store.write() as conn:
                fs.save_poll(conn, state.id, last_poll=now, last_status="not modified", http_status=304,
                             failures=0, next_poll=None, last_error=None, last_new=0,
                             etag=polled.etag, last_modified=polled.last_modified)
            return PollResult(state.url, "not modified")
        assert polled.fetched is not None, "a response other than 304 has a body"
        kind, entries = list_entries(polled.fetched)
        # A sitemap index lists other sitemaps: their pages are read in the same poll.
        for child in [e for e in entries if e.extra.get("sitemap")]:
            entries.remove(child)
            assert child.link is not None
            _, more = list_entries(self._fetch_page(child.link))
            entries.extend(e for e in more if not e.extra.get("sitemap"))
        result = PollResult(state.url, "ok")
        with self.ledger.store.read() as conn:
            seen = fs.seen_items(conn, state.id)
        for entry in entries:
            if self.stop.is_set():
                break
            if seen.get(entry.key) == entry.fingerprint:
                continue
            item = entry_article(entry, self._fetch_page, state.url)
            if isinstance(item, Article):
                problem = english_problem(item.text)
                if problem:  # as `add` does: newsledger reads English news only
                    where = item.url or state.url
                    item = Rejected(where=where, reason=f"{where}: {problem}; skipped")
            if isinstance(item, Rejected):
                result.failed.append(item.reason)
                continue
            self._add(item, result)
            with self.ledger.store.write() as conn:
                fs.mark_seen(conn, state.id, entry.key, entry.fingerprint)
        with self.ledger.store.write() as conn:
            fs.save_poll(conn, state.id, kind=kind, last_poll=now, last_status="ok",
                         http_status=polled.status, failures=0, next_poll=None,
                         last_error=result.failed[-1] if result.failed else None,
                         etag=polled.etag, last_modified=polled.last_modified,
                         last_new=result.new + result.versions, articles_added=result.new + result.versions)
        return result

    def _add(self, article: Article, result: PollResult) -> None:
        report = self.ledger.add([article], allow_private=self.allow_private)
        result.new += report.added
        result.versions += report.versions
        result.skipped += report.skipped
        result.failed.extend(reason for _where, reason in report.failed)

    # -- alerts ----------------------------------------------------------------------------------------------
    def _watched_keys(self) -> list[str]:
        keys = []
        for query in self.measures:
            found = self.ledger.find_measures(query)
            keys.extend(found[:1])
        return keys

    def _narrowed(self) -> bool:
        return bool(self.measures or self.stories)

    def _current_conflicts(self, keys: Sequence[str] | None = None) -> list[Any]:
        """Conflicts of the watched measures (`keys`, when already looked up) and stories; all without."""
        if not self._narrowed():
            return self.ledger.conflicts()
        out: dict[tuple[Any, ...], Any] = {}
        keys = self._watched_keys() if keys is None else keys
        found = [c for key in keys for c in self.ledger.conflicts(key)]
        for story in self.stories:
            try:
                found += self.ledger.conflicts(story=story)
            except NotFoundError:  # merged away by hand since the watch started: nothing of it to watch
                continue
        for conflict in found:
            out.setdefault(conflict_signature(conflict), conflict)
        return list(out.values())

    def _story_articles(self) -> dict[int, int]:
        """Article id -> watched story id, for the stories watched (a merged-away story watches nothing)."""
        inside: dict[int, int] = {}
        for story in self.stories:
            try:
                inside.update(dict.fromkeys(self.ledger.story_articles(story), story))
            except NotFoundError:
                continue
        return inside

    def _alert(self, before: int) -> None:
        assert self.deliver is not None
        overrides = self.ledger.store.overrides()
        labels = self.ledger._labels(overrides)
        keys = self._watched_keys()
        watched = set(keys)
        in_story = self._story_articles()
        alerts: list[dict[str, Any]] = []
        with self.ledger.store.read() as conn:
            new_ids = fs.article_ids_after(conn, before)
            for aid in new_ids:
                for fig in q.figures(conn, article_id=aid):
                    key = overrides.resolve(fig.measure_key, fig.counted, fig.text)
                    if not self._narrowed() or key in watched or aid in in_story:
                        alert = figure_alert(fig, key, labels.get(key, key), None)
                        alert["story"] = in_story.get(aid)
                        alerts.append(alert)
        found = self._current_conflicts(keys)
        fresh = new_conflicts(self._conflicts or set(), found)
        self._conflicts = {conflict_signature(c) for c in found}
        alerts.extend(conflict_alert(c) for c in fresh)
        for alert in alerts:
            problem = self.deliver(alert)
            if problem is None:
                self.alerts_sent += 1
            else:
                self.alert_errors.append(problem)

    # -- the loop --------------------------------------------------------------------------------------------
    def run(self, log: Callable[[PollResult], None], *, once: bool = False) -> None:
        """Poll every `every` seconds until `stop` is set (SIGTERM, Ctrl-C) or, with `once`, after one poll.

        A stop ends the run between two articles: each article is committed whole or not at all."""
        while not self.stop.is_set():
            started = time.monotonic()
            for result in self.poll():
                log(result)
            if once:
                return
            self.stop.wait(max(0.0, self.every - (time.monotonic() - started)))


def feeds_table(ledger: Ledger) -> list[FeedState]:
    """Every watched feed with its last poll, status and article count (for `newsledger feeds`)."""
    with ledger.store.read() as conn:
        return fs.all_feeds(conn)
