"""`newsledger watch` and `newsledger feeds` through the real entry point, against a static file server on
127.0.0.1 (which answers If-Modified-Since with 304), and SIGTERM stopping a running watch cleanly."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPORT = ("Floods in northern Nigeria have killed at least 185 people and displaced more than 40,000, the "
          "National Emergency Management Agency said on Sunday. Rescue teams were still searching for "
          "survivors in Mokwa, where the water swept away dozens of homes overnight.")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "site"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def _write_feed(root: Path, base: str, items: list[tuple[str, str]]) -> None:
    entries = "".join(f"<item><title>{title}</title><link>{base}/{title}</link><guid>{base}/{title}</guid>"
                      f"<pubDate>Sun, 01 Jun 2025 09:00:00 +0000</pubDate>"
                      f"<content:encoded>{text}</content:encoded></item>" for title, text in items)
    (root / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Wire</title>{entries}</channel></rss>", encoding="utf-8")


def test_watch_once_then_feeds_and_stats(run_cli, db_url, site, tmp_path):
    base, root = site
    _write_feed(root, base, [("floods", REPORT)])
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# one feed\n{base}/feed.xml\n", encoding="utf-8")
    first = run_cli("watch", feeds, "--once", "--allow-private", "--delay", "0", "--db", db_url)
    assert first.exit_code == 0, first.stderr
    assert "ok, 1 new" in first.stderr
    again = run_cli("watch", feeds, "--once", "--allow-private", "--delay", "0", "--db", db_url)
    assert again.exit_code == 0 and "not modified" in again.stderr  # If-Modified-Since answered 304
    listed = run_cli("feeds", "--db", db_url, "--format", "json")
    [row] = json.loads(listed.stdout)
    assert (row["feed"], row["status"], row["articles"], row["kind"]) == (f"{base}/feed.xml", "not modified", 1,
                                                                          "feed")
    stats = json.loads(run_cli("stats", "--db", db_url, "--format", "json").stdout)[0]
    assert stats["feeds"] == 1 and stats["feed_articles"] == 1 and stats["articles"] == 1


def test_watch_refuses_loopback_without_allow_private(run_cli, site, tmp_path):
    base, root = site
    _write_feed(root, base, [])
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{base}/feed.xml\n", encoding="utf-8")
    result = run_cli("watch", feeds, "--once", "--db", tmp_path / "l.db")
    assert result.exit_code == 0  # a feed that fails is logged and retried later; the watch goes on
    assert "loopback" in result.stderr and "--allow-private" in result.stderr


def test_watch_with_a_bad_feed_list_is_one_line(run_cli, tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("not a url\n", encoding="utf-8")
    result = run_cli("watch", feeds, "--once", "--db", tmp_path / "l.db")
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "feeds.txt:1" in lines[0]


def test_sigterm_stops_a_running_watch_cleanly(site, tmp_path):
    base, root = site
    _write_feed(root, base, [])
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{base}/feed.xml\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("newsledger")
    proc = subprocess.Popen([str(exe), "watch", str(feeds), "--every", "1h", "--allow-private", "--delay", "0",
                             "--db", str(tmp_path / "l.db")], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        seen = ""
        while "ok, 0 new" not in seen and time.monotonic() < deadline:
            seen += proc.stderr.readline()
        assert "ok, 0 new" in seen, seen
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rest = proc.stderr.read()
        assert proc.wait(timeout=20) == 0
        assert time.monotonic() - started < 10  # not the hour until the next poll
        assert "stopped" in rest
    finally:
        if proc.poll() is None:
            proc.kill()
