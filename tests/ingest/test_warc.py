"""Tests for ingest/warc.py: HTML responses become articles; cut or damaged archives end with a Rejected."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsledger.errors import InputError
from newsledger.ingest.warc import read_warc
from newsledger.model import Article, Rejected

UNDATED_PAGE = b"""<html><head><title>Night buses return</title></head><body><article>
<p>Night buses will run again on the city's four busiest routes from next month, the transport
authority said, after a trial showed about 2,300 riders a night used them.</p>
<p>The service was cut two years ago when the authority could not find enough drivers.</p>
</article></body></html>"""


def _build(fixtures_dir: Path, *, gzip: bool) -> bytes:
    """A small crawl: warcinfo, a request, the article, an image, a redirect, a menu page, an undated article."""
    page = (fixtures_dir / "article.html").read_bytes()
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "newsledger tests"}))

    def response(
        uri: str, status: str, content_type: str, body: bytes, when: str = "2025-06-01T12:00:00Z"
    ) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": when},
        )
        writer.write_record(record)

    request = writer.create_warc_record(
        "https://coastal.example/pier",
        "request",
        payload=io.BytesIO(b""),
        http_headers=StatusAndHeaders(
            "GET /pier HTTP/1.1", [("Host", "coastal.example")], is_http_request=True
        ),
    )
    writer.write_record(request)
    response("https://coastal.example/pier", "200 OK", "text/html; charset=utf-8", page)
    response("https://coastal.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 300)
    response("https://coastal.example/old-pier", "301 Moved Permanently", "text/html", b"")
    response(
        "https://coastal.example/menu", "200 OK", "text/html", b"<html><body><nav>Home</nav></body></html>"
    )
    response(
        "https://city.example/night-buses", "200 OK", "text/html", UNDATED_PAGE, when="2025-06-03T23:10:00Z"
    )
    return out.getvalue()


@pytest.fixture(params=[True, False], ids=["gzip", "plain"])
def crawl(request: pytest.FixtureRequest, fixtures_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / ("crawl.warc.gz" if request.param else "crawl.warc")
    path.write_bytes(_build(fixtures_dir, gzip=request.param))
    return path


def test_html_responses_become_articles_and_other_records_are_skipped(crawl: Path) -> None:
    items = list(read_warc(str(crawl)))
    assert [type(item) for item in items] == [Article, Rejected, Article]
    pier, menu, buses = items
    assert isinstance(pier, Article) and isinstance(menu, Rejected) and isinstance(buses, Article)
    assert "Westmouth" in pier.text and "Contact us" not in pier.text
    assert pier.url == "https://coastal.example/pier" and pier.origin == "warc"
    assert pier.published == date(2025, 4, 2)  # the page's own date wins over the capture date
    assert "menu" in menu.where and "no article text" in menu.reason
    assert buses.published == date(2025, 6, 3)  # no date on the page: the capture date


def _record_spans(data: bytes) -> list[tuple[int, int]]:
    iterator = ArchiveIterator(io.BytesIO(data))
    spans = []
    for _ in iterator:
        spans.append((iterator.get_record_offset(), iterator.get_record_length()))
    return spans


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip", "plain"])
def test_a_cut_archive_yields_what_was_read_then_one_rejected(
    fixtures_dir: Path, tmp_path: Path, gzip: bool
) -> None:
    data = _build(fixtures_dir, gzip=gzip)
    start, length = _record_spans(data)[5]  # the menu page, after the pier article
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: start + length // 2])
    items = list(read_warc(str(path)))
    assert [type(item) for item in items] == [Article, Rejected]
    broken = items[-1]
    assert isinstance(broken, Rejected) and broken.where == str(path)
    assert (
        "truncated or corrupt in record 6" in broken.reason
        and "5 records before it were read" in broken.reason
    )


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip", "plain"])
def test_every_cut_ends_in_one_clear_line(fixtures_dir: Path, tmp_path: Path, gzip: bool) -> None:
    """Wherever the file is cut, reading it ends cleanly: in a Rejected, or an InputError when nothing
    was read, or normally when the cut falls exactly between two records."""
    data = _build(fixtures_dir, gzip=gzip)
    # A cut in the blank lines that follow a record leaves every record whole.
    boundaries = {start + length + blank for start, length in _record_spans(data) for blank in range(5)}
    path = tmp_path / "cut.warc"
    for cut in range(0, len(data), max(1, len(data) // 97)):
        path.write_bytes(data[:cut])
        try:
            items = list(read_warc(str(path)))
        except InputError as err:
            assert "\n" not in str(err)
            continue
        if cut in boundaries:
            continue
        assert items, cut
        last = items[-1]
        assert isinstance(last, Rejected) and "truncated or corrupt" in last.reason, cut


def test_damaged_bytes_in_the_middle_are_reported(fixtures_dir: Path, tmp_path: Path) -> None:
    data = bytearray(_build(fixtures_dir, gzip=False))
    start, _length = _record_spans(bytes(data))[4]  # the image record
    data[start : start + 8] = b"GARBAGE!"
    path = tmp_path / "damaged.warc"
    path.write_bytes(bytes(data))
    items = list(read_warc(str(path)))
    assert isinstance(items[0], Article)
    assert isinstance(items[-1], Rejected) and "truncated or corrupt" in items[-1].reason


@pytest.mark.parametrize("content", [b"", b"this is not an archive\n", b"\x1f\x8b\x08\x00garbage"])
def test_not_a_warc_is_one_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        list(read_warc(str(path)))
    assert "\n" not in str(caught.value)


def test_missing_warc_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        list(read_warc(str(tmp_path / "nowhere.warc.gz")))


def test_oversized_page_is_rejected(fixtures_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_build(fixtures_dir, gzip=True))
    items = list(read_warc(str(path), max_bytes=1000))
    assert isinstance(items[0], Rejected) and "larger than 1000 bytes" in items[0].reason
    assert "pier" in items[0].where
    assert [type(item) for item in items] == [Rejected, Rejected, Article]  # the two small pages still read


def test_a_gzip_encoded_page_is_decoded_and_a_badly_encoded_one_rejected_alone(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    import gzip as gzip_module

    page = (fixtures_dir / "article.html").read_bytes()
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for uri, body in [
        ("https://coastal.example/a", gzip_module.compress(page)),
        ("https://coastal.example/b", b"this is not gzip data " * 20),
        ("https://coastal.example/c", gzip_module.compress(page.replace(b"Westmouth", b"Eastmouth"))),
    ]:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
        )
    path = tmp_path / "encoded.warc.gz"
    path.write_bytes(out.getvalue())
    items = list(read_warc(str(path)))
    assert [type(item) for item in items] == [Article, Rejected, Article]
    assert "Westmouth" in items[0].text and "Eastmouth" in items[2].text  # type: ignore[union-attr]
    assert "coastal.example/b" in items[1].where


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip", "plain"])
def test_damaged_archives_never_raise_anything_but_input_error(
    fixtures_dir: Path, tmp_path: Path, gzip: bool, damaged_copies
) -> None:
    """Random damage (seeded, so reproducible): each read ends in items or one InputError."""
    original = _build(fixtures_dir, gzip=gzip)
    path = tmp_path / "damaged.warc"
    for data in damaged_copies(original, 20250601, 60):
        path.write_bytes(data)
        try:
            items = list(read_warc(str(path)))
        except InputError as err:
            assert "\n" not in str(err)
            continue
        assert all(isinstance(item, Article | Rejected) for item in items)
