"""Tests for ledger/watch.py: polling a loopback server whose feed changes between polls (new items, a
changed article, 304s, a 500 then recovery, a slow answer, a redirect to a private address, robots.txt),
and the alerts sent for new figures and conflicts."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newsledger.errors import InputError
from newsledger.ledger import Ledger
from newsledger.ledger.watch import Watcher, feeds_table, parse_duration, read_feed_list

LOOPBACK = ("127.0.0.0/8",)

# Short news texts written for these tests: two reports of one death toll that disagree (a running total
# that goes down), and a report without any count of the dead.
TOLL = ("Israel's military offensive has killed at least 48,446 people in Gaza, the majority of them civilians, "
        "according to the territory's health ministry. The ministry said on Monday that 111,852 people had "
        "been wounded since the war began. Aid agencies said food supplies were running low across the "
        "territory.")
LOWER_TOLL = ("The war in Gaza has killed 45,000 people, the health ministry said on Tuesday. Officials said the "
              "toll included many women and children. Talks on a ceasefire are due to resume next week.")
TALKS = ("Negotiators from Egypt and Qatar met in Cairo on Wednesday to prepare the next round of ceasefire "
         "talks. A senior official said the meeting had been constructive and that both delegations would "
         "return next week with new proposals.")
TALKS_CHANGED = TALKS + (" Later on Wednesday, officials said 12 people had been killed in an air strike on "
                         "a school in Gaza City.")


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 whose answers tests change between polls."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.hits: list[tuple[str, str]] = []
        self.posted: list[Any] = []
        self.stop = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                outer.hits.append(("GET", self.path))
                route = outer.routes.get(self.path)
                if route is None:
                    outer.send(self, 404, b"not found")
                else:
                    route(self)

            def do_POST(self) -> None:  # noqa: N802
                outer.hits.append(("POST", self.path))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.posted.append(json.loads(body))
                outer.send(self, 204, b"")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()

    @staticmethod
    def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "text/plain",
             **headers: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    def page(self, path: str, text: str, title: str) -> None:
        paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in text.split(". ") if s.strip())
        html = (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}"
                "</article></body></html>").replace("..</p>", ".</p>")
        self.routes[path] = lambda h: self.send(h, 200, html.encode(), "text/html; charset=utf-8")

    def feed(self, path: str, items: list[dict[str, Any]]) -> None:
        """Serve an RSS feed with an ETag: a request that sends the same ETag back gets 304."""
        entries = []
        for item in items:
            content = (f"<content:encoded>{item['content']}</content:encoded>"
                       if "content" in item else "")
            entries.append(f"<item><title>{item['title']}</title><link>{self.base}{item['path']}</link>"
                           f"<guid>{self.base}{item['path']}</guid><pubDate>{item['date']}</pubDate>"
                           f"{content}</item>")
        body = ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                f"<channel><title>Loopback News</title>{''.join(entries)}</channel></rss>").encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

        def route(h: BaseHTTPRequestHandler) -> None:
            if h.headers.get("If-None-Match") == etag:
                self.send(h, 304, b"", ETag=etag)
            else:
                self.send(h, 200, body, "application/rss+xml", ETag=etag)

        self.routes[path] = route

    def count(self, path: str) -> int:
        return sum(1 for _m, p in self.hits if p == path)

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    try:
        yield s
    finally:
        s.close()


def _day(d: date) -> str:
    return format_datetime(datetime(d.year, d.month, d.day, 9, 0))


def _watcher(ledger: Ledger, server: FeedServer, **kwargs: Any) -> Watcher:
    kwargs.setdefault("allow_networks", LOOPBACK)
    kwargs.setdefault("delay", 0.0)
    kwargs.setdefault("timeout", 5.0)
    return Watcher(ledger, [server.base + "/feed.xml"], **kwargs)


def test_new_items_304_and_a_changed_article_as_a_new_version(db_url, pipeline, server):
    server.page("/talks", TALKS, "Ceasefire talks")
    items = [{"title": "Toll", "path": "/toll", "date": _day(date(2025, 3, 3)), "content": TOLL},
             {"title": "Ceasefire talks", "path": "/talks", "date": _day(date(2025, 3, 5))}]
    server.feed("/feed.xml", items)
    with Ledger(db_url, pipeline=pipeline) as ledger:
        watcher = _watcher(ledger, server)
        [first] = watcher.poll()
        assert (first.status, first.new, first.versions, first.failed) == ("ok", 2, 0, [])
        assert server.count("/talks") == 1  # the full-content item needs no page fetch

        [second] = watcher.poll()
        assert second.status == "not modified" and second.new == 0
        assert server.count("/talks") == 1

        # The talks story is updated (new text, new date) and a new story appears.
        server.page("/talks", TALKS_CHANGED, "Ceasefire talks")
        server.page("/lower", LOWER_TOLL, "Lower toll")
        items[1]["date"] = _day(date(2025, 3, 6))
        server.feed("/feed.xml", [*items, {"title": "Lower toll", "path": "/lower", "date": _day(date(2025, 3, 4))}])
        [third] = watcher.poll()
        assert (third.status, third.new, third.versions) == ("ok", 1, 1)
        assert server.count("/toll") == 0  # unchanged entries are not fetched again

        versions = ledger.versions(server.base + "/talks")
        assert [v.version for v in versions] == [1, 2]
        [change] = ledger.diff(server.base + "/talks")
        assert [f.value for f in change.figures_added] == [12]
        [state] = feeds_table(ledger)
        assert (state.last_status, state.articles, state.last_new, state.kind) == ("ok", 4, 2, "feed")
        assert state.etag and state.last_poll is not None
        assert ledger.stats()["feeds"] == 1


def test_a_500_backs_off_then_recovers(db_url, pipeline, server):
    clock = [datetime(2026, 1, 1, 12, 0)]
    server.routes["/feed.xml"] = lambda h: server.send(h, 500, b"oops")
    with Ledger(db_url, pipeline=pipeline) as ledger:
        watcher = _watcher(ledger, server, every=60.0, clock=lambda: clock[0])
        [failed] = watcher.poll()
        assert failed.status == "error" and "HTTP 500" in (failed.error or "")
        assert failed.next_poll is not None and failed.next_poll > clock[0] + timedelta(seconds=60)

        clock[0] += timedelta(seconds=61)  # the next regular poll: still backing off, nothing requested
        [waiting] = watcher.poll()
        assert waiting.status == "backoff" and server.count("/feed.xml") == 1

        server.feed("/feed.xml", [{"title": "Toll", "path": "/toll", "date": _day(date(2025, 3, 3)),
                                   "content": TOLL}])
        clock[0] += timedelta(seconds=120)
        [recovered] = watcher.poll()
        assert (recovered.status, recovered.new) == ("ok", 1)
        [state] = feeds_table(ledger)
        assert (state.failures, state.last_status, state.next_poll) == (0, "ok", None)


def test_a_second_failure_waits_twice_as_long(db_url, pipeline, server):
    clock = [datetime(2026, 1, 1, 12, 0)]
    server.routes["/feed.xml"] = lambda h: server.send(h, 503, b"down")
    with Ledger(db_url, pipeline=pipeline) as ledger:
        watcher = _watcher(ledger, server, every=60.0, clock=lambda: clock[0])
        first = watcher.poll()[0].next_poll
        assert first is not None
        clock[0] = first
        second = watcher.poll()[0].next_poll
        assert second is not None and (second - first) == 2 * (first - datetime(2026, 1, 1, 12, 0))


def test_a_slow_feed_times_out_as_an_error(db_url, pipeline, server):
    def slow(h: BaseHTTPRequestHandler) -> None:
        server.stop.wait(3.0)
        server.send(h, 200, b"<rss/>", "application/rss+xml")

    server.routes["/feed.xml"] = slow
    with Ledger(db_url, pipeline=pipeline) as ledger:
        started = time.monotonic()
        [result] = _watcher(ledger, server, timeout=0.5).poll()
        assert time.monotonic() - started < 2.5
        assert result.status == "error" and "timed out" in (result.error or "")


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/feed.xml"])
def test_a_redirect_to_a_private_address_is_refused(db_url, pipeline, server, target):
    # Loopback is allowed (the test server lives there); the redirect goes to another private class,
    # which must be refused before any connection is tried.
    server.routes["/feed.xml"] = lambda h: server.send(h, 302, b"", Location=target)
    with Ledger(db_url, pipeline=pipeline) as ledger:
        [result] = _watcher(ledger, server).poll()
    assert result.status == "error"
    assert "refusing to fetch" in (result.error or "") and "--allow-private" in (result.error or "")


def test_a_loopback_feed_is_refused_without_allow_private(db_url, pipeline, server):
    server.feed("/feed.xml", [])
    with Ledger(db_url, pipeline=pipeline) as ledger:
        [result] = _watcher(ledger, server, allow_networks=()).poll()
    assert result.status == "error" and "loopback" in (result.error or "")
    assert server.hits == []


def test_robots_txt_is_obeyed_for_feeds_and_pages(db_url, pipeline, server):
    server.routes["/robots.txt"] = lambda h: server.send(
        h, 200, b"User-agent: *\nDisallow: /private/\n")
    server.page("/private/story", TALKS, "Private")
    server.page("/talks", TALKS, "Talks")
    server.feed("/feed.xml", [{"title": "Private", "path": "/private/story", "date": _day(date(2025, 3, 5))},
                              {"title": "Talks", "path": "/talks", "date": _day(date(2025, 3, 5))}])
    server.feed("/private/feed.xml", [])
    with Ledger(db_url, pipeline=pipeline) as ledger:
        watcher = Watcher(ledger, [server.base + "/feed.xml", server.base + "/private/feed.xml"],
                          allow_networks=LOOPBACK, delay=0.0, timeout=5.0)
        results = watcher.poll()
    assert [r.status for r in results] == ["ok", "robots"]
    assert results[0].new == 1
    assert any("robots.txt" in reason for reason in results[0].failed)
    assert server.count("/private/story") == 0 and server.count("/private/feed.xml") == 0
    assert server.count("/robots.txt") == 1  # read once per site


def test_alerts_for_a_watched_measure_and_a_new_conflict(db_url, pipeline, server, tmp_path):
    from newsledger.ledger.alerts import Notifier

    out = tmp_path / "alerts.jsonl"
    notifier = Notifier(command=f"cat >> {out}; echo >> {out}", url=server.base + "/hook",
                        allow_networks=LOOPBACK, timeout=5.0)
    server.feed("/feed.xml", [{"title": "Toll", "path": "/toll", "date": _day(date(2025, 3, 3)), "content": TOLL}])
    with Ledger(db_url, pipeline=pipeline) as ledger:
        watcher = _watcher(ledger, server, deliver=notifier.send, measures=["killed in Gaza"])
        watcher.poll()
        first = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
        # Only the death toll: the wounded figure of the same article is another measure.
        assert [(a["type"], a["value"], a["category"]) for a in first] == [("figure", 48446, "killed")]
        assert first[0]["source"] and "health ministry" in first[0]["source"]

        server.page("/lower", LOWER_TOLL, "Lower toll")
        server.feed("/feed.xml", [{"title": "Toll", "path": "/toll", "date": _day(date(2025, 3, 3)),
                                   "content": TOLL},
                                  {"title": "Lower toll", "path": "/lower", "date": _day(date(2025, 3, 4))}])
        watcher.poll()
    alerts = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    assert [a["type"] for a in alerts] == ["figure", "figure", "conflict"]
    assert alerts[1]["value"] == 45000 and alerts[2]["kind"] == "decrease"
    assert server.posted == alerts  # the webhook got the same JSON
    assert watcher.alert_errors == []


FOLLOW_UP = ("Israel's military offensive has killed at least 48,503 people in Gaza, the majority of them "
             "civilians, according to the territory's health ministry on Tuesday. Aid agencies said food supplies "
             "were running low across the territory, and the ministry said hospitals were overwhelmed.")
BUDGET = ("The city council approved a budget of $48 million for road repairs on Monday. The mayor said 120 "
          "streets would be resurfaced by the end of the year and that 35 new workers would be hired.")


def test_alerts_for_a_watched_story_only(db_url, pipeline, server):
    from newsledger.errors import NotFoundError

    server.page("/talks", TALKS, "Ceasefire talks")
    server.page("/budget", BUDGET, "Road budget")
    items = [{"title": "Toll", "path": "/toll", "date": _day(date(2025, 3, 3)), "content": TOLL},
             {"title": "Ceasefire talks", "path": "/talks", "date": _day(date(2025, 3, 3))},
             {"title": "Road budget", "path": "/budget", "date": _day(date(2025, 3, 3))}]
    server.feed("/feed.xml", items)
    with Ledger(db_url, pipeline=pipeline) as ledger:
        _watcher(ledger, server).poll()
        toll = next(a.id for a in ledger.articles() if a.url.endswith("/toll"))
        story = next(s.id for s in ledger.stories() if toll in ledger.story_articles(s.id))
        with pytest.raises(NotFoundError, match="no story"):
            _watcher(ledger, server, deliver=lambda alert: None, stories=[story + 1000])
        alerts: list[dict[str, Any]] = []
        watcher = _watcher(ledger, server, deliver=lambda alert: alerts.append(alert), stories=[story])
        server.page("/update", FOLLOW_UP, "Toll rises")
        server.page("/budget2", BUDGET.replace("$48 million", "$52 million"), "Road budget grows")
        server.feed("/feed.xml", [*items, {"title": "Toll rises", "path": "/update", "date": _day(date(2025, 3, 4))},
                                  {"title": "Road budget grows", "path": "/budget2", "date": _day(date(2025, 3, 4))}])
        watcher.poll()
        members = ledger.story_articles(story)
        by_url = {a.url.rsplit("/", 1)[-1]: a.id for a in ledger.articles()}
    figures = [a for a in alerts if a["type"] == "figure"]
    # The budget is another story: none of its figures is sent; every figure sent is of the watched story.
    assert by_url["budget2"] not in members
    assert all(a["article_id"] in members and a["story"] == story for a in figures)
    assert by_url["budget2"] not in {a["article_id"] for a in figures}
    # The follow-up report of the same toll joined the story, and its figure is sent.
    assert by_url["update"] in members
    assert [a["value"] for a in figures if a["category"] == "killed"] == [48503]
    assert watcher.alert_errors == []


def test_parse_duration_and_feed_list(tmp_path):
    assert parse_duration("15m") == 900 and parse_duration("30s") == 30 and parse_duration("2h") == 7200
    with pytest.raises(InputError, match="not a duration"):
        parse_duration("soon")
    good = tmp_path / "feeds.txt"
    good.write_text("# news\nhttps://example.org/rss.xml  # main feed\n\nhttps://example.org/sitemap.xml\n")
    assert read_feed_list(good) == ["https://example.org/rss.xml", "https://example.org/sitemap.xml"]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://example.org/rss.xml\nexample.org/feed\n")
    with pytest.raises(InputError, match=r"bad.txt:2"):
        read_feed_list(bad)


def test_a_sitemap_index_and_its_sitemap_are_read_and_only_changed_pages_fetched_again(db_url, pipeline, server):
    server.page("/talks", TALKS, "Ceasefire talks")
    server.page("/lower", LOWER_TOLL, "Lower toll")

    def sitemap(lastmod_talks: str) -> None:
        urls = "".join(f"<url><loc>{server.base}{p}</loc><lastmod>{d}</lastmod></url>"
                       for p, d in (("/talks", lastmod_talks), ("/lower", "2025-03-04")))
        body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        server.routes["/news.xml"] = lambda h: server.send(h, 200, body.encode(), "application/xml")

    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{server.base}/news.xml</loc></sitemap></sitemapindex>").encode()
    server.routes["/sitemap.xml"] = lambda h: server.send(h, 200, index, "application/xml")
    sitemap("2025-03-05")
    with Ledger(db_url, pipeline=pipeline) as ledger:
        watcher = Watcher(ledger, [server.base + "/sitemap.xml"], allow_networks=LOOPBACK, delay=0.0, timeout=5.0)
        [first] = watcher.poll()
        assert (first.status, first.new) == ("ok", 2)
        server.page("/talks", TALKS_CHANGED, "Ceasefire talks")
        sitemap("2025-03-06")
        [second] = watcher.poll()
        assert (second.status, second.new, second.versions) == ("ok", 0, 1)
        assert server.count("/lower") == 1 and server.count("/talks") == 2
        assert feeds_table(ledger)[0].kind == "sitemap"


def test_a_page_that_is_no_feed_is_an_error_and_the_other_feeds_go_on(db_url, pipeline, server):
    server.page("/home", TALKS, "Home")
    server.feed("/feed.xml", [{"title": "Toll", "path": "/toll", "date": _day(date(2025, 3, 3)), "content": TOLL}])
    with Ledger(db_url, pipeline=pipeline) as ledger:
        watcher = Watcher(ledger, [server.base + "/home", server.base + "/feed.xml"], allow_networks=LOOPBACK,
                          delay=0.0, timeout=5.0)
        bad, good = watcher.poll()
    assert bad.status == "error" and "neither an RSS/Atom feed nor a sitemap" in (bad.error or "")
    assert (good.status, good.new) == ("ok", 1)


def test_a_watched_story_merged_away_while_the_watch_runs_is_skipped(db_url, pipeline, server):
    from newsledger.errors import NotFoundError

    server.page("/budget", BUDGET, "Road budget")
    items = [{"title": "Toll", "path": "/toll", "date": _day(date(2025, 3, 3)), "content": TOLL},
             {"title": "Road budget", "path": "/budget", "date": _day(date(2025, 3, 3))}]
    server.feed("/feed.xml", items)
    with Ledger(db_url, pipeline=pipeline) as ledger:
        _watcher(ledger, server).poll()
        by_url = {a.url.rsplit("/", 1)[-1]: a.id for a in ledger.articles()}
        story_of = {name: next(s.id for s in ledger.stories() if aid in ledger.story_articles(s.id))
                    for name, aid in by_url.items()}
        assert story_of["toll"] != story_of["budget"]
        alerts: list[dict[str, Any]] = []
        watcher = _watcher(ledger, server, every=0.0, deliver=lambda alert: alerts.append(alert),
                           stories=[story_of["toll"], story_of["budget"]])
        polls: list[Any] = []
        kept: list[int] = []

        def log(result: Any) -> None:
            polls.append(result)
            if len(polls) == 1:
                # While the watch runs, someone merges the two watched stories by hand: one id is gone.
                kept.append(ledger.merge_stories(story_of["toll"], story_of["budget"]))
                server.page("/update", FOLLOW_UP, "Toll rises")
                server.page("/budget2", BUDGET.replace("$48 million", "$52 million"), "Road budget grows")
                server.feed("/feed.xml", [*items,
                                          {"title": "Toll rises", "path": "/update", "date": _day(date(2025, 3, 4))},
                                          {"title": "Road budget grows", "path": "/budget2",
                                           "date": _day(date(2025, 3, 4))}])
            elif len(polls) == 3:
                watcher.stop.set()

        watcher.run(log)
        [keep] = kept
        gone = ({story_of["toll"], story_of["budget"]} - {keep}).pop()
        with pytest.raises(NotFoundError):
            ledger.story_articles(gone)
        members = set(ledger.story_articles(keep))
        by_url = {a.url.rsplit("/", 1)[-1]: a.id for a in ledger.articles()}
    # The watch went on past the merge: three polls, the second one with the two new articles.
    assert [(p.status, p.new) for p in polls] == [("not modified", 0), ("ok", 2), ("not modified", 0)]
    figures = [a for a in alerts if a["type"] == "figure"]
    # Both new articles joined the merged story, and its figures are sent under the id that remains.
    assert {by_url["update"], by_url["budget2"]} <= members
    assert {a["article_id"] for a in figures} == {by_url["update"], by_url["budget2"]}
    assert {a["story"] for a in figures} == {keep}
    assert watcher.alert_errors == []
