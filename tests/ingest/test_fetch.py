"""Tests for ingest/fetch.py: address checks, refusals, redirects, timeouts and size limits on loopback."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsledger.errors import FetchError
from newsledger.ingest.fetch import address_problem, fetch, looks_like_feed, read_url, resolve
from newsledger.model import Article, Rejected


@pytest.mark.parametrize(
    ("address", "word"),
    [
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 wrapping 169.254.169.254
    ],
)
def test_address_problem_refuses_non_public_addresses(address: str, word: str) -> None:
    problem = address_problem(address)
    assert problem is not None and word in problem


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
def test_address_problem_accepts_public_addresses(address: str) -> None:
    assert address_problem(address) is None


def test_resolve_takes_ip_literals_as_they_are() -> None:
    assert [str(ip) for ip in resolve("[::1]", 80)] == ["::1"]
    assert [str(ip) for ip in resolve("10.0.0.1", 80)] == ["10.0.0.1"]


def _page(fixtures_dir: Path) -> bytes:
    return (fixtures_dir / "article.html").read_bytes()


def test_loopback_url_is_refused_without_allow_private_and_never_contacted(
    loopback: Any, fixtures_dir: Path
) -> None:
    loopback.serve("/article.html", 200, _page(fixtures_dir), "text/html")
    for url in (loopback.url("/article.html"), f"http://localhost:{loopback.port}/article.html"):
        with pytest.raises(FetchError) as caught:
            fetch(url)
        message = str(caught.value)
        assert "loopback" in message and "--allow-private" in message and "\n" not in message
    assert loopback.hits == []


@pytest.mark.parametrize(
    "url", ["http://[::1]:9/", "http://[::ffff:127.0.0.1]:9/", "http://169.254.169.254/latest/meta-data/"]
)
def test_private_literal_urls_are_refused_before_connecting(url: str) -> None:
    with pytest.raises(FetchError, match="--allow-private"):
        fetch(url)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "not a url"]
)
def test_only_http_and_https_urls_are_fetched(url: str) -> None:
    with pytest.raises(FetchError):
        fetch(url, allow_private=True)


def test_fetch_with_allow_private_returns_the_body(loopback: Any, fixtures_dir: Path) -> None:
    loopback.serve("/article.html", 200, _page(fixtures_dir), "text/html; charset=utf-8")
    fetched = fetch(loopback.url("/article.html"), allow_private=True)
    assert fetched.status == 200
    assert fetched.content_type.startswith("text/html")
    assert fetched.body == _page(fixtures_dir)


def test_redirects_are_followed_and_report_the_final_url(loopback: Any, fixtures_dir: Path) -> None:
    loopback.serve("/article.html", 200, _page(fixtures_dir), "text/html")
    loopback.serve("/old", 301, b"", Location="/middle")
    loopback.serve("/middle", 302, b"", Location=loopback.url("/article.html"))
    fetched = fetch(loopback.url("/old"), allow_private=True)
    assert fetched.url == loopback.url("/article.html")
    assert loopback.hits == ["/old", "/middle", "/article.html"]


def test_each_redirect_hop_is_checked_again(loopback: Any, fixtures_dir: Path) -> None:
    # 127.0.0.1 is let through by allow_networks; a hop to another loopback address is still refused.
    loopback.serve("/article.html", 200, _page(fixtures_dir), "text/html")
    loopback.serve("/same", 302, b"", Location="/article.html")
    loopback.serve("/elsewhere", 302, b"", Location=f"http://127.0.0.2:{loopback.port}/article.html")
    allowed = ["127.0.0.1/32"]
    assert fetch(loopback.url("/same"), allow_networks=allowed).status == 200
    with pytest.raises(FetchError, match=r"127\.0\.0\.2.*--allow-private"):
        fetch(loopback.url("/elsewhere"), allow_networks=allowed)
    assert loopback.hits == ["/same", "/article.html", "/elsewhere"]


def test_redirect_to_another_scheme_is_refused(loopback: Any) -> None:
    loopback.serve("/to-file", 302, b"", Location="file:///etc/passwd")
    with pytest.raises(FetchError, match="only http and https"):
        fetch(loopback.url("/to-file"), allow_private=True)


def test_redirect_loops_stop(loopback: Any) -> None:
    loopback.serve("/loop", 302, b"", Location="/loop")
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(loopback.url("/loop"), allow_private=True, max_redirects=3)
    assert len(loopback.hits) == 4


def _stall(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    stop.wait(30)  # never answers; released when the test's server closes


def _drip(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    # One byte every 0.02 s, well inside the read timeout, for 10 s: only the overall deadline (four
    # times the timeout) ends the fetch sooner; without it the fetch would fail later, on a short body.
    for _ in range(500):
        if stop.wait(0.02):
            return
        handler.wfile.write(b"x")
        handler.wfile.flush()


def test_a_server_that_never_answers_times_out(loopback: Any) -> None:
    loopback.routes["/stall"] = _stall
    with pytest.raises(FetchError, match="timed out"):
        fetch(loopback.url("/stall"), allow_private=True, timeout=0.3)


def test_a_server_that_drips_bytes_hits_the_overall_deadline(loopback: Any) -> None:
    loopback.routes["/drip"] = _drip
    with pytest.raises(FetchError, match="timed out"):
        fetch(loopback.url("/drip"), allow_private=True, timeout=0.5)


def _stream_without_length(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")  # body ends when the connection does
    handler.end_headers()
    try:
        for _ in range(100):
            handler.wfile.write(b"<p>" + b"y" * 1000 + b"</p>")
    except OSError:
        pass  # the client hung up once over its limit
    handler.close_connection = True


def test_size_limit_from_the_declared_length(loopback: Any) -> None:
    loopback.serve("/big", 200, b"z" * 5000, "text/html")
    with pytest.raises(FetchError, match="too large"):
        fetch(loopback.url("/big"), allow_private=True, max_bytes=1000)


def test_size_limit_is_enforced_while_streaming(loopback: Any) -> None:
    loopback.routes["/stream"] = _stream_without_length
    with pytest.raises(FetchError, match="too large: more than 2000 bytes"):
        fetch(loopback.url("/stream"), allow_private=True, max_bytes=2000)


def test_http_errors_are_fetch_errors(loopback: Any) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(loopback.url("/nothing-here"), allow_private=True)


def test_read_url_reads_an_html_page_as_one_article(loopback: Any, fixtures_dir: Path) -> None:
    loopback.serve("/article.html", 200, _page(fixtures_dir), "text/html; charset=utf-8")
    items = list(read_url(loopback.url("/article.html"), allow_private=True))
    assert len(items) == 1 and isinstance(items[0], Article)
    article = items[0]
    assert "Westmouth" in article.text and "Privacy" not in article.text
    assert article.url == loopback.url("/article.html")
    assert article.published == date(2025, 4, 2)
    assert article.origin == "url"


def test_read_url_reads_a_feed_as_its_entries(loopback: Any, fixtures_dir: Path) -> None:
    # Served as text/xml, so the feed is recognised by its root element, not its content type.
    loopback.serve("/news.xml", 200, (fixtures_dir / "feed_full.xml").read_bytes(), "text/xml")
    items = list(read_url(loopback.url("/news.xml"), allow_private=True))
    assert [type(item) for item in items] == [Article, Article]
    assert {item.outlet for item in items if isinstance(item, Article)} == {"The Coastal Ledger"}


def test_read_url_rejects_a_page_that_is_not_html(loopback: Any) -> None:
    loopback.serve("/logo.png", 200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    items = list(read_url(loopback.url("/logo.png"), allow_private=True))
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert "image/png" in items[0].reason


def test_read_url_rejects_a_page_without_article_text(loopback: Any) -> None:
    loopback.serve("/menu", 200, b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html")
    items = list(read_url(loopback.url("/menu"), allow_private=True))
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert "no article text" in items[0].reason


def test_feed_sniffing_by_type_and_by_root_element() -> None:
    from newsledger.ingest.fetch import Fetched

    assert looks_like_feed(Fetched("u", 200, "application/atom+xml", b""))
    assert looks_like_feed(
        Fetched("u", 200, "application/octet-stream", b'<?xml version="1.0"?>\n<rss version="2.0">')
    )
    assert not looks_like_feed(Fetched("u", 200, "text/html", b"<rss>"))
    assert not looks_like_feed(Fetched("u", 200, "text/plain", b"plain words"))


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """An HTTPS server on 127.0.0.1 whose certificate names only "localhost"; yields (port, CA file)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip

    class EchoHost(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            body = f"Host: {self.headers['Host']}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHost)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], str(cert)
    finally:
        server.shutdown()
        server.server_close()


def test_https_checks_the_certificate_against_the_host_name_not_the_pinned_address(
    tls_server: tuple[int, str],
) -> None:
    # The connection goes to the checked address, yet TLS and the Host header still use the name.
    port, ca_file = tls_server
    fetched = fetch(f"https://localhost:{port}/", allow_private=True, ca_file=ca_file)
    assert fetched.body == f"Host: localhost:{port}".encode()
    # The certificate names only localhost, so the same server reached by its address is refused.
    with pytest.raises(FetchError, match="certificate"):
        fetch(f"https://127.0.0.1:{port}/", allow_private=True, ca_file=ca_file)
    # Without the test CA the certificate is not trusted at all.
    with pytest.raises(FetchError, match="certificate"):
        fetch(f"https://localhost:{port}/", allow_private=True)


def test_the_charset_in_the_content_type_header_is_used(loopback: Any, fixtures_dir: Path) -> None:
    page = _page(fixtures_dir).decode("utf-8").replace('<meta charset="utf-8">', "")
    page = page.replace("Westmouth", "Westmouth Caf\u00e9 Quay")
    loopback.serve("/latin.html", 200, page.encode("iso-8859-1"), "text/html; charset=iso-8859-1")
    items = list(read_url(loopback.url("/latin.html"), allow_private=True))
    assert isinstance(items[0], Article) and "Caf\u00e9 Quay" in items[0].text
